// Shared pieces of the 项目资金 pages: types, labels and which roles may
// write (the server checks the same rules; the console only hides what
// would be refused).
import type { Schemas } from './client'
import { session } from './session'

export type Project = Schemas['Project']
export type ProjectDetail = Schemas['ProjectDetail']
export type Rollup = Schemas['Rollup']
export type ProjectNotice = Schemas['ProjectNotice']

const role = () => session.me?.role ?? ''

/** canEditProjects: administrators, county and township users register projects and payments. */
export function canEditProjects(): boolean {
  return ['admin', 'county', 'township'].includes(role())
}

/** canApproveProjects: administrators and county users approve and accept projects. */
export function canApproveProjects(): boolean {
  return ['admin', 'county'].includes(role())
}

export const typeLabel: Record<string, string> = { infrastructure: '基础设施', industry: '产业', employment: '就业', other: '其他' }
export const subtypeLabel: Record<string, string> = { water: '水', power: '电', road: '路', telecom: '讯', housing: '房' }
export const statusLabel: Record<string, string> = { plan: '计划', approved: '已批复', building: '实施中', accepted: '已验收' }
export const sourceLabel: Record<string, string> = {
  central: '中央财政衔接资金', municipal: '市级财政衔接资金', county: '县级财政衔接资金',
  east_west: '东西部协作', paired: '定点帮扶', social: '社会帮扶', other: '其他',
}
export const sources = Object.keys(sourceLabel)

/** pct shows a 0–1 value as a percentage with one decimal. */
export function pct(v: number | null | undefined): string {
  return v == null ? '—' : `${(v * 100).toFixed(1)}%`
}

export type AssetRow = Schemas['AssetRow']
export type AssetRegister = Schemas['AssetRegister']
export const assetKindLabel: Record<string, string> = { operating: '经营性资产', public: '公益性资产', household: '到户类资产' }
export const assetOwnerLabel: Record<string, string> = { state: '国有', collective: '村集体', household: '农户' }
export const assetStatusLabel: Record<string, string> = { operating: '正常运营', idle: '闲置', damaged: '损毁待修', disposed: '已处置' }
