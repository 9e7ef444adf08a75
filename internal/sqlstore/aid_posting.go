package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// Posting is a cadre's post in an area for a term: 驻乡工作队队长/队员,
// 第一书记, 驻村工作队员, 帮扶责任人 or a command-post role. Active while
// EndedOn is unset.
type Posting struct {
	ID           int64      `json:"id" readOnly:"true"`
	CadreID      int64      `json:"cadre_id" required:"true" description:"干部编号"`
	CadreName    string     `json:"cadre_name" readOnly:"true"`
	Role         string     `json:"role" required:"true" description:"岗位 code list aid_role"`
	RoleLabel    string     `json:"role_label" readOnly:"true"`
	AreaCode     string     `json:"area_code" required:"true" description:"驻点：乡镇（指挥部、驻乡工作队）或村（第一书记、驻村工作队员）"`
	AreaName     string     `json:"area_name" readOnly:"true"`
	GroupID      *int64     `json:"group_id" description:"所属帮扶集团，可空"`
	StartedOn    fupin.Date `json:"started_on" required:"true" description:"到任日期"`
	PlannedEndOn fupin.Date `json:"planned_end_on" description:"计划期满日期；空则按任期（默认 2 年）计算"`
	EndedOn      fupin.Date `json:"ended_on" readOnly:"true" description:"实际离任日期，空为在岗"`
	EndReason    string     `json:"end_reason" readOnly:"true"`
	RotationID   *int64     `json:"rotation_id" readOnly:"true" description:"经轮换交接到任或离任时的轮换编号"`
	Version      int64      `json:"version" description:"乐观锁版本号，修改时必须带回"`
}

const postingSelect = `SELECT p.id, p.cadre_id, c.name, p.role, p.area_code, p.group_id, p.started_on, p.planned_end_on,
	p.ended_on, p.end_reason, p.rotation_id, p.version FROM postings p JOIN cadres c ON c.id = p.cadre_id`

func scanPosting(row scanner) (Posting, error) {
	var p Posting
	var group, rot sql.NullInt64
	err := row.Scan(&p.ID, &p.CadreID, &p.CadreName, &p.Role, &p.AreaCode, &group, &p.StartedOn, &p.PlannedEndOn,
		&p.EndedOn, &p.EndReason, &rot, &p.Version)
	p.GroupID, p.RotationID = idPtr(group), idPtr(rot)
	p.RoleLabel, p.AreaName = AidRoles.LabelOf(p.Role), areaName(p.AreaCode)
	return p, err
}

// postings runs postingSelect with a WHERE clause (no area filter).
func (tx *Tx) postings(ctx context.Context, where string, args ...any) ([]Posting, error) {
	rows, err := tx.QueryContext(ctx, postingSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("postings: %w", err)
	}
	defer rows.Close()
	out := []Posting{}
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
func (tx *Tx) posting(ctx context.Context, id int64) (*Posting, error) {
	p, err := scanPosting(tx.QueryRowContext(ctx, postingSelect+` WHERE p.id = $1`, id))
	if isNoRows(err) || (err == nil && !sees(tx.actor, p.AreaCode)) {
		return nil, notFound("岗位", id)
	} else if err != nil {
		return nil, fmt.Errorf("load posting: %w", err)
	}
	return &p, nil
}

func (p *Posting) validate() error {
	errs := fupin.FieldErrors{}
	if !AidRoles.Has(p.Role) {
		errs.Add("role", "岗位不在代码表中："+p.Role)
	}
	p.AreaCode = strings.TrimSpace(p.AreaCode)
	checkAreaCode(errs, "area_code", p.AreaCode, false)
	switch teamKind(p.Role) {
	case "command", "township_team":
		if len(p.AreaCode) != 9 {
			errs.Add("area_code", AidRoles.LabelOf(p.Role)+"的驻点应为乡镇（9 位区划代码）")
		}
	case "village_team":
		if len(p.AreaCode) != 12 {
			errs.Add("area_code", AidRoles.LabelOf(p.Role)+"的驻点应为村（12 位区划代码）")
		}
	}
	if p.StartedOn.IsZero() {
		errs.Add("started_on", "请填写到任日期")
	}
	if !p.PlannedEndOn.IsZero() && !p.PlannedEndOn.After(p.StartedOn) {
		errs.Add("planned_end_on", "计划期满日期应晚于到任日期")
	}
	return errs.Err()
}

// singleRoles may have one active holder per area.
var singleRoles = map[string]bool{"commander": true, "office_director": true, "township_leader": true, "first_secretary": true}

// CreatePosting posts a cadre. The planned end defaults to the start plus
// the term in force for the area. Errors: invalid, not_found (cadre),
// forbidden (area outside the actor's), conflict (the area already has an
// active 第一书记, 指挥长, 办公室主任 or 驻乡工作队队长, or the cadre already holds
// this role there).
func (db *DB) CreatePosting(ctx context.Context, actor fupin.Actor, p Posting) (*Posting, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if !actor.Covers(p.AreaCode) {
		return nil, forbidArea(p.AreaCode)
	}
	var out *Posting
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
func (tx *Tx) insertPosting(ctx context.Context, p Posting, rotation *int64) (int64, error) {
	var holder string
	err := tx.QueryRowContext(ctx, `SELECT c.name FROM postings p JOIN cadres c ON c.id = p.cadre_id
		WHERE p.area_code = $1 AND p.role = $2 AND p.ended_on IS NULL AND ($3 OR p.cadre_id = $4) LIMIT 1`,
		p.AreaCode, p.Role, singleRoles[p.Role], p.CadreID).Scan(&holder)
	if err == nil {
		return 0, &fupin.Error{Code: fupin.EConflict, Message: fmt.Sprintf("%s已有在岗的%s：%s，请先办理离任或轮换",
			areaName(p.AreaCode), AidRoles.LabelOf(p.Role), holder), Fields: map[string]string{"role": "已有在岗人员"}}
	} else if !isNoRows(err) {
		return 0, fmt.Errorf("check posting: %w", err)
	}
	if p.PlannedEndOn.IsZero() {
		rows, err := tx.aidSettingRows(ctx)
		if err != nil {
			return 0, err
		}
		months := resolveAidSettings(rows, p.AreaCode).TermMonths
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

// PostingChange is a change to an active posting: a new planned end (a
// term extended or shortened), or its end (EndedOn set, with a reason).
type PostingChange struct {
	Version      int64      `json:"version" required:"true"`
	PlannedEndOn fupin.Date `json:"planned_end_on" description:"新的计划期满日期"`
	EndedOn      fupin.Date `json:"ended_on" description:"离任日期：填写即办理离任"`
	EndReason    string     `json:"end_reason" description:"离任原因（离任时必填）"`
}

// ChangePosting applies c to an active posting. A cadre's last active
// posting cannot end while they still help households: hand those over
// (rotation) or pair them with someone else first; a posting being handed
// over in a planned rotation cannot end outside it. Errors: invalid,
// not_found, forbidden, conflict (stale version on field version, the two
// rules above).
func (db *DB) ChangePosting(ctx context.Context, actor fupin.Actor, id int64, c PostingChange) (*Posting, error) {
	var out *Posting
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil {
			return err
		}
		before, err := tx.posting(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return forbidArea(before.AreaCode)
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

func (tx *Tx) checkPostingChange(ctx context.Context, before *Posting, c *PostingChange) error {
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

// Postings lists the postings in area (active only unless all), by area
// and role.
func (db *DB) Postings(ctx context.Context, actor fupin.Actor, area string, all bool) ([]Posting, error) {
	var out []Posting
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
