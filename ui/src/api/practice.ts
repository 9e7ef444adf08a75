// Shared pieces of the 典型案例 pages: types, labels and which roles may
// propose and review (the server checks the same rules; the console only
// hides what would be refused).
import type { Schemas } from './client'
import { session } from './session'

export type Practice = Schemas['Practice']
export type PracticeFigure = Schemas['PracticeFigure']
export type PracticePage = Schemas['PracticePage']

const role = () => session.me?.role ?? ''

/** canPropose: county, township and village offices (and administrators) propose cases. */
export function canPropose(): boolean {
  return ['admin', 'county', 'township', 'village'].includes(role())
}

/** canReview: administrators and county users publish and withdraw cases and edit published ones. */
export function canReview(): boolean {
  return ['admin', 'county'].includes(role())
}

export const themeLabel: Record<string, string> = {
  industry: '产业帮扶', employment: '就业帮扶', relocation: '易地搬迁后续扶持', education: '教育帮扶', health: '健康帮扶',
  housing: '住房安全', water: '饮水安全', monitoring: '防返贫动态监测', rectification: '问题整改', forces: '帮扶力量与驻村工作',
  assets: '项目资产管理', consumption: '消费帮扶', governance: '乡村治理', other: '其他',
}
export const practiceStatusLabel: Record<string, string> = { proposed: '推荐待审', published: '已入库', withdrawn: '已撤回' }
export const figureSourceLabel: Record<string, string> = { finding: '整改问题', rotation: '轮换交接', project: '帮扶项目', round: '抽查轮次', asset: '项目资产' }

/** sourceLink is the console page of a figure's (or a case's) source record. */
export function sourceLink(source?: string, id?: number): string {
  if (!source || !id) return ''
  return {
    finding: `/ledger/findings/${id}`, rotation: `/aid/rotations/${id}`, project: `/projects/${id}`, round: `/appraisal/rounds/${id}`, asset: '/project-assets',
  }[source] ?? ''
}

/** figureValue shows a figure's number without trailing zeros, with its unit. */
export function figureValue(f: PracticeFigure): string {
  return `${Number(f.value).toLocaleString('zh-CN', { maximumFractionDigits: 2 })}${f.unit ? ' ' + f.unit : ''}`
}
