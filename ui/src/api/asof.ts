// 按日期回看: the date an as-of view shows, kept in the URL as
// ?as_of=YYYY-MM-DD; empty is today's live data.
import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useAsOf() {
  const route = useRoute()
  const router = useRouter()
  const date = computed(() => (route.query.as_of as string | undefined) ?? '')
  function set(v: string | null | undefined) {
    const q = { ...route.query }
    if (v) q.as_of = v
    else delete q.as_of
    router.push({ query: q })
  }
  return { date, set }
}
