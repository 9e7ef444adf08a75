package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// UseReplica sends the dashboard's reads (its data token and its counts) to dsn, a
// PostgreSQL standby or any PostgreSQL server with the same data (`serve --db-read`). The
// dashboard then shows the replica's state: behind the primary by the replication lag, and
// consistent with itself, because its memo is keyed on the replica's own token. Everything
// else still reads the primary, so that a page reads its own writes. It fails when dsn is
// not PostgreSQL or cannot be reached, or when this database is SQLite.
func (db *DB) UseReplica(ctx context.Context, dsn string) error {
	if db.dialect != Postgres || !IsPostgres(dsn) {
		return errors.New("--db-read 只用于 PostgreSQL（主库和只读副本都须是 postgres:// 连接串）")
	}
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("open replica: %w", err)
	}
	pool.SetMaxOpenConns(replicaPoolConns)
	pool.SetMaxIdleConns(replicaPoolConns)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return fmt.Errorf("connect to the replica: %w", err)
	}
	db.replica = pool
	return nil
}

// replicaPoolConns is the size of the replica's pool, all of whose connections stay idle.
const replicaPoolConns = 8

// viewReport is view on the replica when there is one (UseReplica). When the replica went
// away (or the connection to it was lost) it reads the primary instead, with view's wait and
// retry: the dashboard then shows the primary's newer state rather than an error.
func (db *DB) viewReport(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	if db.replica != nil {
		err := db.viewReplica(ctx, actor, fn)
		if !primaryChanged(err) || ctx.Err() != nil {
			return err
		}
	}
	return db.view(ctx, actor, fn)
}

// viewReplica is one attempt of viewReport on the replica.
func (db *DB) viewReplica(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	tx, err := db.replica.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read on the replica: %w", err)
	}
	defer tx.Rollback()
	return fn(&Tx{Tx: tx, now: db.Now().UTC().Truncate(time.Microsecond), dialect: db.dialect, actor: actor})
}

// reportToken is dataToken as the replica sees it (the primary's without a replica, or when
// the replica went away: see viewReport).
func (db *DB) reportToken(ctx context.Context) (string, error) {
	if db.replica != nil {
		var changes, queued, done int64
		err := db.replica.QueryRowContext(ctx, dataTokenSQL).Scan(&changes, &queued, &done)
		if err == nil {
			return fmt.Sprintf("%d/%d/%d", changes, queued, done), nil
		}
		if !primaryChanged(err) || ctx.Err() != nil {
			return "", fmt.Errorf("dashboard data token (replica): %w", err)
		}
	}
	return db.dataToken(ctx)
}
