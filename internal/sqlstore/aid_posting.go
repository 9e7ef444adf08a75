package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

const postingSelect = `SELECT p.id, p.cadre_id, c.name, p.role, p.area_code, p.group_id, p.started_on, p.planned_end_on,
	p.ended_on, p.end_reason, p.rotation_id, p.version FROM postings p JOIN cadres c ON c.id = p.cadre_id`

func scanPosting(row scanner) (aid.Posting, error) {
	var p aid.Posting
	var group, rot sql.NullInt64
	err := row.Scan(&p.ID, &p.CadreID, &p.CadreName, &p.Role, &p.AreaCode, &group, &p.StartedOn, &p.PlannedEndOn,
		&p.EndedOn, &p.EndReason, &rot, &p.Version)
	p.GroupID, p.RotationID = idPtr(group), idPtr(rot)
	p.RoleLabel, p.AreaName = aid.Roles.LabelOf(p.Role), aid.AreaName(p.AreaCode)
	return p, err
}

// postings runs postingSelect with a WHERE clause (no area filter).
func (tx *Tx) postings(ctx context.Context, where string, args ...any) ([]aid.Posting, error) {
	rows, err := tx.QueryContext(ctx, postingSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("postings: %w", err)
	}
	defer rows.Close()
	out := []aid.Posting{}
	for rows.Next() {
		p, err := scanPosting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// posting loads one posting whose area the actor may see.
func (tx *Tx) posting(ctx context.Context, id int64) (*aid.Posting, error) {
	p, err := scanPosting(tx.QueryRowContext(ctx, postingSelect+` WHERE p.id = $1`, id))
	if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, p.AreaCode)) {
		return nil, notFound("岗位", id)
	} else if err != nil {
		return nil, fmt.Errorf("load posting: %w", err)
	}
	return &p, nil
}

