package sqlstore

import (
	"context"
	"sync"
	"time"

	"fupin/internal/fupin"
)

// Audit entries of reads (a household's people viewed unmasked) are
// written in batches. Every entry is chained and committed before its
// caller returns, as with AuditEvent, but the entries that arrive while a
// batch is being written go together in the next transaction. Audited
// writes are serialised (one SQLite writer; on PostgreSQL the chain's
// advisory lock, held to the commit and its WAL flush), so one commit per
// view made the detail page as costly as a write: at 200 requests/s of the
// mixed load, 90 views a second queued behind that lock with their pool
// connections, and the lists and pages waited for connections.
const (
	// viewBatchMax bounds the entries of one transaction.
	viewBatchMax = 256
	// viewBatchTimeout bounds one batch's transaction (its callers wait
	// on their own contexts as well).
	viewBatchTimeout = time.Minute
)

// viewBatch is the pending read-audit entries and whether a writer runs.
type viewBatch struct {
	mu      sync.Mutex
	pending []*viewEntry
	running bool
}

type viewEntry struct {
	actor, action, entity, entityID string
	detail                          any
	done                            chan error
}

// AuditView records an audited read (person.view) like AuditEvent: the
// entry is committed when it returns nil. Concurrent calls share
// transactions. The caller's context bounds its wait, not the batch.
func (db *DB) AuditView(ctx context.Context, actorName, action, entity, entityID string, detail any) error {
	e := &viewEntry{actor: actorName, action: action, entity: entity, entityID: entityID, detail: detail, done: make(chan error, 1)}
	b := &db.views
	b.mu.Lock()
	b.pending = append(b.pending, e)
	start := !b.running
	b.running = true
	b.mu.Unlock()
	if start {
		go db.writeViews()
	}
	select {
	case err := <-e.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeViews writes the pending entries, a batch per transaction, until
// none are left.
func (db *DB) writeViews() {
	b := &db.views
	for {
		b.mu.Lock()
		batch := b.pending[:min(len(b.pending), viewBatchMax)]
		b.pending = b.pending[len(batch):]
		if len(batch) == 0 {
			b.pending, b.running = nil, false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		if db.beforeViewBatch != nil {
			db.beforeViewBatch(len(batch))
		}
		ctx, cancel := context.WithTimeout(context.Background(), viewBatchTimeout)
		err := db.update(ctx, fupin.Actor{}, func(tx *Tx) error {
			for _, e := range batch {
				tx.actor = fupin.Actor{Name: e.actor} // appendAudit records tx.actor.Name
				if err := tx.auditValue(ctx, e.action, e.entity, e.entityID, nil, e.detail); err != nil {
					return err
				}
			}
			return nil
		})
		cancel()
		for _, e := range batch {
			e.done <- err
		}
	}
}
