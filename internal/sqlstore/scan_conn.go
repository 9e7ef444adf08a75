package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// Page cache sizes (KiB) of the SQLite pools, and of the connections that
// batch work borrows for long ordered scans. A scan reads each page once:
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

// scanConn borrows a read connection for one long ordered scan, with a
// small page cache on SQLite; release restores the pool's cache size and
// returns the connection.
func (db *DB) scanConn(ctx context.Context) (conn *sql.Conn, release func(), err error) {
	conn, err = db.read.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("connection: %w", err)
	}
	if db.dialect != SQLite {
		return conn, func() { conn.Close() }, nil
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(scanCacheKiB)); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("scan cache: %w", err)
	}
	return conn, func() {
		conn.ExecContext(context.Background(), `PRAGMA cache_size = -`+strconv.Itoa(readCacheKiB))
		conn.Close()
	}, nil
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
