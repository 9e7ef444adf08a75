// The aid code lists (岗位、政治面貌、走访方式、状态…), loaded once from
// GET /api/v1/aid/codes.
import { reactive } from 'vue'
import { api, must } from './client'

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

/** Roles whose posting is in a township (9 digits); the others are in a
 * village. Only a hint in the posting form: the server checks the level. */
export const townshipRoles = ['commander', 'deputy_commander', 'office_director', 'office_deputy', 'township_leader', 'township_member']

