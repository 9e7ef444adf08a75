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
	return db.viewReportAt(ctx, actor, func(tx *Tx, _ string) error { return fn(tx) })
}

// viewReportAt is viewReport telling fn where tx reads ("replica" or "primary"): memos of
// per-village counts keep the replica's versions apart from the primary's.
func (db *DB) viewReportAt(ctx context.Context, actor fupin.Actor, fn func(tx *Tx, source string) error) error {
	if db.replica != nil {
		err := db.viewReplica(ctx, actor, func(tx *Tx) error { return fn(tx, "replica") })
		if !primaryChanged(err) || ctx.Err() != nil {
			return err
		}
	}
	return db.view(ctx, actor, func(tx *Tx) error { return fn(tx, "primary") })
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

// reportDigest is areaDigest as the replica sees it (the primary's without a replica, or
// when the replica went away: see viewReport).
func (db *DB) reportDigest(ctx context.Context, prefixes []string) (string, error) {
	if db.replica != nil {
		q, args := areaDigestSQL(prefixes)
		var d [5]int64
		err := db.replica.QueryRowContext(ctx, q, args...).Scan(&d[0], &d[1], &d[2], &d[3], &d[4])
		if err == nil {
			return fmt.Sprintf("replica/%d/%d/%d/%d/%d", d[0], d[1], d[2], d[3], d[4]), nil
		}
		if !primaryChanged(err) || ctx.Err() != nil {
			return "", fmt.Errorf("area versions (replica): %w", err)
		}
	}
	return db.areaDigest(ctx, prefixes)
}
