// Calendar dates as the console handles them: YYYY-MM-DD strings in China.
import { today } from './forms'

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
