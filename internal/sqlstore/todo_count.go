package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// visitGroupsSelect selects, for the households of the FROM and WHERE
// that follow (on households h and their active pairing x), each village,
// visit category (m: 监测户 whose risk is not eliminated, p: 脱贫户, o:
// other) and date since which a visit is due (the last visit, else the
// start of the active pairing; NULL when neither), with how many
// households share them and how many of those are paired: the inputs of
// aid.CheckOverdue, grouped, so that a township of 300,000 households
// comes back as a few thousand rows.
const visitGroupsSelect = `SELECT village_code, cat, since, COUNT(*), SUM(paired) FROM (
	SELECT h.village_code,
		CASE WHEN h.monitor_type <> '' AND h.risk_eliminated_on IS NULL THEN 'm' WHEN h.household_type = 'ex_poor' THEN 'p' ELSE 'o' END AS cat,
		COALESCE((SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id), x.started_on) AS since,
		CASE WHEN x.id IS NULL THEN 0 ELSE 1 END AS paired
	FROM `

// visitCounts are what the 待办 panel counts of the households of one
// village that need a helper or have one.
type visitCounts struct {
	overdue  int // households ListOverdueVisits lists
	unpaired int // households that need a helper and have none
}

// countVisits counts, per village under prefixes, overdue visits and
// unpaired households without reading the households one by one: the
// households that need a helper come from their partial index (migration
// 0020); paired households that do not (rare) are read from the active
// pairings only in the villages whose active pairings (by the pairing's
// village) outnumber their paired needy households. A household that needs
// no helper, moved into a village after it was paired elsewhere, is
// therefore counted only when some other pairing makes its village's
// numbers differ. A village's counts do not depend on which other villages
// are counted with it.
func (db *DB) countVisits(ctx context.Context, actor fupin.Actor, prefixes []string) (map[string]visitCounts, error) {
	out := map[string]visitCounts{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		settings, err := tx.aidSettingRows(ctx)
		if err != nil {
			return err
		}
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		inArea := areaRanges("h.village_code", prefixes, arg)
		g := visitGrouper{settings: settings, today: tx.today(), resolved: map[string]aid.Settings{}, villages: map[string]*visitGroup{}}
		if err := g.add(ctx, tx, visitGroupsSelect+`households h LEFT JOIN pairings x ON x.household_id = h.id
			AND x.ended_on IS NULL WHERE `+needsHelper+` AND `+inArea, args, true); err != nil {
			return err
		}
		pairings, err := tx.activePairings(ctx, prefixes)
		if err != nil {
			return err
		}
		var differ []string
		for v, n := range pairings {
			if g.group(v).paired != n {
				differ = append(differ, v)
			}
		}
		for v, c := range g.villages {
			if _, ok := pairings[v]; !ok && c.paired != 0 {
				differ = append(differ, v)
			}
		}
		if len(differ) > 0 {
			// Some active pairing is of a household that needs no helper:
			// read those of the villages concerned (CROSS JOIN: SQLite walks
			// the active pairings, not the villages' households).
			var dargs []any
			darg := func(v any) string { dargs = append(dargs, v); return "$" + itoa(len(dargs)) }
			if err := g.add(ctx, tx, visitGroupsSelect+`pairings x CROSS JOIN households h WHERE h.id = x.household_id
				AND x.ended_on IS NULL AND h.deleted_at IS NULL AND NOT (`+needsHelper+`) AND `+
				areaCond("h.village_code", differ, darg), dargs, false); err != nil {
				return err
			}
		}
		for v, c := range g.villages {
			out[v] = visitCounts{overdue: c.overdue, unpaired: c.needy - c.paired}
		}
		return nil
	})
	return out, err
}

// activePairings counts the active pairings of each village (the
// pairing's) under prefixes.
func (tx *Tx) activePairings(ctx context.Context, prefixes []string) (map[string]int, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT x.village_code, COUNT(*) FROM pairings x WHERE x.ended_on IS NULL AND `+
		areaCond("x.village_code", prefixes, arg)+` GROUP BY x.village_code`, args...)
	if err != nil {
		return nil, fmt.Errorf("todo visits: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		out[v] = n
	}
	return out, rows.Err()
}

// visitGrouper sums the overdue households of visitGroupsSelect rows per
// village.
type visitGrouper struct {
	settings []aid.SettingRow
	today    fupin.Date
	resolved map[string]aid.Settings // per village
	villages map[string]*visitGroup
}

// visitGroup is one village's sums.
type visitGroup struct {
	needy, paired, overdue int
}

func (g *visitGrouper) group(village string) *visitGroup {
	c, ok := g.villages[village]
	if !ok {
		c = &visitGroup{}
		g.villages[village] = c
	}
	return c
}

// add reads the groups of q (a visitGroupsSelect) and sums their overdue
// households and, when needy (households that need a helper), how many
// they are and how many of them are paired.
func (g *visitGrouper) add(ctx context.Context, tx *Tx, q string, args []any, needy bool) error {
	rows, err := tx.QueryContext(ctx, q+`) s GROUP BY village_code, cat, since`, args...)
	if err != nil {
		return fmt.Errorf("todo visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o aid.OverdueVisit
		var cat string
		var n, p int
		if err := rows.Scan(&o.VillageCode, &cat, &o.LastVisitOn, &n, &p); err != nil {
			return err
		}
		s, ok := g.resolved[o.VillageCode]
		if !ok {
			s = aid.ResolveSettings(g.settings, o.VillageCode)
			g.resolved[o.VillageCode] = s
		}
		o.IntervalDays = map[string]int{"m": s.VisitDaysMonitored, "p": s.VisitDaysExPoor, "o": s.VisitDaysOther}[cat]
		c := g.group(o.VillageCode)
		if aid.CheckOverdue(&o, fupin.Date{}, g.today) {
			c.overdue += n
		}
		if needy {
			c.needy, c.paired = c.needy+n, c.paired+p
		}
	}
	return rows.Err()
}
