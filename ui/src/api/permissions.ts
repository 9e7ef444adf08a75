// What the signed-in user may do where, from the capabilities GET /me
// returns (the server checks every write again).
import { homeArea, session, can } from './session'

/** aidArea is where the aid pages start: the user's township (or wider area). */
export function aidArea(): string {
  const a = homeArea()
  return a.length > 9 ? a.slice(0, 9) : a
}

/** covers reports whether code is inside one of the user's areas. */
export function covers(code: string | null | undefined): boolean {
  return (session.me?.areas ?? []).some((a) => (code ?? '').startsWith(a))
}

/** canWriteIn: the user may edit aid records of the area code. */
export function canWriteIn(code: string | null | undefined): boolean {
  return !!can('write') && covers(code)
}

/** canSetAidRules: only roles with the policy permission (系统管理员) may
 * change the aid rules (PUT /aid/settings, like 政策参数). */
export function canSetAidRules(): boolean {
  return can('policy')
}
