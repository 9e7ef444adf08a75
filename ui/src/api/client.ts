// Typed access to the API under /api/v1. Types come from schema.d.ts,
// generated from ui/openapi.json (npm run gen:api), which a Go test keeps
// equal to the server's document.
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']
export type Household = Schemas['FupinHousehold']
export type Member = Schemas['FupinMember']
export type IncomeYear = Schemas['FupinIncomeYear']
export type Me = Schemas['HttpapiMeBody']
export type Dashboard = Schemas['SqlstoreDashboard']
export type AreaCounts = Schemas['SqlstoreAreaCounts']
export type ImportJob = Schemas['SqlstoreImport']
export type Region = Schemas['RegionRegion']

/** ApiError is an answer of the API's error shape, or a network failure. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: Record<string, string> = {},
  ) {
    super(message)
  }
}

let csrfToken = ''
let onUnauthorized: () => void = () => {}

/** setCsrf sets the token sent with every write (from sign-in or /me). */
export function setCsrf(token: string) {
  csrfToken = token
}

/** setUnauthorizedHandler is called when a request answers 401. */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn
}

export const api = createClient<paths>({ baseUrl: '' })

api.use({
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken)
    return request
  },
})

type Result<T> = { data?: T; error?: unknown; response: Response }

/** must returns the data of an openapi-fetch call, or throws an ApiError. */
export async function must<T>(p: Promise<Result<T>>): Promise<T> {
  let r: Result<T>
  try {
    r = await p
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  if (r.response.ok) return r.data as T
  throw toError(r.response.status, r.error)
}

export function toError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | undefined)?.error
  if (status === 401 && !location.hash.startsWith('#/login')) onUnauthorized()
  return new ApiError(status, e?.code ?? 'internal', e?.message ?? `服务器返回错误（HTTP ${status}）`, e?.fields ?? {})
}

/** upload posts a multipart form (the import) with the CSRF header. */
export async function upload<T>(url: string, form: FormData): Promise<T> {
  let resp: Response
  try {
    resp = await fetch(url, { method: 'POST', body: form, headers: { 'X-CSRF-Token': csrfToken }, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  const body = await resp.json().catch(() => undefined)
  if (!resp.ok) throw toError(resp.status, body)
  return body as T
}
