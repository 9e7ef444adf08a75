// Package sqlstore keeps the registry in a relational database through
// database/sql: modernc.org/sqlite (pure Go, the embedded default) or
// PostgreSQL through pgx. All SQL is hand-written in the subset both engines
// share ($n placeholders, RETURNING); the few places where they differ go
// through the dialect value.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/monitor"
)

// Dialect names the database engine behind a DB.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open registry database. SQLite gets a single-connection write
// pool beside a read pool (WAL lets readers run during a write); PostgreSQL
// uses one pool for both.
type DB struct {
	write *sql.DB
	read  *sql.DB
	// scan serves batch scans (scan_conn.go): on SQLite a pool of its
	// own, on PostgreSQL the one pool; scanSem holds its slots.
	scan    *sql.DB
	scanSem chan struct{}
	dialect Dialect
	// Now returns the current time; tests replace it to pin time. Every
	// transaction reads it once so that all rows it writes agree.
	Now func() time.Time
	// dash memoises dashboards until the data changes (memo.go, dashboard_cache.go).
	dash *memo[string, Dashboard]
	// writeStatements sums the statements of committed write transactions
	// (tx_count.go).
	writeStatements atomic.Int64
	// dashHouseholds and dashVerdicts keep the dashboard's two counts per
	// village (village_memo.go, dashboard_cache.go).
	dashHouseholds, dashVerdicts *villageMemo[[]int]
	// views batches the audit entries of reads (audit_views.go);
	// beforeViewBatch, when set by a test, runs before each batch is written.
	views           viewBatch
	beforeViewBatch func(n int)
	// todo memoises the area counts of the 待办 panel (memo.go, todo_cache.go);
	// todoBase and todoVillage its per-village counts (todo_village.go).
	todo        *memo[string, Todo]
	todoBase    *memo[string, todoBase]
	todoVillage *memo[string, villageTodo]
	// seen holds session and token use times until written (sessions.go).
	seen seenTracker
	// seal keys the audit chain and publishes checkpoints (audit_seal.go).
	seal *auditSeal
	// totals memoises list totals until the data changes (list_cache.go).
	totals *memo[string, int]
	// listTotals keeps list totals per village (village_memo.go,
	// list_cache.go); liveHouseholds the number walkSortIndex weighs.
	listTotals     *villageMemo[int]
	liveHouseholds *memo[string, int]
	// pages memoises encoded household list pages until the data changes
	// (list_cache.go).
	pages *memo[string, []byte]
	// ledgerCounts memoises the ledger list's counts and totals until the
	// ledger changes (memo.go, ledger_list_cache.go).
	ledgerCounts *memo[string, ledgerCells]
	// todoCounted, when set (tests), receives the area prefixes or
	// villages each per-village count of the 待办 panel counts.
	todoCounted func(prefixes []string)
	// snapshotRead, when set (tests), runs inside a snapshot's transaction
	// after it has listed the households and before it commits.
	snapshotRead func()
	// stmtCounts counts what the SQLite connections' statement caches did
	// (stmt_cache.go).
	stmtCounts stmtCounts
	// WorkingDays counts working days for the ledger's deadline buckets;
	// nil counts weekdays only (the holiday calendar plugs in here).
	WorkingDays ledger.WorkingDays
	// WriteWait, when set, receives how long each write transaction waited to begin (for
	// the metrics: on SQLite that is the wait for the single writer).
	WriteWait func(time.Duration)
	// dsn is what Open was given (DSN).
	dsn string
	// replica, when set, serves the dashboard's reads (replica.go).
	replica *sql.DB
	// FailoverWait bounds how long a write transaction that met a primary change (PostgreSQL)
	// waits for a writable server before its one retry; 0 means DefaultFailoverWait.
	FailoverWait time.Duration
}

// DSN returns the connection string or file the database was opened with (it may hold a
// password: never log it).
func (db *DB) DSN() string { return db.dsn }

// IsPostgres reports whether dsn names a PostgreSQL database rather than an
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens dsn: a postgres:// URL or an SQLite file path. It does not
// migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return open(ctx, dsn, readCacheKiB)
}

// OpenBatch is Open for a one-shot command (assess, demo, export) that
// reads each page about once: on SQLite its read connections keep the scan
// pool's small page cache (scanCacheKiB) instead of readCacheKiB. The
// summary `fupin assess` prints after a county's assessment filled a read
// connection's 16 MiB, which modernc holds in twice that resident memory
// (measured: 119 → 171 MB peak at 300,000 households).
func OpenBatch(ctx context.Context, dsn string) (*DB, error) {
	return open(ctx, dsn, scanCacheKiB)
}

