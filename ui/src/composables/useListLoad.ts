// A page's data read from the server as its filters change: loading and
// error for the template, and load() for a watch. Only the latest request
// is applied, so a slow answer to an old filter never replaces a newer one.
import { ref } from 'vue'

/** useListLoad gives loading, error and load(): load runs fetch and hands
 * its result to apply unless a later load started meanwhile; an error's
 * message goes to error. */
export function useListLoad<T>(fetch: () => Promise<T>, apply: (v: T) => void) {
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const v = await fetch()
      if (mine === seq) apply(v)
    } catch (e) {
      if (mine === seq) error.value = (e as Error).message
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  return { loading, error, load }
}
