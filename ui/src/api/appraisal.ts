// Shared pieces of the 成效考核 pages: types, labels, and which roles may
// take snapshots, draw rounds and enter results (the server checks the same
// rules; the console only hides what would be refused).
import type { Schemas } from './client'
import { session } from './session'

export type Snapshot = Schemas['Snapshot']
export type Comparison = Schemas['Comparison']
export type Round = Schemas['Round']
export type SheetRow = Schemas['SheetRow']
export type RoundRates = Schemas['RoundRates']

const role = () => session.me?.role ?? ''

/** canAppraise: administrators and county users take snapshots and draw rounds. */
export function canAppraise(): boolean {
  return ['admin', 'county'].includes(role())
}

/** canCheck: administrators, county users and inspectors enter results. */
export function canCheck(): boolean {
  return ['admin', 'county', 'inspector'].includes(role())
}

export const kindLabel: Record<string, string> = { ex_poor: '脱贫户', monitored: '监测户', other: '其他农户' }
export const statusLabel: Record<string, string> = { pass: '达标', fail: '不达标', unknown: '待核实', '': '无结论' }

/** pct shows a 0–1 value as a percentage with one decimal. */
export function pct(v: number | null | undefined): string {
  return v == null ? '—' : `${(v * 100).toFixed(1)}%`
}
