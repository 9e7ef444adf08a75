package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"fupin/internal/aid"
	"fupin/internal/appraisal"
	"fupin/internal/fupin"
)

// Snapshots (成效考核快照) share rows with the live registry (migration
// 0018): a snapshot lists (household, version, verdict); a household's rows
// stay in the live tables while it is at that version, and triggers copy
// them into the version tables before the first change after a snapshot
// refers to them (copy on write). Verdicts change without a household
// version (policy parameters), so they are copied when the snapshot is taken,
// once per distinct content. Taking a snapshot is therefore two INSERT …
// SELECT statements and writes no household, member or income row.
//
// On PostgreSQL writers go on while a snapshot is taken (openSnapshot): the
// snapshot first announces itself in appraisal_snapshot_open (migration
// 0026) and waits for the writers already under way, then reads the registry
// in a REPEATABLE READ transaction that withdraws the announcement as it
// commits. While announced, every writer keeps a household's current version
// before changing it. SQLite has one writer.

// verdictMatch is true when appraisal_verdicts row a holds exactly the live
// verdict v (every column but vid).
const verdictMatch = `a.household_id = v.household_id AND a.year = v.year AND a.computed_at = v.computed_at
	AND a.village_code = v.village_code AND a.assessed_on = v.assessed_on AND a.policy_version = v.policy_version
	AND a.rules_version = v.rules_version AND a.pass = v.pass AND a.problems = v.problems AND a.unknowns = v.unknowns
	AND a.income_risk = v.income_risk AND a.s_food = v.s_food AND a.s_clothing = v.s_clothing
	AND a.s_education = v.s_education AND a.s_medical = v.s_medical AND a.s_housing = v.s_housing
	AND a.s_water = v.s_water AND a.s_standard = v.s_standard AND a.s_income = v.s_income
	AND a.reasons = v.reasons AND a.signals = v.signals AND a.per_capita IS NOT DISTINCT FROM v.per_capita`

// CreateSnapshot freezes the live households of s.AreaCode (with all their
// members and income years, and their verdicts of s.Year) as a new named
// snapshot. Only administrators and county users call it (the route checks
// the role). Errors: invalid (fields), forbidden (area outside the actor's).
func (db *DB) CreateSnapshot(ctx context.Context, actor fupin.Actor, s appraisal.Snapshot) (*appraisal.Snapshot, error) {
	if err := s.Normalize(fupin.DateOf(db.Now().In(chinaTime))); err != nil {
		return nil, err
	}
	if aid.AreaName(s.AreaCode) == "" {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "区域不是有效的统计用区划代码：" + s.AreaCode,
			Fields: map[string]string{"area_code": "不是有效的统计用区划代码"}}
	}
	if !actor.Covers(s.AreaCode) {
		return nil, aid.ForbidArea(s.AreaCode)
	}
	var token int64
	if db.dialect == Postgres {
		var err error
		if token, err = db.openSnapshot(ctx, s.AreaCode); err != nil {
			return nil, err
		}
	}
	var out *appraisal.Snapshot
	err := db.update(ctx, actor, func(tx *Tx) error {
		if tx.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
				return fmt.Errorf("snapshot isolation: %w", err)
			}
			tx.repeatable = true
			// Before the first query, so the transaction's view of the
			// registry is taken after any earlier snapshot committed.
			if _, err := tx.ExecContext(ctx, `LOCK TABLE appraisal_snapshots IN EXCLUSIVE MODE`); err != nil {
				return fmt.Errorf("lock snapshots: %w", err)
			}
			// JIT compilation cost more than the statements it would speed
			// up (5.7 s of a 13 s plan on 300,000 households, measured).
			if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
				return fmt.Errorf("snapshot jit: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM appraisal_snapshot_open WHERE token = $1`, token); err != nil {
				return fmt.Errorf("close snapshot: %w", err)
			}
		}
		id, err := tx.insertSnapshot(ctx, &s)
		if err != nil {
			return err
		}
		if db.snapshotRead != nil {
			db.snapshotRead()
		}
		if out, err = tx.snapshot(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "appraisal.snapshot.create", "appraisal_snapshot", strconv.FormatInt(id, 10), nil, out)
	})
	if err != nil && token != 0 {
		// Writers copy every household they change while the announcement
		// stands: withdraw it even when ctx has ended.
		db.write.ExecContext(context.WithoutCancel(ctx), `DELETE FROM appraisal_snapshot_open WHERE token = $1`, token)
	}
	return out, err
}

