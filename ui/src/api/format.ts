// Display helpers: money in yuan, dates and times in China time.
const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const count = new Intl.NumberFormat('zh-CN')

export function money(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  return yuan.format(Number(v))
}

export function num(v: unknown): string {
  if (v === null || v === undefined) return '—'
  return count.format(Number(v))
}

export function dateTime(v: unknown): string {
  if (!v) return '—'
  const d = new Date(String(v))
  if (isNaN(d.getTime())) return String(v)
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
}

export function lastYear(): number {
  return new Date().getFullYear() - 1
}
