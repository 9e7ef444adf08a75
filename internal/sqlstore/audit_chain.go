package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// auditChunk bounds the entries of one INSERT (ten parameters each).
const auditChunk = 100

// auditCols are the columns of an audit entry, in auditRowArgs' order.
const auditCols = `at, actor, action, entity, entity_id, household_id, before_json, after_json, prev_hash, hash`

// runAndFlush runs a write transaction's body, then writes what it queued:
// its audit entries, chained, and the change counters they advance.
func runAndFlush(ctx context.Context, tx *Tx, fn func(*Tx) error) error {
	if err := fn(tx); err != nil {
		return err
	}
	return tx.flushAudit(ctx)
}

// flushAudit chains and inserts the transaction's queued audit entries and
// advances the change counters it marked, as the last statements before
// COMMIT. The chain is serialised: SQLite has one writer. On PostgreSQL
// audit_chain_tail() (migration 0040) takes the advisory lock and reads the
// newest hash in one round trip, and the entries and the counters go in one
// more statement, so writers wait on each other for those two round trips
// and the commit only, instead of from their first audited statement on (a
// batch of read audits took the lock and read the tail once per entry). The
// lock has to last through the commit: the next writer reads the tail from
// committed rows. A transaction that queued no entry only advances its
// counters, without the lock.
func (tx *Tx) flushAudit(ctx context.Context) error {
	rows := tx.pending
	tx.pending = nil
	counters := tx.counterUpdates()
	if len(rows) == 0 {
		return tx.execCounters(ctx, counters)
	}
	prev, err := tx.chainTail(ctx)
	if err != nil {
		return fmt.Errorf("audit chain: %w", err)
	}
	for start := 0; start < len(rows); start += auditChunk {
		part := rows[start:min(len(rows), start+auditChunk)]
		var args []any
		var values []string
		for _, r := range part {
			var rargs []any
			rargs, prev = tx.auditRowArgs(r, prev)
			values = append(values, "("+placeholders(len(args)+1, len(rargs))+")")
			args = append(args, rargs...)
		}
		q := `INSERT INTO audit_log (` + auditCols + `) VALUES ` + strings.Join(values, ", ")
		if start == 0 && tx.dialect == Postgres && len(counters) > 0 {
			q, args = withCounters(counters, q, args)
			counters = nil
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("audit %s: %w", part[0].action, err)
		}
	}
	return tx.execCounters(ctx, counters)
}

// auditChainLock is the key of the chain's transaction-level advisory lock
// on PostgreSQL (also in audit_chain_tail(), migration 0040).
const auditChainLock = 4242002

// chainTail returns the newest entry's hash ("" for an empty log) once no
// other writer can append before this transaction commits.
func (tx *Tx) chainTail(ctx context.Context) (string, error) {
	var prev sql.NullString
	q := `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`
	switch {
	case tx.dialect == Postgres && tx.repeatable:
		// The transaction sees the log as it was when its view was taken:
		// entries committed since are read on another connection, after
		// the lock that stops any more. Not one of the pool's, whose
		// connections may all be writers waiting for this lock.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, auditChainLock); err != nil {
			return "", err
		}
		return committedTail(ctx, tx.dsn)
	case tx.dialect == Postgres:
		q = `SELECT audit_chain_tail()`
	}
	err := tx.QueryRowContext(ctx, q).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	return prev.String, nil
}

// committedTail reads the newest committed entry's hash on a new connection to dsn.
func committedTail(ctx context.Context, dsn string) (string, error) {
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	var prev string
	err = conn.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	return prev, nil
}

// auditRowArgs returns the INSERT arguments of r chained after prev, and
// r's hash.
func (tx *Tx) auditRowArgs(r auditRow, prev string) ([]any, string) {
	var hid any
	if r.householdID != 0 {
		hid = r.householdID
	}
	var key []byte
	if tx.seal != nil {
		key = tx.seal.Key
	}
	h := auditHash(key, prev, tx.now, r.actor, r.action, r.entity, r.entityID, r.householdID, str(r.before), str(r.after))
	return []any{tx.now, r.actor, r.action, r.entity, r.entityID, hid, r.before, r.after, prev, h}, h
}

// counterUpdate is one statement that advances change counters, with at
// most one argument, whose placeholder is ARG in q.
type counterUpdate struct {
	q   string
	arg any // nil: none
}

// counterUpdates returns the statements that advance the change counters
// the transaction marked (markChanged, markAidChanged, markTodoScope). On
// PostgreSQL the todo scopes are one statement (an array); on SQLite each
// scope is a statement of its own.
func (tx *Tx) counterUpdates() []counterUpdate {
	var out []counterUpdate
	if tx.changed {
		out = append(out, counterUpdate{q: `UPDATE data_changes SET n = n + 1 WHERE id = 1`})
	}
	if tx.aidChanged {
		out = append(out, counterUpdate{q: `UPDATE aid_changes SET n = n + 1 WHERE id = 1`})
	}
	scopes := []string{""}
	if !tx.todoMarked[""] {
		scopes = scopes[:0]
		for s := range tx.todoMarked {
			scopes = append(scopes, s)
		}
		slices.Sort(scopes) // one order of row locks for all writers
	}
	const upsert = ` ON CONFLICT (scope) DO UPDATE SET n = todo_changes.n + 1`
	switch {
	case len(scopes) == 0:
	case tx.dialect == Postgres:
		out = append(out, counterUpdate{q: `INSERT INTO todo_changes (scope, n) SELECT unnest(ARG::text[]), 1` + upsert, arg: scopes})
	default:
		for _, s := range scopes {
			out = append(out, counterUpdate{q: `INSERT INTO todo_changes (scope, n) VALUES (ARG, 1)` + upsert, arg: s})
		}
	}
	return out
}

// sql returns c's statement with its argument numbered n, and its arguments.
func (c counterUpdate) sql(n int) (string, []any) {
	if c.arg == nil {
		return c.q, nil
	}
	return strings.Replace(c.q, "ARG", "$"+itoa(n), 1), []any{c.arg}
}

// withCounters prefixes q, whose arguments are args, with counters as
// data-modifying CTEs, which run whether or not q reads them (PostgreSQL).
func withCounters(counters []counterUpdate, q string, args []any) (string, []any) {
	ctes := make([]string, len(counters))
	for i, c := range counters {
		cq, cargs := c.sql(len(args) + 1)
		ctes[i] = fmt.Sprintf("c%d AS (%s)", i, cq)
		args = append(args, cargs...)
	}
	return "WITH " + strings.Join(ctes, ", ") + " " + q, args
}

// execCounters runs counters: on PostgreSQL as one statement.
func (tx *Tx) execCounters(ctx context.Context, counters []counterUpdate) error {
	if len(counters) == 0 {
		return nil
	}
	if tx.dialect == Postgres {
		q, args := withCounters(counters, "SELECT 1", nil)
		_, err := tx.ExecContext(ctx, q, args...)
		return wrapCounters(err)
	}
	for _, c := range counters {
		q, args := c.sql(1)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return wrapCounters(err)
		}
	}
	return nil
}

func wrapCounters(err error) error {
	if err != nil {
		return fmt.Errorf("change counters: %w", err)
	}
	return nil
}
