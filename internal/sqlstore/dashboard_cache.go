package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fupin/internal/fupin"
)

// dashCache memoises dashboards. Counting a county's households, verdicts
// and incomes takes seconds on SQLite at a million people, but the data
// changes rarely compared with how often the 总览 is opened. An entry is
// valid while the data token it was computed under still holds: every
// write to households, members, incomes or parameters adds an audit entry
// in its transaction, and every finished recomputation marks its queue
// row, so the token changes with any change the dashboard could show,
// whichever process made it. The token costs two primary-key lookups.
//
// Computing a county of a million people takes seconds, so after a write
// the dashboards opened in the last hour are computed again in the
// background (refresh), and the next visitor finds them ready.
type dashCache struct {
	mu         sync.Mutex
	entries    map[string]*dashEntry
	refreshing bool
}

// dashEntry is one computed (or being computed) dashboard.
type dashEntry struct {
	token    string
	computed time.Time
	used     time.Time
	done     chan struct{} // closed when val and err are set
	val      Dashboard
	err      error
	// What to compute it again from.
	actor fupin.Actor
	area  string
	year  int
}

const (
	dashMaxEntries = 64
	// dashRefreshEvery is how often the refresher looks at the data token;
	// dashKeepWarm is how long after its last request a dashboard is kept
	// computed.
	dashRefreshEvery = 2 * time.Second
	dashKeepWarm     = time.Hour
	// dashMaxAge bounds staleness from writes that bypass the audit log
	// (a batch `fupin assess` run by another process).
	dashMaxAge = 10 * time.Minute
)

func (c *dashCache) get(ctx context.Context, db *DB, actor fupin.Actor, area string, year int) (Dashboard, error) {
	token, err := db.dataToken(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	key := fmt.Sprintf("%d|%q|%q", year, area, actor.Narrow(area)) // %q: nil and [""] (national) differ
	now := time.Now()
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*dashEntry{}
	}
	if !c.refreshing {
		c.refreshing = true
		go c.refresh(db, token)
	}
	e, ok := c.entries[key]
	if !ok || e.token != token || now.Sub(e.computed) > dashMaxAge && isDone(e.done) {
		e = c.start(key, token, actor, area, year)
		c.mu.Unlock()
		c.compute(ctx, db, key, e)
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

// start records a new entry in progress; the caller holds mu.
func (c *dashCache) start(key, token string, actor fupin.Actor, area string, year int) *dashEntry {
	now := time.Now()
	e := &dashEntry{token: token, computed: now, used: now, done: make(chan struct{}), actor: actor, area: area, year: year}
	if old, ok := c.entries[key]; ok {
		e.used = old.used
	}
	c.entries[key] = e
	c.evict()
	return e
}

// compute fills e, detached from the request: other callers may be waiting
// on it after the first has gone away.
func (c *dashCache) compute(ctx context.Context, db *DB, key string, e *dashEntry) {
	e.val, e.err = db.dashboard(context.WithoutCancel(ctx), e.actor, e.area, e.year)
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
}

// refresh recomputes, whenever the data token changes, the dashboards
// requested within dashKeepWarm. It ends when none was, or when the
// database is closed.
func (c *dashCache) refresh(db *DB, token string) {
	ctx := context.Background()
	for {
		time.Sleep(dashRefreshEvery)
		next, err := db.dataToken(ctx)
		if err != nil {
			c.mu.Lock()
			c.refreshing = false
			c.mu.Unlock()
			return // closed (or failing: the next request starts again)
		}
		if next == token {
			continue
		}
		token = next
		c.mu.Lock()
		var stale []string
		for k, e := range c.entries {
			if time.Since(e.used) > dashKeepWarm {
				delete(c.entries, k)
			} else if e.token != token && isDone(e.done) {
				stale = append(stale, k)
			}
		}
		if len(c.entries) == 0 {
			c.refreshing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for _, k := range stale {
			c.mu.Lock()
			old, ok := c.entries[k]
			if !ok || old.token == token || !isDone(old.done) {
				c.mu.Unlock()
				continue
			}
			e := c.start(k, token, old.actor, old.area, old.year)
			c.mu.Unlock()
			c.compute(ctx, db, k, e)
		}
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

// dataToken names the state of the data: the newest audit entry and the
// recomputations finished.
func (db *DB) dataToken(ctx context.Context) (string, error) {
	var audit, queued, done int64
	err := db.read.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM audit_log),
		(SELECT COALESCE(MAX(id), 0) FROM recompute_queue), (SELECT COUNT(*) FROM recompute_queue WHERE done_at IS NOT NULL)`).
		Scan(&audit, &queued, &done)
	if err != nil {
		return "", fmt.Errorf("dashboard data token: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", audit, queued, done), nil
}
