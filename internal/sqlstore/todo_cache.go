package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fupin/internal/fupin"
)

// todoCache memoises the area counts of the 待办 panel. Counting a township
// of 300,000 households takes seconds (unpaired households, overdue visits,
// 应纳未纳), and the panel is on the first page everyone opens. An entry
// holds while the day, the data-change counter (registry, verdicts,
// monitoring, ledger) and the aid-change counter (migration 0014) it was
// computed under hold, and for at most todoMaxAge (writes that bypass the
// store). Concurrent requests for the same area share one computation.
type todoCache struct {
	mu      sync.Mutex
	entries map[string]*todoEntry
}

type todoEntry struct {
	token    string
	computed time.Time
	used     time.Time
	done     chan struct{} // closed when val and err are set
	val      Todo
	err      error
}

const (
	todoMaxEntries = 256
	todoMaxAge     = 10 * time.Minute
)

// markAidChanged advances the aid-change counter once per transaction.
func (tx *Tx) markAidChanged(ctx context.Context) error {
	if tx.aidChanged {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE aid_changes SET n = n + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("aid change counter: %w", err)
	}
	tx.aidChanged = true
	return nil
}

// todoToken names the state the area counts depend on: the day (deadlines
// and overdue visits move with it) and both change counters.
func (db *DB) todoToken(ctx context.Context) (string, error) {
	data, err := db.dataToken(ctx)
	if err != nil {
		return "", err
	}
	var n int64
	st, err := db.readStmt(ctx, `SELECT n FROM aid_changes WHERE id = 1`)
	if err == nil {
		err = st.QueryRowContext(ctx).Scan(&n)
	}
	if err != nil {
		return "", fmt.Errorf("todo token: %w", err)
	}
	return fmt.Sprintf("%s/%d/%s", data, n, fupin.DateOf(db.Now().In(chinaTime))), nil
}

func (c *todoCache) get(ctx context.Context, db *DB, actor fupin.Actor, area string) (Todo, error) {
	token, err := db.todoToken(ctx)
	if err != nil {
		return Todo{}, err
	}
	key := fmt.Sprintf("%q|%q", area, actor.Narrow(area))
	now := time.Now()
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*todoEntry{}
	}
	e, ok := c.entries[key]
	if !ok || e.token != token || now.Sub(e.computed) > todoMaxAge && isDone(e.done) {
		e = &todoEntry{token: token, computed: now, used: now, done: make(chan struct{})}
		c.entries[key] = e
		c.evict()
		c.mu.Unlock()
		e.val, e.err = db.todoArea(context.WithoutCancel(ctx), actor, area)
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
		return Todo{}, ctx.Err()
	}
}

// evict drops the least recently requested entries beyond the bound; the
// caller holds mu.
func (c *todoCache) evict() {
	for len(c.entries) > todoMaxEntries {
		var oldest string
		for k, e := range c.entries {
			if oldest == "" || e.used.Before(c.entries[oldest].used) {
				oldest = k
			}
		}
		delete(c.entries, oldest)
	}
}
