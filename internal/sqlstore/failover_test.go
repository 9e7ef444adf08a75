package sqlstore_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// Which errors met before COMMIT say the primary changed (retry once on the new one) and
// which would fail the same way again.
func TestPrimaryChanged(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"read-only transaction (demoted primary)", &pgconn.PgError{Code: "25006"}, true},
		{"admin shutdown", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"bad connection", driver.ErrBadConn, true},
		{"unexpected EOF", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, false},
		{"check violation", &pgconn.PgError{Code: "23514"}, false},
		{"plain error", errors.New("户编号重复"), false},
		{"nil", nil, false},
	} {
		if got := sqlstore.PrimaryChanged(tc.err); got != tc.want {
			t.Errorf("%s: primaryChanged = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A write transaction that meets a read-only server (as on a primary demoted by failover)
// runs once more and commits; one that fails for its own reasons runs once. (On SQLite,
// which has no primary, the first run is an ordinary write.)
func TestWriteRetriedOnceAfterPrimaryChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if err := db.Exec(`CREATE TABLE failover_probe (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		runs := 0
		err := db.Update(ctx, func(tx *sqlstore.Tx) error {
			runs++
			if runs == 1 && db.Dialect() == sqlstore.Postgres {
				if _, err := tx.ExecContext(ctx, `SET TRANSACTION READ ONLY`); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO failover_probe (id) VALUES (1)`)
			return err
		})
		wantRuns := map[sqlstore.Dialect]int{sqlstore.SQLite: 1, sqlstore.Postgres: 2}[db.Dialect()]
		if err != nil || runs != wantRuns {
			t.Fatalf("write on a read-only server: runs %d (want %d), err %v", runs, wantRuns, err)
		}
		runs = 0
		err = db.Update(ctx, func(tx *sqlstore.Tx) error {
			runs++
			_, err := tx.ExecContext(ctx, `INSERT INTO failover_probe (id) VALUES (1)`)
			return err
		})
		if err == nil || runs != 1 {
			t.Errorf("duplicate key: runs %d, err %v; want one run and an error", runs, err)
		}
	})
}
