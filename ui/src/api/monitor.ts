// Shared pieces of the monitoring pages (监测预警、监测对象、案件、公示、
// 工作日日历): types, the monitoring code lists and their labels.
import { reactive, ref } from 'vue'
import { api, must, type Schemas } from './client'

export type MonitorCase = Schemas['MonitorCase']
export type MonitorAlert = Schemas['MonitorAlert']
export type MonitorMeasure = Schemas['MonitorMeasure']
export type MonitorObjection = Schemas['MonitorObjection']
export type Uncovered = Schemas['Uncovered']
export type Eligibility = Schemas['Eligibility']
export type VillageNotice = Schemas['VillageNotice']
export type CalendarYear = Schemas['Year']
export type Holiday = Schemas['Holiday']

type Item = { code: string; label: string }
const state = reactive<{ lists: Record<string, Item[]> }>({ lists: {} })
let loading: Promise<void> | null = null

/** loadMonitorCodes loads the monitoring code lists (环节、部门、措施…) once. */
export function loadMonitorCodes(): Promise<void> {
  if (!loading) {
    loading = must(api.GET('/api/v1/monitor/codes')).then((b) => {
      for (const l of b.lists ?? []) state.lists[l.name ?? ''] = (l.items ?? []) as Item[]
    })
    loading.catch(() => (loading = null))
  }
  return loading
}

export function monitorOptions(list: string): Item[] {
  return state.lists[list] ?? []
}

export function monitorLabel(list: string, code: string | null | undefined): string {
  if (!code) return ''
  return state.lists[list]?.find((i) => i.code === code)?.label ?? code
}

/** risksLabel joins a case's risk types in Chinese. */
export function risksLabel(risks: string[] | null | undefined): string {
  return (risks ?? []).map((r) => monitorLabel('risk', r)).join('、')
}

/** Stages in which the village posts a 公示. */
export const noticeStages = ['notice', 'elim_notice']

/** stageType colours a stage tag: ends grey, monitoring green, steps blue. */
export function stageType(stage: string | undefined): 'info' | 'success' | 'primary' | 'danger' | 'warning' {
  if (stage === 'rejected' || stage === 'eliminated') return 'info'
  if (stage === 'monitored') return 'success'
  if (noticeStages.includes(stage ?? '')) return 'warning'
  return 'primary'
}

/** useCategories gives a dialog the object categories in force for a
 * village in a year, this year unless given (categories are data by area ×
 * period, GET /monitor/categories): load(village) when the dialog opens. */
export function useCategories() {
  const options = ref<Item[]>([])
  let seq = 0
  async function load(village: string | undefined, year?: number) {
    const mine = ++seq
    options.value = []
    const v = await must(api.GET('/api/v1/monitor/categories', { params: { query: { area: village ?? '', year } } })).catch(() => null)
    if (mine === seq) options.value = (v?.effective ?? []) as Item[]
  }
  return { options, load }
}
