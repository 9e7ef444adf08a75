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

// CreateAidGroup stores a group and its lead unit. Errors: invalid,
// forbidden (the township is outside the actor's areas).
func (db *DB) CreateAidGroup(ctx context.Context, actor fupin.Actor, g aid.Group) (*aid.Group, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if !actor.Covers(g.AreaCode) {
		return nil, aid.ForbidArea(g.AreaCode)
	}
	var out *aid.Group
	err := db.update(ctx, actor, func(tx *Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_groups (name, area_code, lead_unit, note, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, g.Name, g.AreaCode, g.LeadUnit, g.Note, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create aid group: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO aid_units (group_id, name, is_lead, created_at, updated_at)
			VALUES ($1, $2, TRUE, $3, $3)`, id, g.LeadUnit, tx.now); err != nil {
			return fmt.Errorf("create lead unit: %w", err)
		}
		var err error
		if out, err = tx.aidGroup(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.group.create", "aid_group", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

// UpdateAidGroup changes a group's name, lead unit and note when g.Version
// is current. Errors: invalid, not_found, conflict.
func (db *DB) UpdateAidGroup(ctx context.Context, actor fupin.Actor, id int64, g aid.Group) (*aid.Group, error) {
	var out *aid.Group
	err := db.update(ctx, actor, func(tx *Tx) error {
		before, err := tx.aidGroup(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return aid.ForbidArea(before.AreaCode)
		}
		g.AreaCode = before.AreaCode
		if err := g.Validate(); err != nil {
			return err
		}
		if g.Version != before.Version {
			return staleVersion(g.Version, before.Version)
		}
		res, err := tx.ExecContext(ctx, `UPDATE aid_groups SET name = $1, lead_unit = $2, note = $3,
			version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6`, g.Name, g.LeadUnit, g.Note, tx.now, id, g.Version)
		if err := versioned(res, err, "update aid group"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE aid_units SET name = $1, updated_at = $2, version = version + 1
			WHERE group_id = $3 AND is_lead`, g.LeadUnit, tx.now, id); err != nil {
			return tx.mapAidUnique(err)
		}
		if out, err = tx.aidGroup(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.group.update", "aid_group", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

// aidGroup loads a group the actor may see, with its units.
func (tx *Tx) aidGroup(ctx context.Context, id int64) (*aid.Group, error) {
	gs, err := tx.aidGroups(ctx, "id = $1", []any{id}, func(code string) bool { return aid.Sees(tx.actor, code) })
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, notFound("帮扶集团", id)
	}
	return &gs[0], nil
}

// aidGroups reads the groups matching where (a condition on aid_groups
// columns over args) that keep accepts, with their units: one query for
// the groups and one for all their units, whatever their number.
func (tx *Tx) aidGroups(ctx context.Context, where string, args []any, keep func(code string) bool) ([]aid.Group, error) {
	rows, err := tx.query(ctx, `SELECT id, name, area_code, lead_unit, note, version, created_at, updated_at
		FROM aid_groups WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load aid groups: %w", err)
	}
	defer rows.Close()
	out := []aid.Group{}
	at := map[int64]int{}
	for rows.Next() {
		var g aid.Group
		if err := rows.Scan(&g.ID, &g.Name, &g.AreaCode, &g.LeadUnit, &g.Note, &g.Version, &g.CreatedAt, &g.UpdatedAt); err != nil {
			return nil, err
		}
		if !keep(g.AreaCode) {
			continue
		}
		g.CreatedAt, g.UpdatedAt, g.AreaName = g.CreatedAt.UTC(), g.UpdatedAt.UTC(), aid.AreaName(g.AreaCode)
		g.Units = []aid.Unit{}
		at[g.ID] = len(out)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows.Close()
	return out, tx.aidUnits(ctx, "u.group_id IN (SELECT id FROM aid_groups WHERE "+where+")", args, func(u aid.Unit) {
		if i, ok := at[u.GroupID]; ok {
			out[i].Units = append(out[i].Units, u)
		}
	})
}

// aidUnits reads the units matching where (lead unit first) and hands
// each to add.
func (tx *Tx) aidUnits(ctx context.Context, where string, args []any, add func(aid.Unit)) error {
	rows, err := tx.query(ctx, `SELECT u.id, u.group_id, u.name, u.is_lead, COALESCE(u.village_code, ''), u.version,
		(SELECT COUNT(DISTINCT c.id) FROM cadres c JOIN postings p ON p.cadre_id = c.id AND p.ended_on IS NULL
		 WHERE c.unit_id = u.id)
		FROM aid_units u WHERE `+where+` ORDER BY u.group_id, u.is_lead DESC, u.id`, args...)
	if err != nil {
		return fmt.Errorf("aid units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u aid.Unit
		if err := rows.Scan(&u.ID, &u.GroupID, &u.Name, &u.IsLead, &u.VillageCode, &u.Version, &u.Cadres); err != nil {
			return err
		}
		u.VillageName = aid.AreaName(u.VillageCode)
		add(u)
	}
	return rows.Err()
}

// ListAidGroups lists the groups whose township overlaps area within the
// actor's areas, with their units.
func (db *DB) ListAidGroups(ctx context.Context, actor fupin.Actor, area string) ([]aid.Group, error) {
	out := []aid.Group{}
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := overlapCond("area_code", actor, area, arg)
		out, err = tx.aidGroups(ctx, where, args, overlapping(actor, area))
		return err
	})
	return out, err
}

// AidGroup returns one group with its units. Errors: not_found.
func (db *DB) AidGroup(ctx context.Context, actor fupin.Actor, id int64) (*aid.Group, error) {
	var g *aid.Group
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		g, err = tx.aidGroup(ctx, id)
		return err
	})
	return g, err
}

// CreateAidUnit adds a unit to a group (u.ID is ignored) and returns the
// group. Errors: invalid, not_found, forbidden, conflict (name taken).
func (db *DB) CreateAidUnit(ctx context.Context, actor fupin.Actor, groupID int64, u aid.Unit) (*aid.Group, error) {
	u.ID = 0
	return db.saveAidUnit(ctx, actor, groupID, u)
}

// UpdateAidUnit changes unit unitID of a group, which the caller read at
// u.Version, and returns the group. Errors: invalid, not_found, forbidden,
// conflict (name taken, stale version).
func (db *DB) UpdateAidUnit(ctx context.Context, actor fupin.Actor, groupID, unitID int64, u aid.Unit) (*aid.Group, error) {
	if unitID <= 0 {
		return nil, notFound("成员单位", unitID)
	}
	u.ID = unitID
	return db.saveAidUnit(ctx, actor, groupID, u)
}

// saveAidUnit adds a unit to a group (u.ID 0) or changes one (u.Version
// current).
func (db *DB) saveAidUnit(ctx context.Context, actor fupin.Actor, groupID int64, u aid.Unit) (*aid.Group, error) {
	var out *aid.Group
	err := db.update(ctx, actor, func(tx *Tx) error {
		g, err := tx.aidGroup(ctx, groupID)
		if err != nil {
			return err
		}
		if !actor.Covers(g.AreaCode) {
			return aid.ForbidArea(g.AreaCode)
		}
		u.IsLead = u.ID != 0 && len(g.Units) > 0 && g.Units[0].IsLead && g.Units[0].ID == u.ID // from the store, not the body (the lead unit sorts first)
		if err := u.Validate(g); err != nil {
			return err
		}
		var before *aid.Unit
		for i := range g.Units {
			if g.Units[i].ID == u.ID {
				before = &g.Units[i]
			}
		}
		village := any(nil)
		if u.VillageCode != "" {
			village = u.VillageCode
		}
		switch {
		case u.ID == 0:
			err = tx.QueryRowContext(ctx, `INSERT INTO aid_units (group_id, name, is_lead, village_code, created_at, updated_at)
				VALUES ($1, $2, FALSE, $3, $4, $4) RETURNING id`, groupID, u.Name, village, tx.now).Scan(&u.ID)
		case before == nil:
			return notFound("成员单位", u.ID)
		case before.Version != u.Version:
			return staleVersion(u.Version, before.Version)
		default:
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE aid_units SET name = $1, village_code = $2, version = version + 1,
				updated_at = $3 WHERE id = $4 AND version = $5`, u.Name, village, tx.now, u.ID, u.Version)
			if err == nil {
				err = versioned(res, nil, "update aid unit")
			}
		}
		if err != nil {
			return tx.mapAidUnique(err)
		}
		if out, err = tx.aidGroup(ctx, groupID); err != nil {
			return err
		}
		return tx.auditValue(ctx, "aid.unit.save", "aid_unit", strconv.FormatInt(u.ID, 10), before, u)
	})
	return out, err
}

// mapAidUnique turns unique violations of the aid tables into conflicts.
func (tx *Tx) mapAidUnique(err error) error {
	name, ok := uniqueViolation(err)
	switch {
	case !ok:
		return err
	case strings.Contains(name, "aid_units"):
		return &fupin.Error{Code: fupin.EConflict, Message: "该帮扶集团已有同名单位", Fields: map[string]string{"name": "单位名称重复"}}
	case strings.Contains(name, "id_number"):
		return &fupin.Error{Code: fupin.EConflict, Message: "该身份证号码的干部已登记", Fields: map[string]string{"id_number": "已登记"}}
	case strings.Contains(name, "pairings"):
		return &fupin.Error{Code: fupin.EConflict, Message: "该户已有在帮的帮扶责任人（每户只能有一名），请刷新后重试",
			Fields: map[string]string{"household_id": "已有帮扶责任人"}}
	case strings.Contains(name, "checkins"):
		return &fupin.Error{Code: fupin.EConflict, Message: "该干部当天已签到", Fields: map[string]string{"day": "当天已签到"}}
	}
	return fupin.Errorf(fupin.EConflict, "与已有记录重复，请刷新后重试")
}
