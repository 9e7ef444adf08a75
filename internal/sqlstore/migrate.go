package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// Migrations are plain SQL files, one folder per engine with identical file
// names; each file runs in its own transaction and is recorded in
// schema_migrations. Never edit a released file: add a new one.
//
//go:embed migrations
var migrationFS embed.FS

// MigrationNames lists the migration files for an engine, sorted.
func MigrationNames(d Dialect) ([]string, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations/"+string(d))
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies every migration not yet applied and returns how many ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := MigrationNames(db.dialect)
	if err != nil {
		return 0, err
	}
	ran := 0
	for _, name := range names {
		applied, err := db.applyMigration(ctx, name)
		if err != nil {
			return ran, fmt.Errorf("migration %s: %w", name, err)
		}
		if applied {
			ran++
		}
	}
	return ran, nil
}

func (db *DB) applyMigration(ctx context.Context, name string) (bool, error) {
	body, err := migrationFS.ReadFile("migrations/" + string(db.dialect) + "/" + name)
	if err != nil {
		return false, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if db.dialect == Postgres {
		// Serialise concurrent starts of several servers on one database.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(4242001)`); err != nil {
			return false, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
		name, db.Now().UTC().Format("2006-01-02T15:04:05Z")); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
