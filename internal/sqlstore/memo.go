package sqlstore

import (
	"context"
	"sync"
	"time"
)

// memo holds values derived from the data (dashboards, the 待办 panel's
// area counts, list totals), each valid while the token it was computed
// under holds (see dataToken) and for at most maxAge (writes that bypass
// the store, SQL run by hand). Concurrent gets of one key share one
// computation; errors are not kept. At most limit entries are kept, the
// least recently used dropped first.
type memo[K comparable, V any] struct {
	limit  int
	maxAge time.Duration // 0: no age limit

	mu      sync.Mutex
	entries map[K]*memoEntry[V]
}

// memoEntry is one computed (or being computed) value.
type memoEntry[V any] struct {
	token    string
	computed time.Time
	used     time.Time
	done     chan struct{} // closed when val and err are set
	val      V
	err      error
}

func newMemo[K comparable, V any](limit int, maxAge time.Duration) *memo[K, V] {
	return &memo[K, V]{limit: limit, maxAge: maxAge, entries: map[K]*memoEntry[V]{}}
}

// get returns the value of key under token, computing it with compute
// (detached from ctx's cancellation: other callers may be waiting on it
// after the first has gone away) unless a computation under the same
// token is kept or under way. A caller whose ctx ends while it waits gets
// ctx's error.
func (m *memo[K, V]) get(ctx context.Context, key K, token string, compute func(context.Context) (V, error)) (V, error) {
	now := time.Now()
	m.mu.Lock()
	e, ok := m.entries[key]
	if !ok || e.token != token || m.maxAge > 0 && now.Sub(e.computed) > m.maxAge && isDone(e.done) {
		e = &memoEntry[V]{token: token, computed: now, used: now, done: make(chan struct{})}
		m.entries[key] = e
		m.evict()
		m.mu.Unlock()
		e.val, e.err = compute(context.WithoutCancel(ctx))
		close(e.done)
		if e.err != nil {
			m.mu.Lock()
			if m.entries[key] == e {
				delete(m.entries, key)
			}
			m.mu.Unlock()
		}
		return e.val, e.err
	}
	e.used = now
	m.mu.Unlock()
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// peek returns the value kept for key under token, if one is computed.
func (m *memo[K, V]) peek(key K, token string) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || e.token != token || !isDone(e.done) || e.err != nil ||
		m.maxAge > 0 && time.Since(e.computed) > m.maxAge {
		var zero V
		return zero, false
	}
	e.used = time.Now()
	return e.val, true
}

// put keeps val for key under token, computed by the caller.
func (m *memo[K, V]) put(key K, token string, val V) {
	now := time.Now()
	done := make(chan struct{})
	close(done)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key] = &memoEntry[V]{token: token, computed: now, used: now, done: done, val: val}
	m.evict()
}

// evict drops the least recently used entries beyond the limit; the caller
// holds mu.
func (m *memo[K, V]) evict() {
	dropLeastUsed(m.entries, m.limit, func(e *memoEntry[V]) time.Time { return e.used })
}

// dropLeastUsed deletes the entries of m least recently used (by used)
// until at most limit are left. A full scan per entry dropped: the memos'
// limits are a few thousand at most.
func dropLeastUsed[K comparable, E any](m map[K]E, limit int, used func(E) time.Time) {
	for len(m) > limit {
		var oldest K
		var oldestUsed time.Time
		first := true
		for k, e := range m {
			if u := used(e); first || u.Before(oldestUsed) {
				oldest, oldestUsed, first = k, u, false
			}
		}
		delete(m, oldest)
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
