// The code lists (户类型、与户主关系…) with their Chinese labels, loaded once.
import { reactive } from 'vue'
import { api, must } from './client'

type Item = { code: string; label: string }
const state = reactive<{ lists: Record<string, Item[]>; ethnicities: string[]; loaded: boolean }>({
  lists: {},
  ethnicities: [],
  loaded: false,
})
let loading: Promise<void> | null = null

export function loadCodes(): Promise<void> {
  if (!loading) {
    loading = must(api.GET('/api/v1/codes')).then((b) => {
      for (const l of b.lists ?? []) state.lists[l.name ?? ''] = (l.items ?? []) as Item[]
      state.ethnicities = b.ethnicities ?? []
      state.loaded = true
    })
    loading.catch(() => (loading = null))
  }
  return loading
}

export function options(list: string): Item[] {
  return state.lists[list] ?? []
}

export function label(list: string, code: string | undefined | null): string {
  if (!code) return ''
  return state.lists[list]?.find((i) => i.code === code)?.label ?? code
}

export const codes = state

/** Items of 两不愁三保障+饮水 and the income line, in the engine's order. */
export const assessItems: Item[] = [
  { code: 'food', label: '不愁吃' },
  { code: 'clothing', label: '不愁穿' },
  { code: 'education', label: '义务教育' },
  { code: 'medical', label: '基本医疗' },
  { code: 'housing', label: '住房安全' },
  { code: 'water', label: '饮水安全' },
  { code: 'standard', label: '一达标' },
  { code: 'income', label: '收入（监测线）' },
]

export const statusLabel: Record<string, string> = { pass: '达标', fail: '不达标', unknown: '待核实' }
export const statusType: Record<string, 'success' | 'danger' | 'warning'> = { pass: 'success', fail: 'danger', unknown: 'warning' }
