// Shared pieces of the rectification ledger pages (问题整改、重点工作、
// 责任清单): types, the ledger's code lists and labels, and which steps of
// the 销号 chain the signed-in account may take (the server checks the
// same rules; the console only hides what would be refused).
import { reactive } from 'vue'
import { api, must, type Schemas } from './client'
import { can, session } from './session'

export type Inspection = Schemas['Inspection']
export type Finding = Schemas['Finding']
export type FindingDetail = Schemas['FindingDetail']
export type FindingPage = Schemas['FindingPage']
export type Task = Schemas['Task']
export type Responsibility = Schemas['Responsibility']
export type Code = { key: string; name: string }

type Lists = { sources: Code[]; categories: Code[]; kinds: Code[]; statuses: Code[]; buckets: Code[] }
const codes = reactive<Lists>({ sources: [], categories: [], kinds: [], statuses: [], buckets: [] })
let loading: Promise<void> | null = null

/** loadLedgerCodes loads the ledger's code lists once. */
export function loadLedgerCodes(): Promise<void> {
  if (!loading) {
    loading = must(api.GET('/api/v1/ledger/codes')).then((b) => {
      Object.assign(codes, {
        sources: b.sources ?? [], categories: b.categories ?? [], kinds: b.kinds ?? [], statuses: b.statuses ?? [], buckets: b.buckets ?? [],
      })
    })
    loading.catch(() => (loading = null))
  }
  return loading
}

export function ledgerCodes(list: keyof Lists): Code[] {
  return codes[list]
}

export function ledgerLabel(list: keyof Lists, key: string | null | undefined): string {
  if (!key) return ''
  return codes[list].find((c) => c.key === key)?.name ?? key
}

export const bucketShort: Record<string, string> = { overdue: '已超期', within_10: '≤10 个工作日', within_20: '≤20 个工作日', later: '>20 个工作日' }
export const bucketType: Record<string, 'danger' | 'warning' | 'primary' | 'success'> = { overdue: 'danger', within_10: 'warning', within_20: 'primary', later: 'success' }
export const statusType: Record<string, 'info' | 'primary' | 'warning' | 'success'> = {
  not_started: 'info', in_progress: 'primary', pending: 'warning', closed: 'success', long_term: 'primary',
}
export const stepLabel: Record<string, string> = {
  start: '启动整改', report: '报送进展', apply: '申请销号', review: '牵头单位审核', close: '销号', reject: '退回', recheck: '回头看复查', create: '登记', handover: '轮换交接',
}

const role = () => session.me?.role ?? ''
const me = () => session.me?.username ?? ''

/** findingActions lists the steps the signed-in account may take on f,
 * by the ledger's rules: the responsible unit (township, village) starts,
 * reports and applies; the lead unit (township, county) reviews; the
 * township office (the county for county-level findings) closes; the
 * applicant, reviewer and closer are three different accounts. */
export function findingActions(f: Finding): string[] {
  const r = role()
  const respond = ['admin', 'township', 'village'].includes(r)
  const review = ['admin', 'county', 'township'].includes(r)
  const close = f.county_level ? ['admin', 'county'].includes(r) : ['admin', 'township'].includes(r)
  const out: string[] = []
  switch (f.status) {
    case 'not_started':
      if (respond) out.push('start', 'report')
      break
    case 'in_progress':
    case 'long_term':
      if (respond) out.push('report', 'apply')
      break
    case 'pending':
      if (!f.reviewed_by && review && me() !== f.applied_by) out.push('review', 'reject')
      else if (f.reviewed_by && close && me() !== f.applied_by && me() !== f.reviewed_by) out.push('close', 'reject')
      break
  }
  return out
}

/** canRecheck: township, county and admin accounts record 回头看 re-checks. */
export function canRecheck(): boolean {
  return ['admin', 'county', 'township'].includes(role())
}

/** canLedgerWrite: the account may register inspections, findings and tasks. */
export function canLedgerWrite(): boolean {
  return can('write')
}
