package sqlstore

import (
	"fmt"
	"sync"

	"fupin/internal/fupin"
)

// totalCache memoises list totals per filter (without paging and sort) and
// the caller's narrowed areas, valid while the data token they were counted
// under holds (see dataToken): paging through a list, or opening a village's
// first page again, no longer counts every matching household.
type totalCache struct {
	mu      sync.Mutex
	entries map[string]totalEntry
}

type totalEntry struct {
	token string
	total int
}

const totalMaxEntries = 4096

// totalKey names a filter's total for an actor.
func totalKey(actor fupin.Actor, f fupin.HouseholdFilter) string {
	f.Offset, f.Limit, f.Sort = 0, 0, ""
	return fmt.Sprintf("%q|%+v", actor.Narrow(f.Area), f)
}

func (c *totalCache) get(key, token string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return e.total, ok && e.token == token
}

func (c *totalCache) put(key, token string, total int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= totalMaxEntries {
		// Dropping everything keeps this simple and bounded; entries are
		// recounted on demand.
		c.entries = map[string]totalEntry{}
	}
	c.entries[key] = totalEntry{token: token, total: total}
}
