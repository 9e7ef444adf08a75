// 导出 Excel: a list's download is the same route as its JSON page with
// format=xlsx and every filter and sort of the page, without paging; the
// server names the file 区域_清单_日期.xlsx.
import { ApiError, toError } from './client'

type Query = Record<string, string | number | boolean | null | undefined>

/** listUrl is path with the non-empty values of q as its query. */
export function listUrl(path: string, q: Query): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === null || v === undefined || v === '' || v === false) continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `${path}?${s}` : path
}

/** exportUrl is the download of a list: listUrl with format=xlsx. */
export function exportUrl(path: string, q: Query): string {
  return listUrl(path, { ...q, offset: undefined, limit: undefined, format: 'xlsx' })
}

/** fileName is the UTF-8 name of a Content-Disposition header (RFC 6266). */
export function fileName(disposition: string | null, fallback: string): string {
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')
  if (m) {
    try {
      return decodeURIComponent(m[1])
    } catch {
      // fall through
    }
  }
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback
}

/** download fetches url and saves the answer under the server's file name;
 * an error answer (a list over the export bound, say) throws its ApiError. */
export async function download(url: string): Promise<string> {
  let resp: Response
  try {
    resp = await fetch(url, { credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  if (!resp.ok) throw toError(resp.status, await resp.json().catch(() => undefined))
  const name = fileName(resp.headers.get('Content-Disposition'), 'export.xlsx')
  const a = document.createElement('a')
  a.href = URL.createObjectURL(await resp.blob())
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000)
  return name
}
