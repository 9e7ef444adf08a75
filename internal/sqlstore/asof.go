package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fupin/internal/asof"
	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// As-of reads (按日期回看, issue 18) answer a household or the dashboard as
// they stood at the end of a date without a snapshot: the live rows with the
// registry audit entries written since undone, newest first (asof.Rewind).
// A household created after the date by a bulk load has no entry; its
// created_at places it. Policy parameters are rewound the same way from
// their policy.set entries, and the verdicts of the households that changed
// are evaluated again against the parameters of the date. What cannot be
// rewound is written in ARCHITECTURE.md (按日期回看).

// registryActionsIn is the SQL list of asof.RegistryActions.
var registryActionsIn = func() string {
	q := make([]string, len(asof.RegistryActions))
	for i, a := range asof.RegistryActions {
		q[i] = "'" + a + "'"
	}
	return "(" + strings.Join(q, ", ") + ")"
}()

// viewAsOf runs fn in one read transaction that sees one state of the
// database: SQLite's WAL read transaction does from its first read; on
// PostgreSQL it is REPEATABLE READ, so that a write committed between the
// live counts and the audit entries is not counted twice.
func (db *DB) viewAsOf(ctx context.Context, actor fupin.Actor, fn func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: db.dialect == Postgres}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin as-of read: %w", err)
	}
	defer tx.Rollback()
	return fn(&Tx{Tx: tx, now: db.Now().UTC().Truncate(time.Microsecond), dialect: db.dialect, actor: actor})
}

// HouseholdAsOf returns household id as it stood at the end of date d
// (Beijing time), with its members and income years, and what the answer
// is (asof.Info). Errors: invalid (d in the future), not_found (no such
// household, one outside the actor's areas on that date, or one registered
// only after d: the message says from when its history starts).
func (db *DB) HouseholdAsOf(ctx context.Context, actor fupin.Actor, id int64, d fupin.Date) (*asof.HouseholdAsOf, error) {
	var out *asof.HouseholdAsOf
	err := db.viewAsOf(ctx, actor, func(tx *Tx) error {
		if err := tx.checkAsOfDate(d); err != nil {
			return err
		}
		cutoff := asof.Cutoff(d)
		live, err := scanHousehold(tx.QueryRowContext(ctx, householdSelect+` WHERE h.id = $1`, id))
		if isNoRows(err) {
			return fupin.Errorf(fupin.ENotFound, "农户 #%d 不存在", id)
		} else if err != nil {
			return fmt.Errorf("load household %d: %w", id, err)
		}
		if !live.CreatedAt.Before(cutoff) {
			if !actor.Covers(live.VillageCode) {
				return fupin.Errorf(fupin.ENotFound, "农户 #%d 不存在", id)
			}
			return &fupin.Error{Code: fupin.ENotFound, Fields: map[string]string{"date": "早于该户的登记日期"},
				Message: fmt.Sprintf("农户 #%d 于 %s 才登记入本系统，所选日期 %s 早于其变更记录的起点，无法还原当日状态",
					id, fupin.DateOf(live.CreatedAt.In(asof.China)), d)}
		}
		if live.Members, err = tx.members(ctx, id); err != nil {
			return err
		}
		if live.Incomes, err = tx.incomes(ctx, id, live.Members); err != nil {
			return err
		}
		entries, err := tx.laterEntries(ctx, []int64{id}, cutoff)
		if err != nil {
			return err
		}
		var previous time.Time
		if len(entries[id]) > 0 {
			err := tx.QueryRowContext(ctx, `SELECT at FROM audit_log WHERE household_id = $1 AND at < $2
				AND action IN `+registryActionsIn+` ORDER BY id DESC LIMIT 1`, id, cutoff).Scan(&previous)
			if err != nil && !isNoRows(err) {
				return fmt.Errorf("household %d history: %w", id, err)
			}
		}
		h, err := asof.Rewind(live, entries[id], previous.UTC())
		if err != nil {
			return err
		}
		if h == nil || !actor.Covers(h.VillageCode) {
			return fupin.Errorf(fupin.ENotFound, "农户 #%d 在 %s 不存在或不在您的管辖区域内", id, d)
		}
		changed := 0
		if len(entries[id]) > 0 {
			changed = 1
		}
		out = &asof.HouseholdAsOf{AsOf: asof.Describe(d, live.CreatedAt, changed), Household: h}
		return nil
	})
	return out, err
}

// checkAsOfDate refuses a date after today: the future has no history.
func (tx *Tx) checkAsOfDate(d fupin.Date) error {
	if d.IsZero() || d.After(tx.today()) {
		return &fupin.Error{Code: fupin.EInvalid, Message: "截至日期不能晚于今天",
			Fields: map[string]string{"date": "不能晚于今天"}}
	}
	return nil
}

// laterEntries reads the registry audit entries of households ids written
// at or after cutoff, newest first per household.
func (tx *Tx) laterEntries(ctx context.Context, ids []int64, cutoff time.Time) (map[int64][]asof.Entry, error) {
	out := map[int64][]asof.Entry{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := []any{cutoff}
		for _, id := range part {
			args = append(args, id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT household_id, id, at, action, entity_id, COALESCE(before_json, '')
			FROM audit_log WHERE household_id IN (`+placeholders(2, len(part))+`) AND at >= $1
			AND action IN `+registryActionsIn+` ORDER BY household_id, id DESC`, args...)
		if err != nil {
			return nil, fmt.Errorf("later registry entries: %w", err)
		}
		for rows.Next() {
			var hid int64
			var e asof.Entry
			var before string
			if err := rows.Scan(&hid, &e.ID, &e.At, &e.Action, &e.EntityID, &before); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan registry entry: %w", err)
			}
			e.At, e.Before = e.At.UTC(), []byte(before)
			out[hid] = append(out[hid], e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("later registry entries: %w", err)
		}
	}
	return out, nil
}

// paramRowsAsOf is the policy parameters (the criteria's, not aid.* or
// monitor.*) as they stood before cutoff: the live rows with the policy.set
// entries written since undone, newest first.
func (tx *Tx) paramRowsAsOf(ctx context.Context, cutoff time.Time) ([]criteria.ParamRow, error) {
	live, err := tx.paramRows(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, entity_id, COALESCE(before_json, '') FROM audit_log
		WHERE action = 'policy.set' AND at >= $1 ORDER BY id DESC`, cutoff)
	if err != nil {
		return nil, fmt.Errorf("later policy entries: %w", err)
	}
	defer rows.Close()
	byKey := map[string]criteria.ParamRow{}
	for _, r := range live {
		byKey[r.Area+"/"+strconv.Itoa(r.Year)+"/"+r.Key] = r
	}
	for rows.Next() {
		var id int64
		var key, before string
		if err := rows.Scan(&id, &key, &before); err != nil {
			return nil, fmt.Errorf("scan policy entry: %w", err)
		}
		delete(byKey, key)
		if before == "" || before == "null" {
			continue
		}
		var r criteria.ParamRow
		if err := json.Unmarshal([]byte(before), &r); err != nil {
			return nil, fmt.Errorf("policy entry %d: %w", id, err)
		}
		byKey[key] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("later policy entries: %w", err)
	}
	out := make([]criteria.ParamRow, 0, len(byKey))
	for _, r := range byKey {
		out = append(out, r)
	}
	return out, nil
}
