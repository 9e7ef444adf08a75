package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps prepared read statements by their text: the list's first
// pages and the data token are read far more often than anything else, and
// on SQLite parsing and planning them cost more than running them.
// database/sql prepares a statement once per connection and reuses it.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

const stmtMaxEntries = 256

// readStmt returns a prepared statement for query on the read pool.
func (db *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := db.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if c.stmts == nil || len(c.stmts) >= stmtMaxEntries {
		// Filters vary little; dropping the lot keeps this bounded. A
		// statement still in use finishes: Close waits for it.
		for _, old := range c.stmts {
			go old.Close()
		}
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st, nil
}

// readRow runs the prepared read statement query (readStmt) with args and scans its one
// row into dest, with retryRead's wait and one retry when the server went away.
func (db *DB) readRow(ctx context.Context, query string, args []any, dest ...any) error {
	return db.retryRead(ctx, db.read, pgPoolConns, func() error {
		st, err := db.readStmt(ctx, query)
		if err != nil {
			return err
		}
		return st.QueryRowContext(ctx, args...).Scan(dest...)
	})
}
