package sqlstore

import (
	"context"
	"testing"
)

// HoldWriter opens a write transaction and keeps it open until release is
// called, as a long import does: on SQLite it holds the only writer, on
// PostgreSQL it locks the session and token tables against writes.
func (db *DB) HoldWriter(t testing.TB) (release func()) {
	t.Helper()
	tx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if db.dialect == Postgres {
		if _, err := tx.Exec(`LOCK TABLE sessions, api_tokens IN EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
	} else if _, err := tx.Exec(`UPDATE sessions SET addr = addr WHERE 0 = 1`); err != nil {
		t.Fatal(err)
	}
	return func() { tx.Rollback() }
}
