package sqlstore_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"

	"fupin/internal/dbtest"
)

// On PostgreSQL only one server works the recompute queue at a time: while another session
// holds the worker's advisory lock, ProcessRecomputeQueue leaves the queue alone.
func TestRecomputeQueueOneWorker(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	other, err := sql.Open("pgx", db.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`INSERT INTO recompute_queue (area, from_year, requested_at) VALUES ('500236266', 2025, now())`); err != nil {
		t.Fatal(err)
	}
	held, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := held.ExecContext(ctx, `SELECT pg_advisory_lock(4242002, hashtext(current_schema()))`); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ProcessRecomputeQueue(ctx, quiet); err != nil || n != 0 {
		t.Errorf("with another worker holding the queue: %d done, %v; want 0", n, err)
	}
	held.ExecContext(ctx, `SELECT pg_advisory_unlock(4242002, hashtext(current_schema()))`)
	held.Close()
	if n, err := db.ProcessRecomputeQueue(ctx, quiet); err != nil || n != 1 {
		t.Errorf("as the only worker: %d done, %v; want 1", n, err)
	}
}
