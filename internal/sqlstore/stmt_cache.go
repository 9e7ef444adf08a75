package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync/atomic"

	"modernc.org/sqlite"
)

// On SQLite every connection keeps the statements it runs prepared, by their
// text (liteConn). modernc prepares a statement that is not prepared on every
// call, and parsing and planning cost more than running for most of the
// store's statements: in the soak of issue 19, sqlite3_prepare_v2 was 6.5 % of
// the server's CPU (UpdateHousehold's reads and writes, the household detail,
// the data token, the token lookup). The cache sits below database/sql, in the
// driver connection, rather than in *sql.Stmt values: the write pool has one
// connection, which the transaction holds, so a *sql.Stmt could only be
// prepared on it between transactions; and only the driver connection sees
// when the rows of a statement close, which decides whether the statement may
// run again (a nested query of the same text while its rows are open).
// PostgreSQL needs none of this: pgx caches statements per connection.

const (
	// stmtMaxEntries bounds the statements one connection keeps; the least
	// recently used is finalized to make room. Statements built with a
	// varying number of placeholders (IN lists) each take an entry, and
	// the store's fixed statements number about two hundred, of which a
	// few dozen serve the hot paths.
	stmtMaxEntries = 128
	// stmtMaxLen bounds the text of a kept statement: multi-row INSERTs
	// of a bulk load and long IN lists run once and would only hold memory.
	stmtMaxLen = 8 << 10
)

// stmtCounts counts, across the connections of one DB, what the statement
// caches did (tests read them).
type stmtCounts struct {
	prepared atomic.Int64 // statements prepared and kept
	reused   atomic.Int64 // runs of a kept statement
	bypassed atomic.Int64 // runs unprepared: not kept (stmtKeep), or its rows still open
	evicted  atomic.Int64 // kept statements finalized to make room
}

// liteConnector opens modernc connections wrapped in liteConn.
type liteConnector struct {
	dsn    string
	drv    *sqlite.Driver
	counts *stmtCounts
}

func (c liteConnector) Connect(context.Context) (driver.Conn, error) {
	dc, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(liteDriverConn)
	if !ok {
		dc.Close()
		return nil, fmt.Errorf("sqlite: connection %T lacks the context methods", dc)
	}
	return &liteConn{liteDriverConn: inner, counts: c.counts, stmts: map[string]*liteStmt{}}, nil
}

func (c liteConnector) Driver() driver.Driver { return c.drv }

// openLite opens an SQLite pool whose connections keep their statements.
func openLite(dsn string, counts *stmtCounts) *sql.DB {
	return sql.OpenDB(liteConnector{dsn: dsn, drv: &sqlite.Driver{}, counts: counts})
}

// liteDriverConn is what database/sql uses of a modernc connection; liteConn
// passes it all through (Raw callers see liteConn and reach these methods)
// except ExecContext, QueryContext and Close.
type liteDriverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// liteStmtDriver is what a modernc statement offers.
type liteStmtDriver interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// liteConn is a modernc connection with its kept statements. database/sql
// uses a driver connection from one goroutine at a time (closing rows
// included), so the map needs no lock.
type liteConn struct {
	liteDriverConn
	counts *stmtCounts
	stmts  map[string]*liteStmt
	tick   uint64 // advances on every use, for the least recently used
}

// liteStmt is a kept statement. busy is set while rows from it are open: a
// modernc statement is one SQLite statement, and running it again would reset
// (or, without arguments, step on) the rows being read; evict passes over it.
type liteStmt struct {
	st   liteStmtDriver
	used uint64
	busy bool
}