func open(ctx context.Context, dsn string, readKiB int) (*DB, error) {
	db := &DB{Now: time.Now, WorkingDays: calendarWorkingDays(monitor.Builtin()), dsn: dsn,
		dash:         newMemo[string, Dashboard](dashMaxEntries, dashMaxAge),
		todo:         newMemo[string, Todo](todoMaxEntries, todoMaxAge),
		todoBase:     newMemo[string, todoBase](todoMaxEntries, todoMaxAge),
		todoVillage:  newMemo[string, villageTodo](todoVillageEntries, todoMaxAge),
		totals:       newMemo[string, int](totalMaxEntries, 0),
		pages:        newMemo[string, []byte](pageMaxEntries, 0),
		ledgerCounts: newMemo[string, ledgerCells](ledgerCacheMaxEntries, 0),
		scanSem:      make(chan struct{}, scanSlots)}
	db.dashHouseholds, db.dashVerdicts = newVillageMemo[[]int](dashPartsEntries), newVillageMemo[[]int](dashPartsEntries)
	db.listTotals, db.liveHouseholds = newVillageMemo[int](totalPartsEntries), newMemo[string, int](1, liveMaxAge)
	if IsPostgres(dsn) {
		pool, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(pgPoolConns)
		pool.SetMaxIdleConns(pgPoolConns)
		db.write, db.read, db.scan, db.dialect = pool, pool, pool, Postgres
	} else {
		if err := db.openSQLite(dsn, readKiB); err != nil {
			return nil, err
		}
	}
	if err := db.read.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.dialect, err)
	}
	return db, nil
}

func (db *DB) openSQLite(path string, readKiB int) error {
	dsn := func(cacheKiB int) string {
		pragmas := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)",
			"synchronous(NORMAL)", fmt.Sprintf("cache_size(-%d)", cacheKiB)} {
			pragmas.Add("_pragma", p)
		}
		return "file:" + path + "?" + pragmas.Encode()
	}
	// The page cache is per connection (see writeCacheKiB, readCacheKiB).
	// Every connection keeps its statements prepared (stmt_cache.go).
	w := openLite(dsn(writeCacheKiB)+"&_txlock=immediate", &db.stmtCounts)
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r := openLite(dsn(readKiB), &db.stmtCounts)
	r.SetMaxOpenConns(4)
	// Keep all four: with database/sql's default of two idle connections,
	// a busy server closed and reopened readers constantly, each time
	// losing its page cache and prepared statements (a village's first
	// page at c=64 spent a fifth of its CPU connecting and preparing).
	r.SetMaxIdleConns(4)
	s := openLite(dsn(scanCacheKiB), &db.stmtCounts)
	s.SetMaxOpenConns(scanPoolConns)
	s.SetMaxIdleConns(scanConns)
	s.SetConnMaxIdleTime(time.Minute)
	// The write pool connects first so that WAL mode is set before readers.
	if err := w.Ping(); err != nil {
		w.Close()
		r.Close()
		s.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.write, db.read, db.scan, db.dialect = w, r, s, SQLite
	return nil
}

// Dialect returns the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes both pools, after a last audit checkpoint when the audit log is sealed.
func (db *DB) Close() error {
	db.seen.close()
	err := errors.Join(db.unseal(), db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close(), db.scan.Close())
	}
	if db.replica != nil {
		err = errors.Join(err, db.replica.Close())
	}
	return err
}

// Tx is a transaction with the one timestamp its writes use.
type Tx struct {
	*sql.Tx
	now     time.Time
	dialect Dialect
	actor   fupin.Actor
	seal    *auditSeal
	// conn is set for transactions that need the driver connection, such
	// as PostgreSQL COPY.
	conn *sql.Conn
	// refused are audit entries of refused attempts, written after the
	// rollback (elsewhere.go).
	refused []auditRow
	// pending are the audit entries flushAudit chains and writes before
	// the commit (audit_chain.go).
	pending []auditRow
	// repeatable is set in a REPEATABLE READ transaction (a PostgreSQL
	// snapshot), whose view is older than the chain's lock: chainTail reads
	// the tail on a connection of its own to dsn.
	repeatable bool
	dsn        string
	// importID is the import job a bulk load writes for (0: none).
	importID int64
	// changed is set when the data-change counter is to advance (search.go).
	changed bool
	// aidChanged is set when the aid-change counter is to advance (todo_cache.go).
	aidChanged bool
	// todoMarked holds the scopes of todo_changes this transaction is to
	// advance (todo_village.go); "" (every village) covers them all.
	todoMarked map[string]bool
	// statements counts the statements run through the Tx (tx_count.go).
	statements int
	// prepared are statements a long write repeats (monitor_alert.go);
	// they close with the transaction.
	prepared map[string]*sql.Stmt
}

