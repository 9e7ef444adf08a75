// Typed access to the API under /api/v1. Types come from schema.d.ts,
// generated from ui/openapi.json (npm run gen:api), which a Go test keeps
// equal to the server's document.
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']
export type Household = Schemas['Household']
export type Member = Schemas['Member']
export type IncomeYear = Schemas['IncomeYear']
export type Me = Schemas['MeBody']
export type Dashboard = Schemas['Dashboard']
export type AreaCounts = Schemas['AreaCounts']
export type ImportJob = Schemas['Import']
export type Region = Schemas['Region']
export type Todo = Schemas['Todo']

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

// Writes go through post/put/del below, never through api.POST/PUT/DELETE
// directly: openapi-fetch infers its request options as a type parameter,
// so an object literal with a field the server does not know (a record's
// `id` in a body without one) passes the compiler and fails at run time
// with 未知字段. Here the body's type is fixed by the path before the
// argument is checked, so TypeScript rejects unknown fields. A Go test
// (internal/browsertest) reads these calls to know every write route the
// console can make.
type WriteMethod = 'post' | 'put' | 'delete'
type PathsWith<M extends WriteMethod> = { [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never }[keyof paths]
type Op<P extends keyof paths, M extends WriteMethod> = NonNullable<paths[P][M]>
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined
/** RequestBody is the JSON body the server accepts for a write route. */
export type RequestBody<P extends keyof paths, M extends WriteMethod> = Op<P, M> extends { requestBody?: infer R } ? JsonOf<NonNullable<R>> : undefined
type PathParams<P extends keyof paths, M extends WriteMethod> = Op<P, M> extends { parameters: { path: infer X } } ? X : never
type Answer<P extends keyof paths, M extends WriteMethod> = Op<P, M> extends { responses: infer R }
  ? 200 extends keyof R ? JsonOf<R[200]> : 201 extends keyof R ? JsonOf<R[201]> : 202 extends keyof R ? JsonOf<R[202]> : undefined
  : never
type WriteInit<P extends keyof paths, M extends WriteMethod> = ([PathParams<P, M>] extends [never] ? { path?: never } : { path: PathParams<P, M> }) &
  ([RequestBody<P, M>] extends [never] ? { body?: never } : undefined extends RequestBody<P, M> ? { body?: RequestBody<P, M> } : { body: RequestBody<P, M> })

async function send(method: 'POST' | 'PUT' | 'DELETE', path: string, init: { path?: unknown; body?: unknown }): Promise<unknown> {
  const call = api[method] as (p: string, o: object) => Promise<Result<unknown>>
  return must(call(path, { params: { path: init.path }, body: init.body }))
}

/** post sends a POST to a route of the API and returns its answer (ApiError on failure). */
export function post<P extends PathsWith<'post'>>(path: P, init: WriteInit<P, 'post'>): Promise<Answer<P, 'post'>> {
  return send('POST', path, init) as Promise<Answer<P, 'post'>>
}

/** put sends a PUT to a route of the API and returns its answer (ApiError on failure). */
export function put<P extends PathsWith<'put'>>(path: P, init: WriteInit<P, 'put'>): Promise<Answer<P, 'put'>> {
  return send('PUT', path, init) as Promise<Answer<P, 'put'>>
}

/** del sends a DELETE to a route of the API and returns its answer (ApiError on failure). */
export function del<P extends PathsWith<'delete'>>(path: P, init: WriteInit<P, 'delete'>): Promise<Answer<P, 'delete'>> {
  return send('DELETE', path, init) as Promise<Answer<P, 'delete'>>
}
