package exchange

import (
	"context"
	"sync"
	"time"

	"fupin/internal/sqlstore"
)

// storedProgress writes a running job's counts to the database from a goroutine of its own,
// the latest at most once per interval, so that other servers on one PostgreSQL database
// show an import started here. The load never waits for it: once the load's transaction
// writes the job's final state it holds the job's row, and a late write changes nothing
// (SaveImportProgress skips finished jobs). On SQLite the only writer is the load's, so
// progress stays in the serving process (the caller's Progress).
type storedProgress struct {
	mu     sync.Mutex
	latest *sqlstore.Import
	stop   chan struct{}
	done   chan struct{}
}

func storeProgress(ctx context.Context, db *sqlstore.DB, interval time.Duration) *storedProgress {
	sp := &storedProgress{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(sp.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-sp.stop:
				return
			case <-t.C:
			}
			sp.mu.Lock()
			j := sp.latest
			sp.latest = nil
			sp.mu.Unlock()
			if j != nil {
				db.SaveImportProgress(ctx, j) // best effort: the final state is written by the load
			}
		}
	}()
	return sp
}

// set keeps a copy of the job's counts for the next write.
func (sp *storedProgress) set(j *sqlstore.Import) {
	c := *j
	sp.mu.Lock()
	sp.latest = &c
	sp.mu.Unlock()
}

// close stops the writer and waits for a write in flight.
func (sp *storedProgress) close() {
	close(sp.stop)
	<-sp.done
}
