package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Event kinds sent between servers on one PostgreSQL database (LISTEN/NOTIFY).
const (
	// EventRecompute says a recomputation was queued: every server's worker tries the queue.
	EventRecompute = "recompute"
	// EventReconnect is delivered locally after the listener (re)connected: notifications
	// sent while it was away are lost, so whoever listens re-checks what it waits for.
	EventReconnect = "reconnect"
)

// notifyChannel is the channel of this database's schema: deployments (and tests) in other
// schemas of one database do not wake each other. A hash keeps it under the 63-byte limit.
const notifyChannel = `'fupin_' || md5(current_schema())`

// notify sends an event to every server listening on this schema, delivered when tx commits
// (never when it rolls back). On SQLite it does nothing: servers sharing a file poll.
func (tx *Tx) notify(ctx context.Context, kind string) error {
	if tx.dialect != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify(`+notifyChannel+`, $1)`, kind); err != nil {
		return fmt.Errorf("notify %s: %w", kind, err)
	}
	return nil
}

// Listen delivers the events other servers (and this one) send on the database until ctx
// ends, on a connection of its own (outside the pool). After each (re)connection it
// delivers EventReconnect. A lost connection is retried with a growing pause (up to
// 30 s). On SQLite it returns at once: there is nothing to listen to.
func (db *DB) Listen(ctx context.Context, log *slog.Logger, handle func(kind string)) {
	if db.dialect != Postgres {
		return
	}
	pause := time.Second
	for ctx.Err() == nil {
		start := time.Now()
		err := db.listenOnce(ctx, handle)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			pause = time.Second
		}
		log.Warn("database listener lost; reconnecting", "err", err, "pause_s", pause.Seconds())
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

func (db *DB) listenOnce(ctx context.Context, handle func(kind string)) error {
	cfg, err := pgx.ParseConfig(db.dsn)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var channel string
	if err := conn.QueryRow(ctx, `SELECT `+notifyChannel).Scan(&channel); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	handle(EventReconnect)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		handle(n.Payload)
	}
}
