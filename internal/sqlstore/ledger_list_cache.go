package sqlstore

import (
	"fmt"
	"maps"
	"sync"

	"fupin/internal/fupin"
)

// ledgerCache memoises the counts above the ledger list (open findings per
// deadline bucket, findings per status) and list totals, per filter, the
// caller's narrowed areas and the day (buckets move with the calendar),
// valid while the data token they were counted under holds: every ledger
// write is audited and so advances it (see markChanged). Opening the list
// again, paging, or the dashboard card then reads one page of rows only.
type ledgerCache struct {
	mu      sync.Mutex
	entries map[string]ledgerCacheEntry
}

type ledgerCacheEntry struct {
	token    string
	total    int
	buckets  map[string]int
	statuses map[string]int
}

const ledgerCacheMaxEntries = 4096

// ledgerCountsKey names the counts of a filter (without status, bucket
// and paging, as FindingPage counts them) for an actor, on the bucket
// bounds of the day (today and the last days within 10 and 20 working
// days, which also change with the working-day calendar).
func ledgerCountsKey(actor fupin.Actor, f FindingFilter, bounds string) string {
	return fmt.Sprintf("counts|%q|%d|%s|%s", actor.Narrow(f.Area), f.InspectionID, f.Category, bounds)
}

// ledgerTotalKey names the total of a filter (without paging).
func ledgerTotalKey(actor fupin.Actor, f FindingFilter, bounds string) string {
	return fmt.Sprintf("total|%q|%d|%s|%s|%s|%s", actor.Narrow(f.Area), f.InspectionID, f.Category, f.Status, f.Bucket, bounds)
}

func (c *ledgerCache) get(key, token string) (ledgerCacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.token != token {
		return ledgerCacheEntry{}, false
	}
	e.buckets, e.statuses = maps.Clone(e.buckets), maps.Clone(e.statuses)
	return e, true
}

func (c *ledgerCache) put(key string, e ledgerCacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= ledgerCacheMaxEntries {
		// Dropping everything keeps this simple and bounded.
		c.entries = map[string]ledgerCacheEntry{}
	}
	e.buckets, e.statuses = maps.Clone(e.buckets), maps.Clone(e.statuses)
	c.entries[key] = e
}
