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

// txStmtMax bounds the statements one transaction keeps prepared for reuse.
const txStmtMax = 64

// ExecContext runs query in the transaction; see reusable.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.reusable(ctx, query, args); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs query in the transaction; see reusable.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.reusable(ctx, query, args); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query in the transaction; see reusable.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.reusable(ctx, query, args); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// reusable returns query prepared once for the transaction when it reuses
// statements (tx.reuse: a bulk load on SQLite, whose merge runs the same
// dozen statements for every changed household; modernc prepares an
// unprepared statement on every call, and parsing was a tenth of a 1 %
// changed re-import's CPU), or nil: run it unprepared. Statements without
// arguments (DDL, pragmas, several statements in one text) are never kept,
// nor more than txStmtMax; the transaction closes them when it ends.
func (tx *Tx) reusable(ctx context.Context, query string, args []any) *sql.Stmt {
	if !tx.reuse || len(args) == 0 {
		return nil
	}
	if st, ok := tx.prepared[query]; ok {
		return st
	}
	if len(tx.prepared) >= txStmtMax {
		return nil
	}
	st, err := tx.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil // run unprepared: the error, if any, comes from there
	}
	if tx.prepared == nil {
		tx.prepared = map[string]*sql.Stmt{}
	}
	tx.prepared[query] = st
	return st
}