// stmtKeep reports whether query may be kept prepared: one data statement
// (SELECT, INSERT, UPDATE, DELETE, WITH, REPLACE), not a list of several
// (modernc re-parses those on every run anyway), not DDL, a pragma, VACUUM or
// transaction control, and not over stmtMaxLen. A statement that starts with a
// comment, or with a ';' inside a literal, is simply run unprepared.
func stmtKeep(query string) bool {
	if len(query) > stmtMaxLen {
		return false
	}
	q := strings.TrimRight(strings.TrimSpace(query), "; \t\r\n")
	if strings.IndexByte(q, ';') >= 0 {
		return false
	}
	end := strings.IndexAny(q, " \t\r\n(")
	if end < 0 {
		end = len(q)
	}
	switch w := q[:end]; {
	case strings.EqualFold(w, "SELECT"), strings.EqualFold(w, "INSERT"), strings.EqualFold(w, "UPDATE"),
		strings.EqualFold(w, "DELETE"), strings.EqualFold(w, "WITH"), strings.EqualFold(w, "REPLACE"):
		return true
	}
	return false
}

// stmt returns the kept statement for query, preparing it on first use, or
// nil when query is to run unprepared (not kept, or its rows are open).
func (c *liteConn) stmt(ctx context.Context, query string) (*liteStmt, error) {
	c.tick++
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			c.counts.bypassed.Add(1)
			return nil, nil
		}
		s.used = c.tick
		c.counts.reused.Add(1)
		return s, nil
	}
	if !stmtKeep(query) {
		c.counts.bypassed.Add(1)
		return nil, nil
	}
	if len(c.stmts) >= stmtMaxEntries && !c.evict() {
		c.counts.bypassed.Add(1)
		return nil, nil
	}
	ds, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(liteStmtDriver)
	if !ok {
		ds.Close()
		c.counts.bypassed.Add(1)
		return nil, nil
	}
	s := &liteStmt{st: st, used: c.tick}
	c.stmts[query] = s
	c.counts.prepared.Add(1)
	return s, nil
}

// evict finalizes the least recently used statement whose rows are closed;
// false when every kept statement is reading.
func (c *liteConn) evict() bool {
	var oldest string
	var found *liteStmt
	for q, s := range c.stmts {
		if !s.busy && (found == nil || s.used < found.used) {
			oldest, found = q, s
		}
	}
	if found == nil {
		return false
	}
	delete(c.stmts, oldest)
	found.st.Close()
	c.counts.evicted.Add(1)
	return true
}

// ExecContext runs query as its kept statement when it can (see stmt).
func (c *liteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.liteDriverConn.ExecContext(ctx, query, args)
	}
	return s.st.ExecContext(ctx, args)
}

// QueryContext runs query as its kept statement when it can (see stmt); the
// statement stays busy until the rows close.
func (c *liteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.liteDriverConn.QueryContext(ctx, query, args)
	}
	r, err := s.st.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	lr, ok := r.(liteDriverRows)
	if !ok {
		r.Close()
		return nil, fmt.Errorf("sqlite: rows %T lack the column type methods", r)
	}
	s.busy = true
	return &liteRows{liteDriverRows: lr, s: s}, nil
}

// Close finalizes the kept statements, then closes the connection (the pool
// closes it with no rows open).
func (c *liteConn) Close() error {
	for q, s := range c.stmts {
		s.st.Close()
		delete(c.stmts, q)
	}
	return c.liteDriverConn.Close()
}

// liteDriverRows is what a modernc result offers.
type liteDriverRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// liteRows are the rows of a kept statement; closing them (which resets the
// statement) frees it for its next run.
type liteRows struct {
	liteDriverRows
	s *liteStmt
}

func (r *liteRows) Close() error {
	if r.s == nil {
		return nil
	}
	err := r.liteDriverRows.Close()
	r.s.busy = false
	r.s = nil
	return err
}

// readRow runs the read statement query with args and scans its one row into
// dest, with retryRead's wait and one retry when the server went away.
func (db *DB) readRow(ctx context.Context, query string, args []any, dest ...any) error {
	return db.retryRead(ctx, db.read, pgPoolConns, func() error {
		return db.read.QueryRowContext(ctx, query, args...).Scan(dest...)
	})
}
