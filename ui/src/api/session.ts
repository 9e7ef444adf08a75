// The signed-in user. Cookie session; the CSRF token comes with sign-in
// and with /me.
import { reactive } from 'vue'
import { api, del, post, setCsrf, type Me } from './client'

export const session = reactive<{ me: Me | null; checked: boolean }>({ me: null, checked: false })

// refreshMe asks GET /api/v1/session, which answers 200 signed in or not,
// so that opening the sign-in page logs no 401.
export async function refreshMe(): Promise<Me | null> {
  const r = await api.GET('/api/v1/session').catch(() => null)
  session.checked = true
  session.me = r && r.response.ok && r.data?.signed_in ? (r.data.me ?? null) : null
  if (session.me) setCsrf(session.me.csrf_token ?? '')
  return session.me
}

export async function signIn(username: string, password: string): Promise<Me> {
  const me = await post('/api/v1/session', { body: { username, password } })
  session.me = me
  session.checked = true
  setCsrf(me.csrf_token ?? '')
  return me
}

export async function signOut() {
  await del('/api/v1/session', {}).catch(() => null)
  session.me = null
  setCsrf('')
}

/** Capability is one of the names /me lists (from the server's internal/auth). */
export type Capability = 'write' | 'township_write' | 'users' | 'policy' | 'admin' | 'audit' | 'identity'

/** can reports whether the signed-in user has a capability: the console
 * shows a button only when the server would accept what it sends. */
export function can(c: Capability): boolean {
  return (session.me?.capabilities ?? []).includes(c)
}

/** homeArea is where the user's views start: their first area. */
export function homeArea(): string {
  return session.me?.areas?.[0] ?? ''
}
