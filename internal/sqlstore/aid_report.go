package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// MonthlyAttendance reports, per work team in area, each member's days in
// the village in month ("YYYY-MM") against the requirement (20 days by
// default, aid setting attendance_min_days), with approved leave shown
// beside it; leave does not count as presence nor lower the requirement.
func (db *DB) MonthlyAttendance(ctx context.Context, actor fupin.Actor, area, month string) (*aid.AttendanceReport, error) {
	first, last, err := aid.MonthRange(month)
	if err != nil {
		return nil, err
	}
	rep := &aid.AttendanceReport{Month: month, Area: area, Teams: []aid.TeamAttendance{}}
	err = db.view(ctx, actor, func(tx *Tx) error {
		rep.Short, rep.Teams = 0, rep.Teams[:0]
		settings, err := tx.aidSettingRows(ctx)
		if err != nil {
			return err
		}
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		scope := areaCond("p.area_code", actor.Narrow(area), arg) +
			" AND p.role IN ('township_leader', 'township_member', 'first_secretary', 'village_member')" +
			" AND p.started_on <= " + arg(last) + " AND (p.ended_on IS NULL OR p.ended_on >= " + arg(first) + ")"
		ps, err := tx.postings(ctx, scope+" ORDER BY p.area_code, p.role, p.id", args...)
		if err != nil {
			return err
		}
		present, err := tx.presentDays(ctx, first, last)
		if err != nil {
			return err
		}
		leaves, err := tx.leaves(ctx, "l.from_on <= $1 AND l.to_on >= $2", last, first)
		if err != nil {
			return err
		}
		units, err := tx.cadreUnits(ctx, scope, args...)
		if err != nil {
			return err
		}
		teams := map[string]*aid.TeamAttendance{}
		var keys []string
		for _, p := range ps {
			kind := aid.TeamKind(p.Role)
			key := p.AreaCode + "/" + kind
			t := teams[key]
			if t == nil {
				t = &aid.TeamAttendance{Kind: kind, KindLabel: aid.TeamLabels[kind], AreaCode: p.AreaCode, AreaName: p.AreaName, Cadres: []aid.CadreAttendance{}}
				teams[key] = t
				keys = append(keys, key)
			}
			a := aid.CadreAttendance{CadreID: p.CadreID, CadreName: p.CadreName, UnitName: units[p.CadreID], Role: p.Role,
				RoleLabel: p.RoleLabel, Present: present[p.CadreID][p.AreaCode]}
			for _, l := range leaves {
				if l.CadreID == p.CadreID && l.AreaCode == p.AreaCode {
					a.LeaveDays += aid.LeaveDays(l, first, last)
				}
			}
			a.Required = aid.RequiredDays(aid.ResolveSettings(settings, p.AreaCode).AttendanceMinDays, p, first, last, tx.today())
			a.Met = a.Present >= a.Required
			if !a.Met {
				t.Short++
				rep.Short++
			}
			t.Cadres = append(t.Cadres, a)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rep.Teams = append(rep.Teams, *teams[k])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// presentDays counts check-in days per cadre and area in [first, last].
func (tx *Tx) presentDays(ctx context.Context, first, last fupin.Date) (map[int64]map[string]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT cadre_id, area_code, COUNT(*) FROM checkins
		WHERE day >= $1 AND day <= $2 GROUP BY cadre_id, area_code`, first, last)
	if err != nil {
		return nil, fmt.Errorf("present days: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var id int64
		var area string
		var n int
		if err := rows.Scan(&id, &area, &n); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][area] = n
	}
	return out, rows.Err()
}

// cadreUnits maps the cadres holding the postings p of scope to their unit.
func (tx *Tx) cadreUnits(ctx context.Context, scope string, args ...any) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.unit_name FROM cadres c
		WHERE c.id IN (SELECT p.cadre_id FROM postings p WHERE `+scope+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("cadre units: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
