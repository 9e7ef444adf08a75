// Shared pieces of the aid pages (帮扶力量、结对帮扶、走访记录、驻村考勤、
// 轮换交接): types with dates as strings, the aid code lists, form error
// handling and a few date helpers.
import { onBeforeUnmount, onMounted, reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import { api, ApiError, must, type Schemas } from './client'
import { isConflict, isStale, today, usePhone } from './forms'

export { isConflict, isStale, today, usePhone }
import { homeArea, session, can } from './session'

// fupin.Date is "YYYY-MM-DD" or null on the wire, and the OpenAPI document
// says so; Dated is kept as a name for the record types that carry dates.
type FupinDate = Schemas['Date']
type Dated<T> = T

export type AidGroup = Schemas['AidGroup']
export type AidUnit = Schemas['AidUnit']
export type WorkTeam = Omit<Schemas['WorkTeam'], 'leader' | 'members'> & { leader?: Posting | null; members?: Posting[] | null }
export type Cadre = Omit<Schemas['Cadre'], 'postings'> & { postings?: Posting[] | null }
export type Posting = Dated<Schemas['Posting']>
export type TermAlert = Dated<Schemas['TermAlert']>
export type Pairing = Dated<Schemas['Pairing']>
export type Unpaired = Schemas['UnpairedHousehold']
export type HelperLoad = Schemas['HelperLoad']
export type Visit = Dated<Schemas['Visit']>
export type OverdueVisit = Dated<Schemas['OverdueVisit']>
export type CheckIn = Dated<Schemas['CheckIn']>
export type Leave = Dated<Schemas['Leave']>
export type AttendanceReport = Schemas['AttendanceReport']
export type Rotation = Omit<Dated<Schemas['Rotation']>, 'items' | 'entries'> & { items?: RotationItem[] | null; entries?: HandoverEntry[] | null }
export type RotationItem = Schemas['RotationItem']
export type HandoverEntry = Schemas['HandoverEntry']
export type AidSummary = Schemas['AidSummary']
export type AidSettingsView = Schemas['AidSettingsView']
export type AidSettingRow = Schemas['AidSettingRow']
export type AidSettingDef = Schemas['AidSettingDef']

/** wire turns an empty date input into null for a request body. */
export function wire(d: string | null | undefined): FupinDate {
  return d || null
}

/** dated reads an API answer whose date fields are strings. */
export function dated<T>(v: unknown): T {
  return v as T
}

type Item = { code: string; label: string }
const state = reactive<{ lists: Record<string, Item[]> }>({ lists: {} })
let loading: Promise<void> | null = null

/** loadAidCodes loads the aid code lists (岗位、政治面貌、走访方式…) once. */
export function loadAidCodes(): Promise<void> {
  if (!loading) {
    loading = must(api.GET('/api/v1/aid/codes')).then((b) => {
      for (const l of b.lists ?? []) state.lists[l.name ?? ''] = (l.items ?? []) as Item[]
    })
    loading.catch(() => (loading = null))
  }
  return loading
}

export function aidOptions(list: string): Item[] {
  return state.lists[list] ?? []
}

export function aidLabel(list: string, code: string | null | undefined): string {
  if (!code) return ''
  return state.lists[list]?.find((i) => i.code === code)?.label ?? code
}

/** Roles whose posting is in a township (9 digits); the others are in a village. */
export const townshipRoles = ['commander', 'deputy_commander', 'office_director', 'office_deputy', 'township_leader', 'township_member']

/** aidArea is where the aid pages start: the user's township (or wider area). */
export function aidArea(): string {
  const a = homeArea()
  return a.length > 9 ? a.slice(0, 9) : a
}

/** covers reports whether code is inside one of the user's areas (writes
 * outside them are refused by the server). */
export function covers(code: string | null | undefined): boolean {
  return (session.me?.areas ?? []).some((a) => (code ?? '').startsWith(a))
}

/** canWriteIn: the user may edit aid records of the area code. */
export function canWriteIn(code: string | null | undefined): boolean {
  return !!can('write') && covers(code)
}

/** canSetAidRules: only roles with the policy permission (系统管理员) may
 * change the aid settings (PUT /aid/settings, like 政策参数). */
export function canSetAidRules(): boolean {
  return can('policy')
}

/** thisMonth is the month in China as YYYY-MM. */
export function thisMonth(): string {
  return today().slice(0, 7)
}

/** addDays shifts a YYYY-MM-DD date by n days. */
export function addDays(d: string, n: number): string {
  const t = new Date(d + 'T00:00:00Z')
  t.setUTCDate(t.getUTCDate() + n)
  return t.toISOString().slice(0, 10)
}

/** FormErrors holds an API error for a form: a message and the field messages. */
export class FormErrors {
  fields: Record<string, string> = {}
  message = ''
  clear() {
    this.fields = {}
    this.message = ''
  }
  /** show records an error; a 409 (someone else changed the record) also pops a message. */
  show(e: unknown, remap: (k: string) => string = (k) => k) {
    const a = e as ApiError
    const f: Record<string, string> = {}
    for (const [k, v] of Object.entries(a.fields ?? {})) f[remap(k)] = v
    this.fields = f
    this.message = a.message ?? String(e)
  }
  of(field: string): string {
    return this.fields[field] ?? ''
  }
}

export function newErrors(): FormErrors {
  return reactive(new FormErrors()) as FormErrors
}

/** failed shows an error of an action (not a form) and, on 409, calls reload. */
export function failed(e: unknown, reload?: () => unknown) {
  ElMessage.error((e as Error).message)
  if (isConflict(e) && reload) reload()
}

/** photoUrl is where a visit photo's image is served. */
export function photoUrl(id: number): string {
  return `/api/v1/aid/photos/${id}`
}

export const maxPhotoBytes = 5 << 20

/** dialogWidth fits a dialog on a phone and keeps it narrow on a desktop. */
export const dialogWidth = 'min(640px, 96vw)'
