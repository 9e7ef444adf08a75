package sqlstore

import (
	"context"
	"database/sql"
)

// Every statement of a transaction is a round trip on PostgreSQL (parse,
// bind, execute), which costs the database more CPU than most statements'
// own work; the write path is kept to few of them. These wrappers of the
// embedded *sql.Tx count the statements a write transaction runs, which
// DB.writeStatements sums (tests read it through export_test.go).

// ExecContext is sql.Tx.ExecContext, counted.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tx.statements++
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext is sql.Tx.QueryContext, counted.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.statements++
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext is sql.Tx.QueryRowContext, counted.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.statements++
	return tx.Tx.QueryRowContext(ctx, query, args...)
}
