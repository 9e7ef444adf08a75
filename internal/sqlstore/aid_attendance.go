package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// RecordCheckIn records a cadre's day in the area of one of their active
// postings; one check-in per cadre and day. Errors: invalid, not_found
// (cadre), forbidden (area), conflict (no posting there, already checked in).
func (db *DB) RecordCheckIn(ctx context.Context, actor fupin.Actor, c aid.CheckIn) (*aid.CheckIn, error) {
	var out *aid.CheckIn
	err := db.update(ctx, actor, func(tx *Tx) error {
		if c.Day.IsZero() {
			c.Day = tx.today()
		}
		errs := fupin.FieldErrors{}
		if c.Day.After(tx.today()) {
			errs.Add("day", "签到日期不能晚于今天")
		}
		aid.TrimLen(errs, "note", &c.Note, 200, false)
		if err := errs.Err(); err != nil {
			return err
		}
		if !actor.Covers(c.AreaCode) {
			return aid.ForbidArea(c.AreaCode)
		}
		cadre, err := tx.cadre(ctx, c.CadreID)
		if err != nil {
			return withField(err, "cadre_id")
		}
		if !aid.PostedOn(cadre.Postings, c.AreaCode, c.Day) {
			return &fupin.Error{Code: fupin.EConflict, Message: fmt.Sprintf("%s在 %s 没有在岗岗位，不能在此签到", cadre.Name, c.Day),
				Fields: map[string]string{"area_code": "不是该干部的驻点"}}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO checkins (cadre_id, area_code, day, at, note, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.CadreID, c.AreaCode, c.Day, tx.now, c.Note, actor.Name).Scan(&c.ID); err != nil {
			return tx.mapAidUnique(err)
		}
		c.CadreName, c.At, c.CreatedBy = cadre.Name, tx.now, actor.Name
		out = &c
		return tx.auditValue(ctx, "aid.checkin", "checkin", strconv.FormatInt(c.ID, 10), nil, c)
	})
	return out, err
}

// ListCheckIns lists the check-ins in area during a month ("YYYY-MM"),
// optionally of one cadre.
func (db *DB) ListCheckIns(ctx context.Context, actor fupin.Actor, area, month string, cadreID int64) ([]aid.CheckIn, error) {
	first, last, err := aid.MonthRange(month)
	if err != nil {
		return nil, err
	}
	out := []aid.CheckIn{}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := areaCond("k.area_code", actor.Narrow(area), arg) + " AND k.day >= " + arg(first) + " AND k.day <= " + arg(last)
	if cadreID != 0 {
		where += " AND k.cadre_id = " + arg(cadreID)
	}
	err = db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT k.id, k.cadre_id, c.name, k.area_code, k.day, k.note, k.at, k.created_by
			FROM checkins k JOIN cadres c ON c.id = k.cadre_id WHERE `+where+` ORDER BY k.day, c.name`, args...)
		if err != nil {
			return fmt.Errorf("check-ins: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c aid.CheckIn
			if err := rows.Scan(&c.ID, &c.CadreID, &c.CadreName, &c.AreaCode, &c.Day, &c.Note, &c.At, &c.CreatedBy); err != nil {
				return err
			}
			c.At = c.At.UTC()
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

const leaveSelect = `SELECT l.id, l.cadre_id, c.name, l.area_code, l.from_on, l.to_on, l.reason, l.status, l.returned_on,
	l.decided_by, l.created_by, l.version FROM leaves l JOIN cadres c ON c.id = l.cadre_id`

func (tx *Tx) leaves(ctx context.Context, where string, args ...any) ([]aid.Leave, error) {
	rows, err := tx.QueryContext(ctx, leaveSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("leaves: %w", err)
	}
	defer rows.Close()
	out := []aid.Leave{}
	for rows.Next() {
		var l aid.Leave
		if err := rows.Scan(&l.ID, &l.CadreID, &l.CadreName, &l.AreaCode, &l.FromOn, &l.ToOn, &l.Reason, &l.Status,
			&l.ReturnedOn, &l.DecidedBy, &l.CreatedBy, &l.Version); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// RequestLeave records a leave request of a cadre posted in the area.
// Errors: invalid, not_found, forbidden, conflict (no posting there, the
// period overlaps another request of the cadre on field from_on).
func (db *DB) RequestLeave(ctx context.Context, actor fupin.Actor, l aid.Leave) (*aid.Leave, error) {
	var out *aid.Leave
	err := db.update(ctx, actor, func(tx *Tx) error {
		errs := fupin.FieldErrors{}
		aid.TrimLen(errs, "reason", &l.Reason, 200, true)
		if l.FromOn.IsZero() || l.ToOn.IsZero() || l.ToOn.Before(l.FromOn) {
			errs.Add("to_on", "请填写请假起止日期，结束不能早于开始")
		} else if aid.DaysBetween(l.FromOn, l.ToOn) > 90 {
			errs.Add("to_on", "一次请假不能超过 90 天")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if !actor.Covers(l.AreaCode) {
			return aid.ForbidArea(l.AreaCode)
		}
		cadre, err := tx.cadre(ctx, l.CadreID)
		if err != nil {
			return withField(err, "cadre_id")
		}
		if !aid.PostedOn(cadre.Postings, l.AreaCode, l.FromOn) {
			return &fupin.Error{Code: fupin.EConflict, Message: cadre.Name + "在该地没有在岗岗位", Fields: map[string]string{"area_code": "不是该干部的驻点"}}
		}
		if err := tx.checkLeaveOverlap(ctx, l); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO leaves (cadre_id, area_code, from_on, to_on, reason, status, created_by,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $7) RETURNING id`,
			l.CadreID, l.AreaCode, l.FromOn, l.ToOn, l.Reason, actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("insert leave: %w", err)
		}
		ls, err := tx.leaves(ctx, "l.id = $1", id)
		if err != nil {
			return err
		}
		out = &ls[0]
		return tx.auditValue(ctx, "aid.leave.request", "leave", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

// checkLeaveOverlap refuses a request overlapping one of the cadre's
// requests that is pending, approved or returned (up to the day before the
// return); rejected ones do not count. The aid lock keeps two overlapping
// requests from passing this check side by side on PostgreSQL.
func (tx *Tx) checkLeaveOverlap(ctx context.Context, l aid.Leave) error {
	if err := tx.lockAid(ctx); err != nil {
		return err
	}
	ls, err := tx.leaves(ctx, `l.cadre_id = $1 AND l.from_on <= $2 AND l.to_on >= $3
		AND (l.status IN ('requested', 'approved') OR (l.status = 'returned' AND l.returned_on > $3))
		ORDER BY l.from_on LIMIT 1`, l.CadreID, l.ToOn, l.FromOn)
	if err != nil {
		return err
	}
	if len(ls) > 0 {
		o := ls[0]
		msg := fmt.Sprintf("与%s已有的请假（%s 至 %s，%s）时间重叠", o.CadreName, o.FromOn, o.ToOn, aid.LeaveStatuses.LabelOf(o.Status))
		return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{"from_on": msg}}
	}
	return nil
}

// ActOnLeave approves or rejects a request (the township office: an actor
// covering the township) or records the return (销假). Errors: invalid,
// not_found, forbidden, conflict (stale version, wrong state).
func (db *DB) ActOnLeave(ctx context.Context, actor fupin.Actor, id int64, a aid.LeaveAction) (*aid.Leave, error) {
	var out *aid.Leave
	err := db.update(ctx, actor, func(tx *Tx) error {
		ls, err := tx.leaves(ctx, "l.id = $1", id)
		if err != nil {
			return err
		}
		if len(ls) == 0 || !aid.Sees(actor, ls[0].AreaCode) {
			return notFound("请假记录", id)
		}
		before := ls[0]
		if !actor.Covers(before.AreaCode) {
			return aid.ForbidArea(before.AreaCode)
		}
		if a.Version != before.Version {
			return staleVersion(a.Version, before.Version)
		}
		status, returned, err := aid.LeaveTransition(before, &a, tx.actor, tx.today())
		if err != nil {
			return err
		}
		decided := before.DecidedBy
		if a.Action != "return" {
			decided = actor.Name
		}
		step(ctx, "leave")
		res, err := tx.ExecContext(ctx, `UPDATE leaves SET status = $1, returned_on = $2, decided_by = $3,
			version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6`, status, returned, decided, tx.now, id, a.Version)
		if err := versioned(res, err, "update leave"); err != nil {
			return err
		}
		if ls, err = tx.leaves(ctx, "l.id = $1", id); err != nil {
			return err
		}
		out = &ls[0]
		return tx.auditValue(ctx, "aid.leave."+a.Action, "leave", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

// ListLeaves lists the leave requests in area overlapping a month (all months
// when month is empty), newest first.
func (db *DB) ListLeaves(ctx context.Context, actor fupin.Actor, area, month string) ([]aid.Leave, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := areaCond("l.area_code", actor.Narrow(area), arg)
	if month != "" {
		first, last, err := aid.MonthRange(month)
		if err != nil {
			return nil, err
		}
		where += " AND l.from_on <= " + arg(last) + " AND l.to_on >= " + arg(first)
	}
	var out []aid.Leave
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.leaves(ctx, where+" ORDER BY l.from_on DESC, l.id DESC LIMIT 1000", args...)
		return err
	})
	return out, err
}
