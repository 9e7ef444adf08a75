package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"fupin/internal/fupin"
)

// WorkTeam is a body of cadres in one area, derived from the active
// postings: the township command post (指挥部), the township work team
// (驻乡工作队) or a village work team (驻村工作队, led by the 第一书记).
type WorkTeam struct {
	Kind      string    `json:"kind" description:"command 指挥部 / township_team 驻乡工作队 / village_team 驻村工作队"`
	KindLabel string    `json:"kind_label"`
	AreaCode  string    `json:"area_code"`
	AreaName  string    `json:"area_name"`
	Leader    *Posting  `json:"leader" description:"指挥长、驻乡工作队队长或第一书记；空表示缺位"`
	Members   []Posting `json:"members" description:"全部在岗人员（含负责人）"`
	Units     []string  `json:"units" description:"对口帮扶该村的成员单位"`
}

var teamLabels = map[string]string{"command": "脱贫攻坚指挥部", "township_team": "驻乡工作队", "village_team": "驻村工作队"}
var teamLeaders = map[string]string{"command": "commander", "township_team": "township_leader", "village_team": "first_secretary"}

// WorkTeams lists the work teams in area (and, for a village, its
// township's), from the active postings the actor may see.
func (db *DB) WorkTeams(ctx context.Context, actor fupin.Actor, area string) ([]WorkTeam, error) {
	out := []WorkTeam{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		cond := areaCond("p.area_code", actor.Narrow(area), arg)
		if len(area) > 9 && sees(actor, area[:9]) {
			cond = "(" + cond + " OR p.area_code = " + arg(area[:9]) + ")"
		}
		ps, err := tx.postings(ctx, cond+" AND p.ended_on IS NULL ORDER BY p.area_code, p.started_on, p.id", args...)
		if err != nil {
			return err
		}
		byKey := map[string]*WorkTeam{}
		var keys []string
		for _, p := range ps {
			kind := teamKind(p.Role)
			if kind == "" {
				continue
			}
			key := p.AreaCode + "/" + kind
			t := byKey[key]
			if t == nil {
				t = &WorkTeam{Kind: kind, KindLabel: teamLabels[kind], AreaCode: p.AreaCode, AreaName: p.AreaName, Members: []Posting{}, Units: []string{}}
				byKey[key] = t
				keys = append(keys, key)
			}
			t.Members = append(t.Members, p)
			if p.Role == teamLeaders[kind] {
				leader := p
				t.Leader = &leader
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			t := byKey[k]
			if t.Kind == "village_team" {
				if t.Units, err = tx.unitsOfVillage(ctx, t.AreaCode); err != nil {
					return err
				}
			}
			out = append(out, *t)
		}
		return nil
	})
	return out, err
}

func (tx *Tx) unitsOfVillage(ctx context.Context, village string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM aid_units WHERE village_code = $1 ORDER BY id`, village)
	if err != nil {
		return nil, fmt.Errorf("units of village: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// TermAlert is an active posting whose term ends soon (ending: within the
// alert window) or has passed (overdue).
type TermAlert struct {
	Posting
	Kind     string `json:"kind" description:"ending 即将期满 / overdue 已超期"`
	DaysLeft int    `json:"days_left" description:"距计划期满天数，负数为已超期天数"`
}

// TermAlerts lists the active postings in area whose planned end is within
// the alert window (60 days by default) or past, soonest first.
func (db *DB) TermAlerts(ctx context.Context, actor fupin.Actor, area string) ([]TermAlert, error) {
	out := []TermAlert{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		settings, err := tx.aidSettingRows(ctx)
		if err != nil {
			return err
		}
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		ps, err := tx.postings(ctx, areaCond("p.area_code", actor.Narrow(area), arg)+
			" AND p.ended_on IS NULL ORDER BY p.planned_end_on, p.id", args...)
		if err != nil {
			return err
		}
		today := tx.today()
		for _, p := range ps {
			left := daysBetween(today, p.PlannedEndOn)
			if left > resolveAidSettings(settings, p.AreaCode).TermAlertDays {
				continue
			}
			kind := "ending"
			if left < 0 {
				kind = "overdue"
			}
			out = append(out, TermAlert{Posting: p, Kind: kind, DaysLeft: left})
		}
		return nil
	})
	return out, err
}

// daysBetween is the number of days from a to b (negative when b is
// earlier).
func daysBetween(a, b fupin.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// monthRange parses "YYYY-MM" into its first and last day.
func monthRange(month string) (fupin.Date, fupin.Date, error) {
	first, err := fupin.ParseDate(strings.TrimSpace(month) + "-01")
	if err != nil || len(strings.TrimSpace(month)) != 7 {
		return fupin.Date{}, fupin.Date{}, &fupin.Error{Code: fupin.EInvalid, Message: "月份格式应为 YYYY-MM",
			Fields: map[string]string{"month": "月份格式应为 YYYY-MM"}}
	}
	return first, fupin.DateOf(first.Time().AddDate(0, 1, -1)), nil
}
