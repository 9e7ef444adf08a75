// Pieces every form and page of the console shares: the date in China,
// the phone breakpoint, and what a 409 answer means.
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { ApiError } from './client'

/** today is the date in China as YYYY-MM-DD. */
export function today(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}

/** usePhone is true on a phone-width screen (the console's 768px breakpoint). */
export function usePhone() {
  const mq = window.matchMedia('(max-width: 768px)')
  const phone = ref(mq.matches)
  const on = () => (phone.value = mq.matches)
  onMounted(() => mq.addEventListener('change', on))
  onBeforeUnmount(() => mq.removeEventListener('change', on))
  return phone
}

/** isConflict reports a 409 answer: the record changed since it was loaded,
 * or the change is not allowed in its state (a duplicate name, say). */
export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409
}

/** isStale reports a 409 for an outdated version: reload and try again. */
export function isStale(e: unknown): boolean {
  return isConflict(e) && 'version' in ((e as ApiError).fields ?? {})
}
