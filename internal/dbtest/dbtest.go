// Package dbtest opens real, migrated, empty databases for tests: SQLite in
// t.TempDir() always, and PostgreSQL in a fresh schema when
// FUPIN_TEST_POSTGRES_URL is set. With FUPIN_REQUIRE_POSTGRES=1 (CI sets it)
// a missing URL fails the test instead of skipping PostgreSQL.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"fupin/internal/sqlstore"
)

var schemaSeq atomic.Int64

// Each runs fn once per available engine as subtests "sqlite" and
// "postgres", each with a new empty database.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachBench is Each for benchmarks: sub-benchmarks "sqlite" and
// "postgres", each with a new empty database.
func EachBench(b *testing.B, fn func(b *testing.B, db *sqlstore.DB)) {
	b.Helper()
	b.Run("sqlite", func(b *testing.B) { fn(b, SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, Postgres(b)) })
}

// SQLite returns a migrated database in a temporary file.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "fupin.db"))
}

// Postgres returns a migrated database in a schema of its own, dropped when
// the test ends; it skips (or fails, under FUPIN_REQUIRE_POSTGRES) when no
// server is configured.
func Postgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, postgresDSN(t))
}

// EachUnmigrated is Each with databases that no migration has touched, for tests that build
// an earlier schema themselves.
func EachUnmigrated(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, openOnly(t, filepath.Join(t.TempDir(), "fupin.db"))) })
	t.Run("postgres", func(t *testing.T) { fn(t, openOnly(t, postgresDSN(t))) })
}

// postgresDSN makes a schema of its own, dropped when the test ends, and returns the URL
// that reaches it.
func postgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("FUPIN_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("FUPIN_REQUIRE_POSTGRES") != "" {
			t.Fatal("FUPIN_REQUIRE_POSTGRES is set but FUPIN_TEST_POSTGRES_URL is empty: PostgreSQL tests cannot run")
		}
		t.Skip("FUPIN_TEST_POSTGRES_URL not set")
	}
	schema := fmt.Sprintf("t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaSeq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db := openOnly(t, dsn)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// openOnly opens dsn without migrating it; the database closes when the test ends.
func openOnly(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// EachPair runs fn once per available engine with two handles on one new database, as two
// servers (processes) would have: two connection pools on one SQLite file, or on one
// PostgreSQL schema.
func EachPair(t *testing.T, fn func(t *testing.T, a, b *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "fupin.db")
		fn(t, open(t, path), open(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		a := Postgres(t)
		fn(t, a, open(t, a.DSN()))
	})
}
