package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// needsHelper is the SQL condition (on households h) for the households
// that must have exactly one active helper: every live 脱贫户 and every live
// 监测户 whose risk has not been eliminated.
const needsHelper = `h.deleted_at IS NULL AND (h.household_type = 'ex_poor' OR (h.monitor_type <> '' AND h.risk_eliminated_on IS NULL))`

const pairingSelect = `SELECT x.id, x.household_id, COALESCE(h.household_no, ''), h.head_name, h.household_type,
	h.monitor_type, x.village_code, x.cadre_id, c.name, c.unit_name, x.started_on, x.ended_on, x.end_reason,
	x.rotation_id, x.created_by
	FROM pairings x JOIN households h ON h.id = x.household_id JOIN cadres c ON c.id = x.cadre_id`

func (tx *Tx) pairings(ctx context.Context, where string, args ...any) ([]aid.Pairing, error) {
	rows, err := tx.QueryContext(ctx, pairingSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("pairings: %w", err)
	}
	defer rows.Close()
	out := []aid.Pairing{}
	for rows.Next() {
		var p aid.Pairing
		var rot sql.NullInt64
		if err := rows.Scan(&p.ID, &p.HouseholdID, &p.HouseholdNo, &p.HeadName, &p.HouseholdType, &p.MonitorType,
			&p.VillageCode, &p.CadreID, &p.CadreName, &p.CadreUnit, &p.StartedOn, &p.EndedOn, &p.EndReason, &rot, &p.CreatedBy); err != nil {
			return nil, err
		}
		p.RotationID, p.VillageName = idPtr(rot), aid.AreaName(p.VillageCode)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PairHousehold makes a cadre the household's helper. An active pairing
// with someone else ends on the same day in the same transaction, so the
// household is never without a helper. A planned rotation in which the old
// or new helper hands over gets its handover list rebuilt and its
// confirmations withdrawn. Errors: invalid (started_on after today, before
// the current pairing's start or the cadre's posting), not_found
// (household or cadre), conflict (deleted household, the cadre already
// helps it, the cadre holds no active posting).
func (db *DB) PairHousehold(ctx context.Context, actor fupin.Actor, householdID int64, c aid.PairingChange) (*aid.Pairing, error) {
	var out *aid.Pairing
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil {
			return err
		}
		h, err := tx.household(ctx, householdID, false)
		if err != nil {
			return err
		}
		if h.Deleted() {
			return fupin.Errorf(fupin.EConflict, "农户 #%d 已删除，不能结对", householdID)
		}
		cadre, err := tx.cadre(ctx, c.CadreID)
		if err != nil {
			return withField(err, "cadre_id")
		}
		if len(aid.ActivePostings(cadre.Postings)) == 0 {
			return &fupin.Error{Code: fupin.EConflict, Message: cadre.Name + "没有在岗岗位，不能担任帮扶责任人",
				Fields: map[string]string{"cadre_id": "干部不在岗"}}
		}
		if c.StartedOn.IsZero() {
			c.StartedOn = tx.today()
		}
		before, err := tx.pairings(ctx, "x.household_id = $1 AND x.ended_on IS NULL", householdID)
		if err != nil {
			return err
		}
		if len(before) > 0 && before[0].CadreID == c.CadreID {
			msg := cadre.Name + "已是该户的帮扶责任人"
			return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{"cadre_id": msg}}
		}
		if err := aid.CheckPairingStart(tx.today(), c.StartedOn, cadre, before); err != nil {
			return err
		}
		reason := strings.TrimSpace(c.Reason)
		if reason == "" {
			reason = "更换帮扶责任人"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pairings SET ended_on = $1, end_reason = $2, updated_at = $3
			WHERE household_id = $4 AND ended_on IS NULL`, c.StartedOn, reason, tx.now, householdID); err != nil {
			return fmt.Errorf("end pairing: %w", err)
		}
		id, err := tx.insertPairing(ctx, householdID, c.CadreID, h.VillageCode, c.StartedOn, nil)
		if err != nil {
			return err
		}
		after, err := tx.pairings(ctx, "x.id = $1", id)
		if err != nil {
			return err
		}
		out = &after[0]
		cadres := []int64{c.CadreID}
		if len(before) > 0 {
			cadres = append(cadres, before[0].CadreID)
		}
		if err := tx.refreshRotations(ctx, cadres...); err != nil {
			return err
		}
		return tx.audit(ctx, "aid.pairing.set", "pairing", id, householdID, firstOrNil(before), out)
	})
	return out, err
}

func (tx *Tx) insertPairing(ctx context.Context, householdID, cadreID int64, village string, on fupin.Date, rotation *int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO pairings (household_id, cadre_id, village_code, started_on, rotation_id,
		created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		householdID, cadreID, village, on, nullID(rotation), tx.actor.Name, tx.now).Scan(&id)
	if err != nil {
		return 0, tx.mapAidUnique(err)
	}
	return id, nil
}

func firstOrNil(ps []aid.Pairing) any {
	if len(ps) == 0 {
		return nil
	}
	return ps[0]
}

// EndPairing ends a household's active pairing. A household that needs a
// helper (脱贫户, 监测户) cannot be left without one: name the new helper
// with PairHousehold instead. A planned rotation in which the helper hands
// over gets its list rebuilt and its confirmations withdrawn. Errors:
// not_found, conflict.
func (db *DB) EndPairing(ctx context.Context, actor fupin.Actor, householdID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 200 {
		return &fupin.Error{Code: fupin.EInvalid, Message: "请填写解除结对的原因（200 字以内）", Fields: map[string]string{"reason": "请填写原因"}}
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.lockAid(ctx); err != nil {
			return err
		}
		if _, err := tx.household(ctx, householdID, false); err != nil {
			return err
		}
		var needs int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM households h WHERE h.id = $1 AND `+needsHelper, householdID).Scan(&needs); err != nil {
			return err
		}
		if needs > 0 {
			msg := "脱贫户和未消除风险的监测户必须有帮扶责任人：请直接更换帮扶责任人，而不是解除结对"
			return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{"household_id": "该户须有帮扶责任人"}}
		}
		before, err := tx.pairings(ctx, "x.household_id = $1 AND x.ended_on IS NULL", householdID)
		if err != nil {
			return err
		}
		if len(before) == 0 {
			return fupin.Errorf(fupin.ENotFound, "农户 #%d 没有在帮的帮扶责任人", householdID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pairings SET ended_on = $1, end_reason = $2, updated_at = $3
			WHERE id = $4`, tx.today(), reason, tx.now, before[0].ID); err != nil {
			return fmt.Errorf("end pairing: %w", err)
		}
		if err := tx.refreshRotations(ctx, before[0].CadreID); err != nil {
			return err
		}
		return tx.audit(ctx, "aid.pairing.end", "pairing", before[0].ID, householdID, before[0], map[string]string{"reason": reason})
	})
}

// ListHouseholdPairings lists a household's pairings, newest first.
func (db *DB) ListHouseholdPairings(ctx context.Context, actor fupin.Actor, householdID int64) ([]aid.Pairing, error) {
	var out []aid.Pairing
	err := db.view(ctx, actor, func(tx *Tx) error {
		if _, err := tx.household(ctx, householdID, false); err != nil {
			return err
		}
		var err error
		out, err = tx.pairings(ctx, "x.household_id = $1 ORDER BY x.id DESC", householdID)
		return err
	})
	return out, err
}

// ListActivePairings lists the active pairings in area, optionally of one
// cadre, by village and household.
func (db *DB) ListActivePairings(ctx context.Context, actor fupin.Actor, area string, cadreID int64, offset, limit int) (aid.PairingPage, error) {
	page := aid.PairingPage{Items: []aid.Pairing{}}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "x.ended_on IS NULL AND h.deleted_at IS NULL AND " + areaCond("x.village_code", actor.Narrow(area), arg)
	if cadreID != 0 {
		where += " AND x.cadre_id = " + arg(cadreID)
	}
	err := db.view(ctx, actor, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pairings x JOIN households h ON h.id = x.household_id
			WHERE `+where, db.customPlan(args)...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count pairings: %w", err)
		}
		var err error
		page.Items, err = tx.pairings(ctx, where+" ORDER BY x.village_code, x.household_id LIMIT "+
			strconv.Itoa(limit)+" OFFSET "+strconv.Itoa(max(offset, 0)), db.customPlan(args)...)
		return err
	})
	return page, err
}

