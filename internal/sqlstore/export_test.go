package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
)

// EncodeItems exposes encodeItems to the tests.
var EncodeItems = encodeItems

// Exec runs raw SQL on the write pool, for tests that tamper with tables.
func (db *DB) Exec(query string, args ...any) error {
	_, err := db.write.Exec(query, args...)
	return err
}

// Update exposes update (a write transaction with its failover retry) to the tests.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.update(ctx, fupin.SystemActor("test"), fn)
}

// PrimaryChanged exposes primaryChanged to the tests.
var PrimaryChanged = primaryChanged

// MigrateTo applies the pending migrations up to and including name, as a program of that
// schema version would have left the database (migration fixtures).
func (db *DB) MigrateTo(ctx context.Context, name string) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := MigrationNames(db.dialect)
	if err != nil {
		return err
	}
	for _, n := range names {
		if n > name {
			break
		}
		if _, err := db.applyMigration(ctx, n); err != nil {
			return fmt.Errorf("migration %s: %w", n, err)
		}
	}
	return nil
}
