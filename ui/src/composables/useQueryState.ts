// A page's filters, tab and page number live in the URL query, so a link
// or a reload shows the same list.
import { useRoute, useRouter } from 'vue-router'

type Value = string | number | null | undefined

/** useQueryState gives a page its route and set(q): q is merged into the
 * URL query (replaced, no new history entry); null and undefined remove a
 * key, and so does '' when dropEmpty is set. */
export function useQueryState() {
  const route = useRoute()
  const router = useRouter()
  function set(q: Record<string, Value>, dropEmpty = false) {
    const next: Record<string, string> = {}
    for (const [k, v] of Object.entries({ ...route.query, ...q }) as [string, unknown][]) {
      if (v === null || v === undefined || (dropEmpty && v === '')) continue
      next[k] = String(v)
    }
    router.replace({ query: next })
  }
  return { route, router, set }
}
