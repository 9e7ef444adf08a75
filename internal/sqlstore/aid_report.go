package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"fupin/internal/fupin"
)

// CadreAttendance is one cadre's month in one work team.
type CadreAttendance struct {
	CadreID   int64  `json:"cadre_id"`
	CadreName string `json:"cadre_name"`
	UnitName  string `json:"unit_name"`
	Role      string `json:"role"`
	RoleLabel string `json:"role_label"`
	Present   int    `json:"present" description:"在村（在乡）天数：当月签到天数"`
	LeaveDays int    `json:"leave_days" description:"当月经批准的请假天数（仅供参考：请假天数不计入在村天数，也不减少要求天数）"`
	Required  int    `json:"required" description:"当月要求天数（月中到任或离任按在岗天数折算；请假不减少要求）"`
	Met       bool   `json:"met" description:"在村天数（签到天数）达到要求天数；经批准的请假也不计入"`
}

// TeamAttendance is a work team's month.
type TeamAttendance struct {
	Kind      string            `json:"kind" description:"township_team 驻乡工作队 / village_team 驻村工作队"`
	KindLabel string            `json:"kind_label"`
	AreaCode  string            `json:"area_code"`
	AreaName  string            `json:"area_name"`
	Cadres    []CadreAttendance `json:"cadres"`
	Short     int               `json:"short" description:"未达到天数要求的人数"`
}

// AttendanceReport is the monthly attendance of the work teams in an area.
// Approved leave is shown (LeaveDays) but does not count toward the
// required days: the rule is days present in the village, and leave is
// excused by the office, not by the report.
type AttendanceReport struct {
	Month string           `json:"month" description:"YYYY-MM"`
	Area  string           `json:"area"`
	Teams []TeamAttendance `json:"teams"`
	Short int              `json:"short" description:"全部未达标人数"`
}

// MonthlyAttendance reports, per work team in area, each member's days in
// the village in month ("YYYY-MM") against the requirement (20 days by
// default, aid setting attendance_min_days), with approved leave shown
// beside it; leave does not count as presence nor lower the requirement.
func (db *DB) MonthlyAttendance(ctx context.Context, actor fupin.Actor, area, month string) (*AttendanceReport, error) {
	first, last, err := monthRange(month)
	if err != nil {
		return nil, err
	}
	rep := &AttendanceReport{Month: month, Area: area, Teams: []TeamAttendance{}}
	err = db.view(ctx, actor, func(tx *Tx) error {
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
		teams := map[string]*TeamAttendance{}
		var keys []string
		for _, p := range ps {
			kind := teamKind(p.Role)
			key := p.AreaCode + "/" + kind
			t := teams[key]
			if t == nil {
				t = &TeamAttendance{Kind: kind, KindLabel: teamLabels[kind], AreaCode: p.AreaCode, AreaName: p.AreaName, Cadres: []CadreAttendance{}}
				teams[key] = t
				keys = append(keys, key)
			}
			a := CadreAttendance{CadreID: p.CadreID, CadreName: p.CadreName, UnitName: units[p.CadreID], Role: p.Role,
				RoleLabel: p.RoleLabel, Present: present[p.CadreID][p.AreaCode]}
			for _, l := range leaves {
				if l.CadreID == p.CadreID && l.AreaCode == p.AreaCode {
					a.LeaveDays += leaveDays(l, first, last)
				}
			}
			a.Required = required(resolveAidSettings(settings, p.AreaCode).AttendanceMinDays, p, first, last, tx.today())
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

// required prorates the monthly minimum by the days the posting was held
// in the month, up to today for the current month.
func required(min int, p Posting, first, last, today fupin.Date) int {
	from, to := first, last
	if p.StartedOn.After(from) {
		from = p.StartedOn
	}
	if !p.EndedOn.IsZero() && p.EndedOn.Before(to) {
		to = p.EndedOn
	}
	if today.Before(to) {
		to = today
	}
	if to.Before(from) {
		return 0
	}
	held, month := daysBetween(from, to)+1, daysBetween(first, last)+1
	if held >= month {
		return min
	}
	return (min*held + month - 1) / month
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