// snapshotWriteWait bounds how long a snapshot waits for the registry
// writes under way when it was announced.
const snapshotWriteWait = 10 * time.Minute

// openSnapshot announces a snapshot of area (PostgreSQL) and returns once
// every transaction that may have written households, members or incomes
// without seeing the announcement has ended; writers that started since
// see it and keep what they change. It polls pg_locks rather than taking a
// table lock, so it never queues a writer behind itself. Errors: conflict
// when the writes under way outlast snapshotWriteWait.
func (db *DB) openSnapshot(ctx context.Context, area string) (int64, error) {
	// An announcement outlives its snapshot only when the process died
	// between the two transactions; writers would copy every household they
	// change until it goes. No snapshot runs for an hour (it waits at most
	// snapshotWriteWait, then reads for seconds).
	if _, err := db.write.ExecContext(ctx, `DELETE FROM appraisal_snapshot_open WHERE started_at < $1`,
		db.Now().UTC().Add(-time.Hour)); err != nil {
		return 0, fmt.Errorf("clear stale snapshot announcements: %w", err)
	}
	var token int64
	if err := db.write.QueryRowContext(ctx, `INSERT INTO appraisal_snapshot_open (area_code, started_at)
		VALUES ($1, $2) RETURNING token`, area, db.Now().UTC()).Scan(&token); err != nil {
		return 0, fmt.Errorf("announce snapshot: %w", err)
	}
	rows, err := db.write.QueryContext(ctx, `SELECT DISTINCT virtualtransaction FROM pg_locks
		WHERE relation IN ('households'::regclass, 'members'::regclass, 'incomes'::regclass)
		AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()`)
	var under []string
	if err == nil {
		for rows.Next() {
			var v string
			if err = rows.Scan(&v); err != nil {
				break
			}
			under = append(under, v)
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	deadline := time.Now().Add(snapshotWriteWait)
	for err == nil && len(under) > 0 {
		var n int
		if err = db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_locks WHERE virtualtransaction = ANY($1)`,
			under).Scan(&n); err != nil || n == 0 {
			break
		}
		if time.Now().After(deadline) {
			err = &fupin.Error{Code: fupin.EConflict, Message: "有长时间未完成的写入（如批量导入），请待其完成后再拍快照"}
			break
		}
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err != nil {
		db.write.ExecContext(context.WithoutCancel(ctx), `DELETE FROM appraisal_snapshot_open WHERE token = $1`, token)
		return 0, fmt.Errorf("wait for writers: %w", err)
	}
	return token, nil
}

func (tx *Tx) insertSnapshot(ctx context.Context, s *appraisal.Snapshot) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO appraisal_snapshots (name, year, area_code, as_of, households, people,
		new_rows, created_by, created_at) VALUES ($1, $2, $3, $4, 0, 0, 0, $5, $6) RETURNING id`,
		s.Name, s.Year, s.AreaCode, s.AsOf, tx.actor.Name, tx.now).Scan(&id); err != nil {
		return 0, fmt.Errorf("create snapshot: %w", err)
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	live := areaCond("h.village_code", []string{s.AreaCode}, arg) + " AND h.deleted_at IS NULL"
	var base int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(vid), 0) FROM appraisal_verdicts`).Scan(&base); err != nil {
		return 0, fmt.Errorf("snapshot verdict ids: %w", err)
	}
	n := len(args)
	res, err := tx.ExecContext(ctx, `INSERT INTO appraisal_verdicts SELECT $`+itoa(n+1)+` + ROW_NUMBER() OVER (ORDER BY v.household_id), v.*
		FROM households h JOIN verdicts v ON v.household_id = h.id AND v.year = $`+itoa(n+2)+` WHERE `+live+`
		AND NOT EXISTS (SELECT 1 FROM appraisal_verdicts a WHERE `+verdictMatch+`)`, append(args, base, s.Year)...)
	if err != nil {
		return 0, fmt.Errorf("snapshot verdicts: %w", err)
	}
	newRows, _ := res.RowsAffected()
	// The insert above leaves at most one stored version per content, so
	// the join finds at most one.
	if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_snapshot_households (snapshot_id, household_id, hh_version, vid)
		SELECT $`+itoa(n+1)+`, h.id, h.version, a.vid
		FROM households h LEFT JOIN verdicts v ON v.household_id = h.id AND v.year = $`+itoa(n+2)+`
		LEFT JOIN appraisal_verdicts a ON `+verdictMatch+` WHERE `+live,
		append(args, id, s.Year)...); err != nil {
		return 0, fmt.Errorf("snapshot households: %w", err)
	}
	// The same live rows the list was made from (one writer on SQLite, one
	// REPEATABLE READ view on PostgreSQL), counted without joining the list.
	if _, err := tx.ExecContext(ctx, `UPDATE appraisal_snapshots SET new_rows = $`+itoa(n+1)+`,
		(households, people) = (SELECT COUNT(*), COALESCE(SUM(h.size), 0) FROM households h WHERE `+live+`)
		WHERE id = $`+itoa(n+2), append(args, newRows, id)...); err != nil {
		return 0, fmt.Errorf("snapshot counts: %w", err)
	}
	return id, nil
}

const snapshotCols = `id, name, year, area_code, as_of, households, people, new_rows, created_by, created_at`

func scanSnapshot(row scanner) (*appraisal.Snapshot, error) {
	var s appraisal.Snapshot
	err := row.Scan(&s.ID, &s.Name, &s.Year, &s.AreaCode, &s.AsOf, &s.Households, &s.People, &s.NewRows,
		&s.CreatedBy, &s.CreatedAt)
	s.CreatedAt = s.CreatedAt.UTC()
	return &s, err
}

// snapshot loads a snapshot whose area lies within the actor's areas; any
// other answers not_found (a snapshot's totals are its whole area's).
func (tx *Tx) snapshot(ctx context.Context, id int64) (*appraisal.Snapshot, error) {
	s, err := scanSnapshot(tx.QueryRowContext(ctx, `SELECT `+snapshotCols+` FROM appraisal_snapshots WHERE id = $1`, id))
	if isNoRows(err) || (err == nil && !tx.actor.Covers(s.AreaCode)) {
		return nil, notFound("快照", id)
	} else if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	return s, nil
}

// Snapshot returns one snapshot. Errors: not_found (also when its area is
// not within the actor's areas).
func (db *DB) Snapshot(ctx context.Context, actor fupin.Actor, id int64) (*appraisal.Snapshot, error) {
	var out *appraisal.Snapshot
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.snapshot(ctx, id)
		return err
	})
	return out, err
}

// Snapshots lists, newest first (at most 1,000), the snapshots whose area
// lies within area and within the actor's areas.
func (db *DB) Snapshots(ctx context.Context, actor fupin.Actor, area string) ([]appraisal.Snapshot, error) {
	out := []appraisal.Snapshot{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		rows, err := tx.QueryContext(ctx, `SELECT `+snapshotCols+` FROM appraisal_snapshots WHERE `+
			areaCond("area_code", actor.Narrow(area), arg)+` ORDER BY id DESC LIMIT 1000`, args...)
		if err != nil {
			return fmt.Errorf("snapshots: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanSnapshot(rows)
			if err != nil {
				return fmt.Errorf("scan snapshot: %w", err)
			}
			if actor.Covers(s.AreaCode) {
				out = append(out, *s)
			}
		}
		return rows.Err()
	})
	return out, err
}
