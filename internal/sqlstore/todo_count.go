package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// visitCountsSelect selects, for the households of the FROM and WHERE
// that follow (on households h and their active pairing x), per village:
// how many there are, how many of them are paired and how many are overdue
// for a visit (aid.CheckOverdue: never visited nor paired, or the last
// visit, else the pairing's start, before today less the interval the
// village's aid settings give the household's kind: 监测户 whose risk is
// not eliminated, 脱贫户, others). The cut-off dates are computed here, so
// the database compares dates and groups in village order (the order of
// the needy households' index) without sorting.
func visitCountsSelect(d Dialect, settings []aid.SettingRow, today fupin.Date, arg func(any) string) string {
	cutoff := func(key string) string {
		return settingSQL(settings, key, "h.village_code", arg, func(days int) string {
			c := arg(fupin.DateOf(today.Time().AddDate(0, 0, -days)))
			if d == Postgres {
				return "CAST(" + c + " AS DATE)"
			}
			return c
		})
	}
	return `SELECT village_code, COUNT(*), SUM(paired), SUM(CASE WHEN since >= cutoff THEN 0 ELSE 1 END) FROM (
	SELECT h.village_code,
		CASE WHEN x.started_on IS NULL THEN 0 ELSE 1 END AS paired,
		COALESCE((SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id), x.started_on) AS since,
		CASE WHEN h.monitor_type <> '' AND h.risk_eliminated_on IS NULL THEN ` + cutoff("visit_days_monitored") +
		` WHEN h.household_type = 'ex_poor' THEN ` + cutoff("visit_days_ex_poor") +
		` ELSE ` + cutoff("visit_days_other") + ` END AS cutoff
	FROM `
}

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
		g := visitGrouper{villages: map[string]*visitGroup{}}
		if err := g.add(ctx, tx, visitCountsSelect(tx.dialect, settings, tx.today(), arg)+`households h
			LEFT JOIN pairings x ON x.household_id = h.id AND x.ended_on IS NULL WHERE `+needsHelper+` AND `+
			areaRanges("h.village_code", prefixes, arg), args, true); err != nil {
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
			q := visitCountsSelect(tx.dialect, settings, tx.today(), darg) + `pairings x CROSS JOIN households h
				WHERE h.id = x.household_id AND x.ended_on IS NULL AND h.deleted_at IS NULL AND NOT (` + needsHelper + `) AND ` +
				areaCond("h.village_code", differ, darg)
			if err := g.add(ctx, tx, q, dargs, false); err != nil {
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

// visitGrouper sums the counts of visitCountsSelect rows per village.
type visitGrouper struct {
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

// add reads the rows of q (a visitCountsSelect) and sums their overdue
// households and, when needy (households that need a helper), how many
// they are and how many of them are paired.
func (g *visitGrouper) add(ctx context.Context, tx *Tx, q string, args []any, needy bool) error {
	rows, err := tx.QueryContext(ctx, q+`) s GROUP BY village_code`, args...)
	if err != nil {
		return fmt.Errorf("todo visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var village string
		var n, paired, overdue int
		if err := rows.Scan(&village, &n, &paired, &overdue); err != nil {
			return err
		}
		c := g.group(village)
		c.overdue += overdue
		if needy {
			c.needy, c.paired = c.needy+n, c.paired+paired
		}
	}
	return rows.Err()
}