// CreatePosting posts a cadre. The planned end defaults to the start plus
// the term in force for the area. Errors: invalid, not_found (cadre),
// forbidden (area outside the actor's), conflict (the area already has an
// active 第一书记, 指挥长, 办公室主任 or 驻乡工作队队长, or the cadre already holds
// this role there).
func (db *DB) CreatePosting(ctx context.Context, actor fupin.Actor, p aid.Posting) (*aid.Posting, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !actor.Covers(p.AreaCode) {
		return nil, aid.ForbidArea(p.AreaCode)
	}
	var out *aid.Posting
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil {
			return err
		}
		if _, err := tx.cadre(ctx, p.CadreID); err != nil {
			return err
		}
		id, err := tx.insertPosting(ctx, p, nil)
		if err != nil {
			return err
		}
		if out, err = tx.posting(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.posting.create", "posting", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

// insertPosting checks the one-holder roles and inserts p.
func (tx *Tx) insertPosting(ctx context.Context, p aid.Posting, rotation *int64) (int64, error) {
	var holder string
	err := tx.QueryRowContext(ctx, `SELECT c.name FROM postings p JOIN cadres c ON c.id = p.cadre_id
		WHERE p.area_code = $1 AND p.role = $2 AND p.ended_on IS NULL AND ($3 OR p.cadre_id = $4) LIMIT 1`,
		p.AreaCode, p.Role, aid.SingleRoles[p.Role], p.CadreID).Scan(&holder)
	if err == nil {
		return 0, &fupin.Error{Code: fupin.EConflict, Message: fmt.Sprintf("%s已有在岗的%s：%s，请先办理离任或轮换",
			aid.AreaName(p.AreaCode), aid.Roles.LabelOf(p.Role), holder), Fields: map[string]string{"role": "已有在岗人员"}}
	} else if !isNoRows(err) {
		return 0, fmt.Errorf("check posting: %w", err)
	}
	if p.PlannedEndOn.IsZero() {
		rows, err := tx.aidSettingRows(ctx)
		if err != nil {
			return 0, err
		}
		months := aid.ResolveSettings(rows, p.AreaCode).TermMonths
		p.PlannedEndOn = fupin.DateOf(p.StartedOn.Time().AddDate(0, months, 0))
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO postings (cadre_id, role, area_code, group_id, started_on, planned_end_on,
		rotation_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		p.CadreID, p.Role, p.AreaCode, nullID(p.GroupID), p.StartedOn, p.PlannedEndOn, nullID(rotation), tx.now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert posting: %w", err)
	}
	return id, nil
}

// ChangePosting applies c to an active posting. A cadre's last active
// posting cannot end while they still help households: hand those over
// (rotation) or pair them with someone else first; a posting being handed
// over in a planned rotation cannot end outside it. Errors: invalid,
// not_found, forbidden, conflict (stale version on field version, the two
// rules above).
func (db *DB) ChangePosting(ctx context.Context, actor fupin.Actor, id int64, c aid.PostingChange) (*aid.Posting, error) {
	var out *aid.Posting
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil {
			return err
		}
		before, err := tx.posting(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return aid.ForbidArea(before.AreaCode)
		}
		if err := tx.checkPostingChange(ctx, before, &c); err != nil {
			return err
		}
		planned := before.PlannedEndOn
		if !c.PlannedEndOn.IsZero() {
			planned = c.PlannedEndOn
		}
		res, err := tx.ExecContext(ctx, `UPDATE postings SET planned_end_on = $1, ended_on = $2, end_reason = $3,
			version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6`, planned, c.EndedOn, c.EndReason, tx.now, id, c.Version)
		if err := versioned(res, err, "change posting"); err != nil {
			return err
		}
		if out, err = tx.posting(ctx, id); err != nil {
			return err
		}
		action := map[bool]string{true: "aid.posting.end", false: "aid.posting.update"}[!c.EndedOn.IsZero()]
		return tx.auditValue(ctx, action, "posting", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

func (tx *Tx) checkPostingChange(ctx context.Context, before *aid.Posting, c *aid.PostingChange) error {
	switch {
	case c.Version != before.Version:
		return staleVersion(c.Version, before.Version)
	case !before.EndedOn.IsZero():
		return fupin.Errorf(fupin.EConflict, "该岗位已于 %s 离任，不能修改", before.EndedOn)
	}
	errs := fupin.FieldErrors{}
	c.EndReason = strings.TrimSpace(c.EndReason)
	if !c.PlannedEndOn.IsZero() && !c.PlannedEndOn.After(before.StartedOn) {
		errs.Add("planned_end_on", "计划期满日期应晚于到任日期")
	}
	if !c.EndedOn.IsZero() {
		if c.EndedOn.Before(before.StartedOn) || c.EndedOn.After(tx.today()) {
			errs.Add("ended_on", "离任日期应在到任日期和今天之间")
		}
		if c.EndReason == "" || len([]rune(c.EndReason)) > 200 {
			errs.Add("end_reason", "请填写离任原因（200 字以内）")
		}
	}
	if err := errs.Err(); err != nil || c.EndedOn.IsZero() {
		return err
	}
	var rotation int64
	err := tx.QueryRowContext(ctx, `SELECT r.id FROM rotation_items i JOIN rotations r ON r.id = i.rotation_id
		WHERE i.posting_id = $1 AND r.status = 'planned'`, before.ID).Scan(&rotation)
	if err == nil {
		msg := fmt.Sprintf("该岗位在轮换 #%d 中交接，请完成交接或先取消轮换，再办理离任", rotation)
		return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{"ended_on": msg}}
	} else if !isNoRows(err) {
		return fmt.Errorf("check posting end: %w", err)
	}
	var others, paired int
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM postings WHERE cadre_id = $1 AND ended_on IS NULL AND id <> $2),
		(SELECT COUNT(*) FROM pairings WHERE cadre_id = $1 AND ended_on IS NULL)`, before.CadreID, before.ID).Scan(&others, &paired); err != nil {
		return fmt.Errorf("check posting end: %w", err)
	}
	if others == 0 && paired > 0 {
		return fupin.Errorf(fupin.EConflict, "%s仍结对帮扶 %d 户：请先通过轮换交接或更换帮扶责任人移交这些农户，再办理离任", before.CadreName, paired)
	}
	return nil
}

// ListPostings lists the postings in area (active only unless all), by area
// and role.
func (db *DB) ListPostings(ctx context.Context, actor fupin.Actor, area string, all bool) ([]aid.Posting, error) {
	var out []aid.Posting
	err := db.view(ctx, actor, func(tx *Tx) error {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := areaCond("p.area_code", actor.Narrow(area), arg)
		if !all {
			where += " AND p.ended_on IS NULL"
		}
		var err error
		out, err = tx.postings(ctx, where+" ORDER BY p.area_code, p.role, p.started_on, p.id", args...)
		return err
	})
	return out, err
}
