package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fupin/internal/fupin"
)

// dashCache memoises dashboards. A county of a million people takes about
// 0.2 s to count and the 总览 is opened far more often than the data
// changes. An entry is valid while the data token it was computed under
// still holds: every write to households, members, incomes, verdicts or
// parameters advances the data-change counter in its transaction (reads
// such as a household view do not), and every finished recomputation
// marks its queue row, so the token changes with any change the dashboard
// could show, whichever process made it. Concurrent requests for the same
// dashboard share one computation.
type dashCache struct {
	mu      sync.Mutex
	entries map[string]*dashEntry
}

// dashEntry is one computed (or being computed) dashboard.
type dashEntry struct {
	token    string
	computed time.Time
	used     time.Time
	done     chan struct{} // closed when val and err are set
	val      Dashboard
	err      error
}

const (
	dashMaxEntries = 64
	// dashMaxAge bounds staleness from writes that bypass the store (SQL
	// run by hand).
	dashMaxAge = 10 * time.Minute
)

func (c *dashCache) get(ctx context.Context, db *DB, actor fupin.Actor, area string, year int) (Dashboard, error) {
	token, err := db.reportToken(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	key := fmt.Sprintf("%d|%q|%q", year, area, actor.Narrow(area)) // %q: nil and [""] (national) differ
	now := time.Now()
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*dashEntry{}
	}
	e, ok := c.entries[key]
	if !ok || e.token != token || now.Sub(e.computed) > dashMaxAge && isDone(e.done) {
		e = &dashEntry{token: token, computed: now, used: now, done: make(chan struct{})}
		c.entries[key] = e
		c.evict()
		c.mu.Unlock()
		// Detached from the request: other callers may be waiting on it
		// after the first has gone away.
		e.val, e.err = db.dashboard(context.WithoutCancel(ctx), actor, area, year)
		close(e.done)
		if e.err != nil {
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
		return e.val, e.err
	}
	e.used = now
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		return Dashboard{}, ctx.Err()
	}
}

func isDone(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// evict drops the least recently requested entries beyond the bound; the
// caller holds mu.
func (c *dashCache) evict() {
	for len(c.entries) > dashMaxEntries {
		var oldest string
		for k, e := range c.entries {
			if oldest == "" || e.used.Before(c.entries[oldest].used) {
				oldest = k
			}
		}
		delete(c.entries, oldest)
	}
}

const dataTokenSQL = `SELECT (SELECT n FROM data_changes WHERE id = 1),
		(SELECT COALESCE(MAX(id), 0) FROM recompute_queue), (SELECT COUNT(*) FROM recompute_queue WHERE done_at IS NOT NULL)`

// dataToken names the state of the data: the data-change counter (advanced
// by every write a dashboard or list could show, not by reads) and the
// recomputations queued and finished.
func (db *DB) dataToken(ctx context.Context) (string, error) {
	var changes, queued, done int64
	st, err := db.readStmt(ctx, dataTokenSQL)
	if err == nil {
		err = st.QueryRowContext(ctx).Scan(&changes, &queued, &done)
	}
	if err != nil {
		return "", fmt.Errorf("dashboard data token: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", changes, queued, done), nil
}