// Unpaired lists the households in area that must have a helper and have
// none: 脱贫户 and 监测户 whose risk is not eliminated (the "at least one" half
// of the invariant; "at most one" is a unique index).
func (db *DB) Unpaired(ctx context.Context, actor fupin.Actor, area string) (aid.UnpairedReport, error) {
	rep := aid.UnpairedReport{Items: []aid.UnpairedHousehold{}}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	scope := needsHelper + " AND " + areaCond("h.village_code", actor.Narrow(area), arg)
	missing := ` AND NOT EXISTS (SELECT 1 FROM pairings x WHERE x.household_id = h.id AND x.ended_on IS NULL)`
	err := db.view(ctx, actor, func(tx *Tx) error {
		rep.Items = rep.Items[:0]
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM pairings x
			WHERE x.household_id = h.id AND x.ended_on IS NULL) THEN 1 ELSE 0 END), 0) FROM households h WHERE `+scope,
			args...).Scan(&rep.Need, &rep.Total); err != nil {
			return fmt.Errorf("count unpaired: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT h.id, COALESCE(h.household_no, ''), h.head_name, h.household_type,
			h.monitor_type, h.village_code FROM households h WHERE `+scope+missing+` ORDER BY h.village_code, h.id LIMIT 1000`, args...)
		if err != nil {
			return fmt.Errorf("unpaired: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u aid.UnpairedHousehold
			if err := rows.Scan(&u.HouseholdID, &u.HouseholdNo, &u.HeadName, &u.HouseholdType, &u.MonitorType, &u.VillageCode); err != nil {
				return err
			}
			u.VillageName = aid.AreaName(u.VillageCode)
			rep.Items = append(rep.Items, u)
		}
		return rows.Err()
	})
	return rep, err
}

