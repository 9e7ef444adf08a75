package sqlstore_test

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// A write that runs out of space is recognised as such: on SQLite for real (the database is
// capped at a few pages, which gives SQLITE_FULL as a full disk does); PostgreSQL's disk_full
// (53100) and the file system's ENOSPC by their codes, as a full disk cannot be made here.
func TestDiskFullRecognised(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if db.Dialect() == sqlstore.SQLite {
			var n int
			if err := db.Exec(`PRAGMA max_page_count = 1`); err != nil { // never below the current size
				t.Fatal(err)
			}
			var err error
			for n = 0; n < 200 && err == nil; n++ {
				_, err = db.CreateHousehold(ctx, admin, family(t, tiantai, 100+3*n))
			}
			if !sqlstore.IsDiskFull(err) {
				t.Errorf("after %d households: %v, want a full database", n, err)
			}
			db.Exec(`PRAGMA max_page_count = 1073741823`)
		} else if !sqlstore.IsDiskFull(fmt.Errorf("insert: %w", &pgconn.PgError{Code: "53100", Message: "could not extend file"})) {
			t.Error("PostgreSQL disk_full not recognised")
		}
		if !sqlstore.IsDiskFull(&fs.PathError{Op: "write", Path: "/tmp/x", Err: syscall.ENOSPC}) {
			t.Error("ENOSPC not recognised")
		}
		for _, err := range []error{nil, errors.New("boom"), &pgconn.PgError{Code: "23505"}, syscall.EIO} {
			if sqlstore.IsDiskFull(err) {
				t.Errorf("%v taken for a full disk", err)
			}
		}
	})
}
