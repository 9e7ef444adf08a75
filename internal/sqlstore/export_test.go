package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
)

// EncodeItems exposes encodeItems to the tests.
var EncodeItems = encodeItems

// DecodeItems and DecodeCanonicalItems expose the income items readers to
// the tests.
var (
	DecodeItems          = decodeItems
	DecodeCanonicalItems = decodeCanonicalItems
)

// Exec runs raw SQL on the write pool, for tests that tamper with tables.
func (db *DB) Exec(query string, args ...any) error {
	_, err := db.write.Exec(query, args...)
	return err
}

// OnSnapshotRead sets a function run inside CreateSnapshot's transaction
// after it listed the households, to interleave writers with it.
func (db *DB) OnSnapshotRead(f func()) { db.snapshotRead = f }

// QueryRow scans one row of raw SQL on the write pool into dest.
func (db *DB) QueryRow(query string, dest any, args ...any) error {
	return db.write.QueryRow(query, args...).Scan(dest)
}

// SinkCounts adds n rows (a, b) to a temporary table through a rowSink in
// one transaction and returns the table's row count after each add and
// after the final flush.
func (db *DB) SinkCounts(ctx context.Context, n int) ([]int, error) {
	var counts []int
	err := db.update(ctx, fupin.SystemActor("test"), func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE sink_t (a BIGINT, b TEXT)`); err != nil {
			return err
		}
		count := func() error {
			var c int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sink_t`).Scan(&c); err != nil {
				return err
			}
			counts = append(counts, c)
			return nil
		}
		s := tx.rowSink("sink_t", "a, b")
		for i := range n {
			if err := s.add(ctx, int64(i), itoa(i)); err != nil {
				return err
			}
			if err := count(); err != nil {
				return err
			}
		}
		if err := s.flush(ctx); err != nil {
			return err
		}
		if err := count(); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DROP TABLE sink_t`)
		return err
	})
	return counts, err
}

// Update exposes update (a write transaction with its failover retry) to the tests.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.update(ctx, fupin.SystemActor("test"), fn)
}

// View exposes view (a read transaction with its failover retry) to the tests.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.view(ctx, fupin.SystemActor("test"), fn)
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

// LimitReadPool caps the read pool at n connections (on PostgreSQL the one
// pool) and, where batch scans share that pool, their slots so that they
// leave it at least one connection, to provoke waits for connections.
func (db *DB) LimitReadPool(n int) {
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	if db.scan == db.read {
		db.scanSem = make(chan struct{}, max(1, (n-1)/scanConns))
	}
}

// SeedCases writes a monitoring case for each of the first n live
// households (by id), for the case-list benchmarks: stages cycle through
// every step, 监测中 and the two closed ones; steps started 0–59 days
// before today, so a share of them is overdue. It returns the cases written.
func (db *DB) SeedCases(ctx context.Context, n int, today fupin.Date) (int, error) {
	stages := []string{"home_check", "cross_check", "review", "notice", "township", "county", "monitored",
		"elim_check", "elim_notice", "elim_township", "elim_county", "eliminated", "rejected"}
	written := 0
	err := db.update(ctx, fupin.SystemActor("bench"), func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, village_code FROM households WHERE deleted_at IS NULL ORDER BY id LIMIT $1`, n)
		if err != nil {
			return err
		}
		type hh struct {
			id      int64
			village string
		}
		var hs []hh
		for rows.Next() {
			var h hh
			if err := rows.Scan(&h.id, &h.village); err != nil {
				rows.Close()
				return err
			}
			hs = append(hs, h)
		}
		rows.Close()
		for i, h := range hs {
			stage := stages[i%len(stages)]
			started := fupin.DateOf(today.Time().AddDate(0, 0, -(i*7)%60))
			opened := fupin.DateOf(started.Time().AddDate(0, 0, -(i % 5)))
			var identified any
			if i%len(stages) >= 6 {
				identified = opened
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_cases (household_id, village_code, path, category, risks,
				facts, stage, opened_on, stage_started_on, identified_on, created_by, created_at, updated_at)
				VALUES ($1, $2, 'cadre', 'unstable', 'illness,spending', '{"note":"基准"}', $3, $4, $5, $6, 'bench', $7, $7)`,
				h.id, h.village, stage, opened, started, identified, tx.now); err != nil {
				return fmt.Errorf("seed case %d: %w", i, err)
			}
			written++
		}
		return nil
	})
	return written, err
}

// OnTodoCount sets a function that receives the prefixes (areas or
// villages) each per-village count of the 待办 panel counts.
func (db *DB) OnTodoCount(f func(prefixes []string)) { db.todoCounted = f }

// TodoFresh is Todo computed without the memos (and leaving them as they
// were).
func (db *DB) TodoFresh(ctx context.Context, actor fupin.Actor, area string, who TodoCaller) (*Todo, error) {
	todo, base, village := db.todo, db.todoBase, db.todoVillage
	db.todo = newMemo[string, Todo](todoMaxEntries, todoMaxAge)
	db.todoBase = newMemo[string, todoBase](todoMaxEntries, todoMaxAge)
	db.todoVillage = newMemo[string, villageTodo](todoVillageEntries, todoMaxAge)
	defer func() { db.todo, db.todoBase, db.todoVillage = todo, base, village }()
	return db.Todo(ctx, actor, area, who)
}

// ReadCacheKiB is the page cache of a read connection (SQLite), in KiB.
func (db *DB) ReadCacheKiB(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&n)
	return -n, err
}

// SearchTerms returns the rows of household_terms, or with computed the
// terms termsSelect makes of every current member now, each "term|household".
func (db *DB) SearchTerms(computed bool) ([]string, error) {
	q := `SELECT term, household_id FROM household_terms`
	if computed {
		q = `SELECT DISTINCT term, household_id FROM (` + termsSelect("1 = 1") + `) t`
	}
	rows, err := db.write.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var term string
		var id int64
		if err := rows.Scan(&term, &id); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%q|%d", term, id))
	}
	return out, rows.Err()
}

// BeforeViewBatch sets a function run before each batch of read-audit
// entries is written, with the batch's size.
func (db *DB) BeforeViewBatch(f func(n int)) { db.beforeViewBatch = f }

// PendingViews is the number of read-audit entries waiting for a batch.
func (db *DB) PendingViews() int {
	db.views.mu.Lock()
	defer db.views.mu.Unlock()
	return len(db.views.pending)
}

// StmtCounts are the statement caches' counters (stmt_cache.go): statements
// prepared and kept, runs of a kept statement, runs unprepared, and kept
// statements finalized to make room. Zero on PostgreSQL.
type StmtCounts struct{ Prepared, Reused, Bypassed, Evicted int64 }

// StmtCounts reads the statement caches' counters.
func (db *DB) StmtCounts() StmtCounts {
	c := &db.stmtCounts
	return StmtCounts{c.prepared.Load(), c.reused.Load(), c.bypassed.Load(), c.evicted.Load()}
}

// KeptStatements returns how many statements the write connection keeps
// prepared (SQLite; -1 on PostgreSQL).
func (db *DB) KeptStatements(ctx context.Context) (int, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	n := -1
	err = conn.Raw(func(dc any) error {
		if lc, ok := dc.(*liteConn); ok {
			n = len(lc.stmts)
		}
		return nil
	})
	return n, err
}

// DropIdleReaders makes the read pool close every connection it gets back,
// so that each read runs on a new connection (and the connection's kept
// statements are finalized when it closes).
func (db *DB) DropIdleReaders() { db.read.SetMaxIdleConns(0) }

// WriteStatements is the number of statements committed write transactions
// have run (tx_count.go).
func (db *DB) WriteStatements() int64 { return db.writeStatements.Load() }