// ListWorkload counts the active pairings per helper in area, busiest first.
func (db *DB) ListWorkload(ctx context.Context, actor fupin.Actor, area string) ([]aid.HelperLoad, error) {
	out := []aid.HelperLoad{}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "x.ended_on IS NULL AND h.deleted_at IS NULL AND " + areaCond("x.village_code", actor.Narrow(area), arg)
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name, c.unit_name, COUNT(*),
			SUM(CASE WHEN h.monitor_type <> '' AND h.risk_eliminated_on IS NULL THEN 1 ELSE 0 END),
			SUM(CASE WHEN h.household_type = 'ex_poor' THEN 1 ELSE 0 END)
			FROM pairings x JOIN households h ON h.id = x.household_id JOIN cadres c ON c.id = x.cadre_id
			WHERE `+where+` GROUP BY c.id, c.name, c.unit_name ORDER BY c.id`, args...)
		if err != nil {
			return fmt.Errorf("workload: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var l aid.HelperLoad
			if err := rows.Scan(&l.CadreID, &l.CadreName, &l.UnitName, &l.Households, &l.Monitored, &l.ExPoor); err != nil {
				return err
			}
			out = append(out, l)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// Equal loads by the pinyin of the name (SQL orders by code point).
		fupin.SortByName(out, func(l aid.HelperLoad) string { return l.CadreName })
		slices.SortStableFunc(out, func(a, b aid.HelperLoad) int { return b.Households - a.Households })
		return nil
	})
	return out, err
}