// update runs fn in a write transaction and commits when fn returns nil. On PostgreSQL,
// when the transaction failed before COMMIT because the primary went away or became a
// standby (failover), it waits for a writable server and runs fn once more in a new
// transaction; fn must therefore not keep effects outside the transaction between its
// runs. A connection lost during COMMIT is never retried (errCommitUnknown).
func (db *DB) update(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	committing, err := db.updateOnce(ctx, actor, fn)
	if db.dialect != Postgres || committing || !primaryChanged(err) || ctx.Err() != nil {
		return err
	}
	if werr := db.awaitPrimary(ctx); werr != nil {
		return fmt.Errorf("%w (retry: %w)", err, werr)
	}
	_, err = db.updateOnce(ctx, actor, fn)
	return err
}

// updateNoRetry is update without the failover retry, for a fn whose effects outside the
// transaction (a callback's output) cannot be undone: a primary change fails it.
func (db *DB) updateNoRetry(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	_, err := db.updateOnce(ctx, actor, fn)
	return err
}

// updateOnce is one attempt of update; committing reports that the error came from COMMIT.
func (db *DB) updateOnce(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) (committing bool, err error) {
	start := time.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin: %w", err)
	}
	if db.WriteWait != nil {
		db.WriteWait(time.Since(start))
	}
	t := &Tx{Tx: tx, now: db.Now().UTC().Truncate(time.Microsecond), dialect: db.dialect, actor: actor, seal: db.seal, dsn: db.dsn}
	if err := runAndFlush(ctx, t, fn); err != nil {
		tx.Rollback()
		db.auditRefused(ctx, t)
		return false, cancelled(ctx, err)
	}
	if err := tx.Commit(); err != nil {
		if db.dialect == Postgres && primaryChanged(err) {
			return true, fmt.Errorf("%w: %w", errCommitUnknown, err)
		}
		return true, fmt.Errorf("commit: %w", err)
	}
	db.writeStatements.Add(int64(t.statements))
	return false, nil
}

// cancelled names the cancellation when a write transaction failed because
// ctx ended: the driver may report it otherwise (pgx reports the connection
// it closed to stop a query as bad).
func cancelled(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

// updateOnConn is update on a dedicated connection that fn may reach
// through tx.conn (for driver-level work such as COPY). It is for bulk
// loads only: on SQLite it turns foreign-key checks off for the duration.
func (db *DB) updateOnConn(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connection: %w", err)
	}
	defer conn.Close()
	if db.dialect == SQLite {
		// The loader assigns every id itself, so the foreign keys cannot be
		// broken; checking them would cost a lookup per row. The pragma only
		// takes effect outside a transaction, so it is set on the connection.
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`)
		// Appending rows needs little page cache, and CREATE INDEX sizes its
		// sort buffers from it. A page costs twice its size in resident
		// memory (the allocator rounds 4 KiB plus its header up to 8 KiB):
		// with 32 MiB a demo of 100,000 households peaked at 270 MB, with
		// 4 MiB at 145 MB, for the same CPU time (measured).
		var cache int
		if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(bulkCacheKiB)); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `PRAGMA cache_size = `+strconv.Itoa(cache))
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &Tx{Tx: tx, now: db.Now().UTC().Truncate(time.Microsecond), dialect: db.dialect, actor: actor, conn: conn, seal: db.seal}
	if err := runAndFlush(ctx, t, fn); err != nil {
		tx.Rollback()
		db.auditRefused(ctx, t)
		return cancelled(ctx, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// pgPoolConns is the size of the PostgreSQL pool, all of whose connections stay idle.
const pgPoolConns = 16

// view runs fn in a read-only transaction so that its reads agree. On PostgreSQL, when the
// server went away or the connection was lost (failover), it waits for a server and runs fn
// once more in a new transaction (retryRead): fn must not keep what a failed run gathered,
// so closures that fill variables of their caller start by resetting them.
func (db *DB) view(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	return db.retryRead(ctx, db.read, pgPoolConns, func() error { return db.viewOnce(ctx, actor, fn) })
}

// viewOnce is one attempt of view.
func (db *DB) viewOnce(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.dialect == Postgres})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(&Tx{Tx: tx, now: db.Now().UTC().Truncate(time.Microsecond), dialect: db.dialect, actor: actor})
}

// today is the transaction's date in China Standard Time, the day users see.
func (tx *Tx) today() fupin.Date { return fupin.DateOf(tx.now.In(chinaTime)) }

var chinaTime = time.FixedZone("CST", 8*3600)

// uniqueViolation reports whether err is a unique-constraint violation and,
// when it is, which index or columns were violated.
func uniqueViolation(err error) (string, bool) {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return pg.ConstraintName, true
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) && (lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return lite.Error(), true
	}
	return "", false
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }
