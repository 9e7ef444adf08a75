package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// ListWorkTeams lists the work teams in area (and, for a village, its
// township's), from the active postings the actor may see.
func (db *DB) ListWorkTeams(ctx context.Context, actor fupin.Actor, area string) ([]aid.WorkTeam, error) {
	out := []aid.WorkTeam{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		cond := areaCond("p.area_code", actor.Narrow(area), arg)
		if len(area) > 9 && aid.Sees(actor, area[:9]) {
			cond = "(" + cond + " OR p.area_code = " + arg(area[:9]) + ")"
		}
		ps, err := tx.postings(ctx, cond+" AND p.ended_on IS NULL ORDER BY p.area_code, p.started_on, p.id", args...)
		if err != nil {
			return err
		}
		byKey := map[string]*aid.WorkTeam{}
		var keys []string
		for _, p := range ps {
			kind := aid.TeamKind(p.Role)
			if kind == "" {
				continue
			}
			key := p.AreaCode + "/" + kind
			t := byKey[key]
			if t == nil {
				t = &aid.WorkTeam{Kind: kind, KindLabel: aid.TeamLabels[kind], AreaCode: p.AreaCode, AreaName: p.AreaName, Members: []aid.Posting{}, Units: []string{}}
				byKey[key] = t
				keys = append(keys, key)
			}
			t.Members = append(t.Members, p)
			if p.Role == aid.TeamLeaders[kind] {
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

// ListTermAlerts lists the active postings in area whose planned end is within
// the alert window (60 days by default) or past, soonest first.
func (db *DB) ListTermAlerts(ctx context.Context, actor fupin.Actor, area string) ([]aid.TermAlert, error) {
	out := []aid.TermAlert{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
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
			if a, ok := aid.TermAlertOf(p, today, aid.ResolveSettings(settings, p.AreaCode).TermAlertDays); ok {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}
