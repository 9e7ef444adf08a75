package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"fupin/internal/fupin"
)

// DefaultFailoverWait is DB.FailoverWait when unset. pg_auto_failover with its default
// timings promoted the standby 51 s after the primary was killed (scripts/failover-drill.sh),
// 18 s with faster health checks.
const DefaultFailoverWait = 90 * time.Second

// errCommitUnknown is the answer when the connection was lost while COMMIT was under way:
// the transaction may have committed (and, with synchronous replication, be on the new
// primary) or not. Retrying it blindly could write it twice, so it is never retried.
var errCommitUnknown = &fupin.Error{Code: fupin.EInternal,
	Message: "数据库连接在提交时中断，本次保存是否生效未知；请刷新页面核对后再决定是否重做"}

// primaryChanged reports whether err, met before COMMIT was sent, says the server is no
// longer a writable primary or the connection to it was lost: the transaction did not
// commit, so it is safe to run again on the new primary. Constraint, permission and
// serialisation errors are not: the same transaction would fail the same way.
func primaryChanged(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "25006": // read_only_sql_transaction: a demoted primary or a standby
			return true
		case pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		case strings.HasPrefix(pg.Code, "08"): // connection exception
			return true
		}
		return false
	}
	var conn *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &conn) || errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed")
}

// awaitPrimary waits until a new connection reaches a writable server, up to
// db.FailoverWait or ctx's end. It drops idle connections first: they lead to the old primary.
func (db *DB) awaitPrimary(ctx context.Context) error {
	return db.awaitServer(ctx, db.write, pgPoolConns, true)
}

// awaitServer waits until a new connection of pool reaches a server (a writable one when
// writable), up to db.FailoverWait or ctx's end. It drops pool's idle connections first,
// since they lead to the server that went away, and restores idle, the pool's usual limit.
func (db *DB) awaitServer(ctx context.Context, pool *sql.DB, idle int, writable bool) error {
	pool.SetMaxIdleConns(0)
	defer pool.SetMaxIdleConns(idle)
	wait := db.FailoverWait
	if wait == 0 {
		wait = DefaultFailoverWait
	}
	deadline := time.Now().Add(wait)
	for {
		var standby bool
		err := pool.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby)
		if err == nil && (!standby || !writable) {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("only standbys reachable")
			}
			return fmt.Errorf("no server after %s: %w", wait, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// retryRead runs read and, on PostgreSQL, when it failed because the server went away or
// the connection to it was lost (a failover, a restart), waits for a server of pool (up to
// db.FailoverWait; idle is the pool's usual idle limit) and runs it once more, so that a
// page read during a failover answers late rather than with an error. A read has nothing to
// commit, so any run may be repeated; read must only not keep what a failed run gathered.
func (db *DB) retryRead(ctx context.Context, pool *sql.DB, idle int, read func() error) error {
	err := read()
	if db.dialect != Postgres || !primaryChanged(err) || ctx.Err() != nil {
		return err
	}
	if werr := db.awaitServer(ctx, pool, idle, false); werr != nil {
		return fmt.Errorf("%w (retry: %w)", err, werr)
	}
	return read()
}
