package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// TestStmtReuse: on SQLite a write (UpdateHousehold: the household, its
// reassessment, the audit entry, the change counters) and the detail read
// run on statements prepared once per connection. After a warm-up, more
// writes and reads prepare nothing and run nothing unprepared. PostgreSQL runs
// the same calls (pgx keeps its own statements; the counters stay zero).
func TestStmtReuse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 0))
		if err != nil {
			t.Fatal(err)
		}
		round := func(i int) {
			t.Helper()
			cur, err := db.Household(ctx, admin, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			cur.Phone = fmt.Sprintf("1390000%04d", i)
			if _, err := db.UpdateHousehold(ctx, admin, cur); err != nil {
				t.Fatalf("update %d: %v", i, err)
			}
		}
		// The read pool has several connections, each preparing on first use.
		for i := range 10 {
			round(i)
		}
		before := db.StmtCounts()
		const n = 20
		for i := range n {
			round(10 + i)
		}
		after := db.StmtCounts()
		if db.Dialect() != sqlstore.SQLite {
			if after != (sqlstore.StmtCounts{}) {
				t.Fatalf("counts on %s = %+v, want none", db.Dialect(), after)
			}
			return
		}
		prepared, bypassed := after.Prepared-before.Prepared, after.Bypassed-before.Bypassed
		reused := after.Reused - before.Reused
		if prepared != 0 || bypassed != 0 || reused < 10*n {
			t.Fatalf("%d reads and writes: %d statements prepared, %d run unprepared, %d reused; want 0, 0 and at least %d",
				n, prepared, bypassed, reused, 10*n)
		}
		t.Logf("%d rounds: %d runs of kept statements (%.1f a round)", n, reused, float64(reused)/n)
	})
}

// countTo is one statement whose rows are 1..$1, on both engines.
const countTo = `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $1) SELECT n FROM c`

// countTo3 is countTo without arguments: a second step on its statement
// would go on reading where the open rows are.
const countTo3 = `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT n FROM c`

// nested reads query's rows and, for each, runs query again to its end
// (and once more as an Exec and a QueryRow): it returns the outer values
// and the sum of all inner values.
func nested(ctx context.Context, tx *sqlstore.Tx, query string, args ...any) (outer []int, inner int, err error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, 0, err
		}
		outer = append(outer, n)
		if len(outer) > 10 {
			return outer, inner, fmt.Errorf("outer rows do not end")
		}
		in, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, 0, err
		}
		for in.Next() {
			var m int
			if err := in.Scan(&m); err != nil {
				in.Close()
				return nil, 0, err
			}
			inner += m
			if inner > 1000 {
				in.Close()
				return outer, inner, fmt.Errorf("inner rows do not end")
			}
		}
		if err := in.Err(); err != nil {
			return nil, 0, err
		}
		in.Close()
		var first int
		if err := tx.QueryRowContext(ctx, query, args...).Scan(&first); err != nil {
			return nil, 0, err
		}
		inner += first
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return nil, 0, err
		}
	}
	return outer, inner, rows.Err()
}

// TestStmtNestedRows: a statement run again while its own rows are still
// being read (a nested loop over the same query) gives both loops all their
// rows: the inner run does not reset, or step on, the outer rows. SQLite
// only: a PostgreSQL connection runs one query at a time (pgx: "conn busy").
func TestStmtNestedRows(t *testing.T) {
	db := dbtest.SQLite(t)
	for _, tc := range []struct {
		name  string
		query string
		args  []any
	}{
		{"with arguments", countTo, []any{3}},
		{"without arguments", countTo3, nil},
	} {
		for _, run := range []struct {
			name string
			fn   func(context.Context, func(*sqlstore.Tx) error) error
		}{{"write", db.Update}, {"read", db.View}} {
			var outer []int
			var inner int
			err := run.fn(ctx, func(tx *sqlstore.Tx) error {
				// Twice: the second time the statement is kept already.
				for range 2 {
					var err error
					if outer, inner, err = nested(ctx, tx, tc.query, tc.args...); err != nil {
						return err
					}
				}
				return nil
			})
			// Each outer row: 1+2+3 from the inner rows, 1 from the QueryRow.
			if err != nil || fmt.Sprint(outer) != "[1 2 3]" || inner != 3*7 {
				t.Errorf("%s, %s: outer %v, inner sum %d, %v; want [1 2 3], 21", tc.name, run.name, outer, inner, err)
			}
		}
	}
}

