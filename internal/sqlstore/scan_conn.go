package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// Page cache sizes (KiB) of the SQLite pools, among them the scan pool whose
// connections batch work borrows for long ordered scans. A scan reads each page once:
// a cache does not help it, and with modernc the read pool's caches grew
// the resident memory of an export of 300,000 households to 280 MB
// (measured: 43 MB with the scan cache below).
const (
	readCacheKiB = 16 << 10
	// writeCacheKiB is the write pool's connection. With modernc a cached
	// page costs twice its size in resident memory (4 KiB plus its header
	// rounds up to an 8 KiB block): at 128 MiB, saving the report of an
	// import of junk cells took it to 343 MB resident, 260 MB of it
	// outside the Go heap. Bulk loads, assessments and the aid load set
	// their own cache on it.
	writeCacheKiB = 16 << 10
	// tempCacheKiB is the temporary tables' cache of the write connection
	// while a department list is matched (its staged rows stay in memory).
	tempCacheKiB = 128 << 10
	scanCacheKiB = 2 << 10
	// assessCacheKiB is the write connection's cache while a batch
	// assessment rewrites verdicts (in id order, so it needs few pages).
	assessCacheKiB = 8 << 10
	// bulkCacheKiB is the write connection's cache during a bulk load.
	bulkCacheKiB = 4 << 10
)

// Batch scans (eachHousehold) read three ordered streams at once, each on a
// connection of its own. A scan that held some of its connections while
// waiting for the rest could wait forever on another doing the same, so a
// scan first takes one of scanSlots slots and only then its connections;
// on SQLite they come from a pool of their own (db.scan, scanPoolConns
// connections with the small scanCacheKiB cache), so that exports never
// take the read pool's connections from the lists and pages. The same rule
// holds everywhere in this package: code that holds a read connection (open
// rows, a read transaction, a borrowed connection) never asks a pool for
// another one; it reads on what it holds or finishes first.
const (
	scanSlots = 2
	// scanConns is the connections one batch scan holds.
	scanConns = 3
	// scanPoolConns leaves one more for verdictKeys, which takes a single
	// scan connection without a slot (it waits for nothing while it holds it).
	scanPoolConns = scanSlots*scanConns + 1
)

// rowQueryer runs one-row queries: a pool or a transaction.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanSlot waits for one of the scanSlots slots; release gives it back.
func (db *DB) scanSlot(ctx context.Context) (release func(), err error) {
	select {
	case db.scanSem <- struct{}{}:
		return func() { <-db.scanSem }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a scan slot: %w", ctx.Err())
	}
}

// scanConn borrows a scan connection (db.scan) for one long ordered scan;
// release returns it.
func (db *DB) scanConn(ctx context.Context) (conn *sql.Conn, release func(), err error) {
	conn, err = db.scan.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("connection: %w", err)
	}
	return conn, func() { conn.Close() }, nil
}

// scanQuery runs query on a borrowed scan connection (see scanConn); done
// closes the rows and gives the connection back.
func (db *DB) scanQuery(ctx context.Context, query string, args ...any) (*sql.Rows, func(), error) {
	conn, release, err := db.scanConn(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		release()
		return nil, nil, err
	}
	return rows, func() { rows.Close(); release() }, nil
}