// TestStmtMultiStatement: a text of several statements runs them all, every
// time, and is not kept prepared (nor is DDL).
func TestStmtMultiStatement(t *testing.T) {
	db := dbtest.SQLite(t)
	before := db.StmtCounts()
	err := db.Update(ctx, func(tx *sqlstore.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE multi (x INTEGER)`); err != nil {
			return err
		}
		for range 2 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO multi VALUES ($1); INSERT INTO multi VALUES ($1 + 1);`, 10); err != nil {
				return err
			}
		}
		var n, sum int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), SUM(x) FROM multi`).Scan(&n, &sum); err != nil {
			return err
		}
		if n != 4 || sum != 42 {
			return fmt.Errorf("rows %d, sum %d; want 4 and 42", n, sum)
		}
		_, err := tx.ExecContext(ctx, `DROP TABLE multi`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	after := db.StmtCounts()
	// Kept: the SELECT only. Unprepared: CREATE, the list twice, DROP.
	if p, b := after.Prepared-before.Prepared, after.Bypassed-before.Bypassed; p != 1 || b != 4 {
		t.Fatalf("prepared %d, unprepared %d; want 1 and 4", p, b)
	}
}

// TestStmtCacheBound: statements built with varying text (here 300 distinct
// ones) keep at most 128 prepared on a connection, dropping the least
// recently used: a statement run between each of them stays prepared. A
// statement over 8 KiB is never kept.
func TestStmtCacheBound(t *testing.T) {
	db := dbtest.SQLite(t)
	before := db.StmtCounts()
	err := db.Update(ctx, func(tx *sqlstore.Tx) error {
		for i := range 300 {
			var got int
			if err := tx.QueryRowContext(ctx, `SELECT $1 + 0`, i).Scan(&got); err != nil || got != i {
				return fmt.Errorf("hot %d: %d, %v", i, got, err)
			}
			q := fmt.Sprintf(`SELECT $1 + %d`, i+1)
			if err := tx.QueryRowContext(ctx, q, i).Scan(&got); err != nil || got != 2*i+1 {
				return fmt.Errorf("%s: %d, %v", q, got, err)
			}
		}
		long := `SELECT $1 + 0` + strings.Repeat(" ", 9000)
		var got int
		return tx.QueryRowContext(ctx, long, 7).Scan(&got)
	})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := db.KeptStatements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := db.StmtCounts()
	d.Prepared -= before.Prepared
	d.Evicted -= before.Evicted
	d.Bypassed -= before.Bypassed
	if kept != 128 || d.Prepared != 301 || d.Bypassed != 1 || d.Evicted < 301-128 {
		t.Fatalf("kept %d, prepared %d, evicted %d, unprepared %d; want 128, 301 (the hot one once), at least 173, 1",
			kept, d.Prepared, d.Evicted, d.Bypassed)
	}
}

// TestStmtSchemaChange: a kept statement follows schema changes made by
// another connection (ALTER, DROP and CREATE: SQLite prepares it again, as
// sqlite3_prepare_v2 promises), and VACUUM runs beside kept statements.
func TestStmtSchemaChange(t *testing.T) {
	db := dbtest.SQLite(t)
	other, err := sqlstore.Open(ctx, db.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := db.Exec(`CREATE TABLE shape (id INTEGER PRIMARY KEY, a TEXT)`); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO shape VALUES (1, 'x')`); err != nil {
		t.Fatal(err)
	}
	columns := func() string {
		t.Helper()
		var cols []string
		err := db.Update(ctx, func(tx *sqlstore.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT * FROM shape WHERE id = $1`, 1)
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, err = rows.Columns()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(cols, ",")
	}
	if got := columns(); got != "id,a" {
		t.Fatalf("columns %q", got)
	}
	if err := other.Exec(`ALTER TABLE shape ADD COLUMN b TEXT`); err != nil {
		t.Fatal(err)
	}
	if got := columns(); got != "id,a,b" {
		t.Fatalf("after ALTER: columns %q, want id,a,b", got)
	}
	if err := other.Exec(`DROP TABLE shape`); err != nil {
		t.Fatal(err)
	}
	if err := other.Exec(`CREATE TABLE shape (id INTEGER PRIMARY KEY, c INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if got := columns(); got != "id,c" {
		t.Fatalf("after DROP and CREATE: columns %q, want id,c", got)
	}
	if err := db.Exec(`VACUUM`); err != nil {
		t.Fatalf("VACUUM beside kept statements: %v", err)
	}
	if got := columns(); got != "id,c" {
		t.Fatalf("after VACUUM: columns %q", got)
	}
}

// TestStmtClosedConnections: when the pool closes a connection its kept
// statements go with it, and reads on new connections prepare again.
func TestStmtClosedConnections(t *testing.T) {
	db := dbtest.SQLite(t)
	db.DropIdleReaders()
	h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 0))
	if err != nil {
		t.Fatal(err)
	}
	before := db.StmtCounts()
	for range 5 {
		got, err := db.Household(ctx, admin, h.ID)
		if err != nil || got.Size != 3 {
			t.Fatalf("read on a new connection: %+v, %v", got, err)
		}
	}
	d := db.StmtCounts()
	if p := d.Prepared - before.Prepared; p < 5 {
		t.Fatalf("five reads on new connections prepared %d statements, want some on each", p)
	}
}
