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

// visitCounts are what the 待办 panel counts of the households that need a
// helper or have one.
type visitCounts struct {
	overdue  int // households ListOverdueVisits lists
	unpaired int // households that need a helper and have none
}

// countVisits counts overdue visits and unpaired households without
// reading the households one by one: the households that need a helper
// come from their partial index (migration 0020); paired households that
// do not (rare) are read from the active pairings only when the area's
// active pairings (by the pairing's village) outnumber its paired needy
// households. A household that needs no helper, moved into the area after
// it was paired elsewhere, is therefore counted only when some other
// pairing makes the numbers differ.
func (db *DB) countVisits(ctx context.Context, actor fupin.Actor, area string) (visitCounts, error) {
	var c visitCounts
	err := db.view(ctx, actor, func(tx *Tx) error {
		settings, err := tx.aidSettingRows(ctx)
		if err != nil {
			return err
		}
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		inArea := areaCond("h.village_code", actor.Narrow(area), arg)
		g := visitGrouper{settings: settings, today: tx.today(), resolved: map[string]aid.Settings{}}
		needy, paired, err := g.add(ctx, tx, visitGroupsSelect+`households h LEFT JOIN pairings x ON x.household_id = h.id
			AND x.ended_on IS NULL WHERE `+needsHelper+` AND `+inArea, args)
		if err != nil {
			return err
		}
		c.unpaired = needy - paired
		var pairings int
		var pargs []any
		parg := func(v any) string { pargs = append(pargs, v); return "$" + itoa(len(pargs)) }
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pairings x WHERE x.ended_on IS NULL AND `+
			areaCond("x.village_code", actor.Narrow(area), parg), pargs...).Scan(&pairings); err != nil {
			return fmt.Errorf("todo visits: %w", err)
		}
		if pairings != paired {
			// Some active pairing is of a household that needs no helper:
			// read them all (CROSS JOIN: SQLite walks the active pairings,
			// not the area's households).
			if _, _, err := g.add(ctx, tx, visitGroupsSelect+`pairings x CROSS JOIN households h WHERE h.id = x.household_id
				AND x.ended_on IS NULL AND h.deleted_at IS NULL AND NOT (`+needsHelper+`) AND `+inArea, args); err != nil {
				return err
			}
		}
		c.overdue = g.overdue
		return nil
	})
	return c, err
}

// visitGrouper sums the overdue households of visitGroupsSelect rows.
type visitGrouper struct {
	settings []aid.SettingRow
	today    fupin.Date
	resolved map[string]aid.Settings // per village
	overdue  int
}

// add reads the groups of q (a visitGroupsSelect) and returns how many
// households they hold and how many of those are paired.
func (g *visitGrouper) add(ctx context.Context, tx *Tx, q string, args []any) (households, paired int, err error) {
	rows, err := tx.QueryContext(ctx, q+`) s GROUP BY village_code, cat, since`, args...)
	if err != nil {
		return 0, 0, fmt.Errorf("todo visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o aid.OverdueVisit
		var cat string
		var n, p int
		if err := rows.Scan(&o.VillageCode, &cat, &o.LastVisitOn, &n, &p); err != nil {
			return 0, 0, err
		}
		s, ok := g.resolved[o.VillageCode]
		if !ok {
			s = aid.ResolveSettings(g.settings, o.VillageCode)
			g.resolved[o.VillageCode] = s
		}
		o.IntervalDays = map[string]int{"m": s.VisitDaysMonitored, "p": s.VisitDaysExPoor, "o": s.VisitDaysOther}[cat]
		if aid.CheckOverdue(&o, fupin.Date{}, g.today) {
			g.overdue += n
		}
		households, paired = households+n, paired+p
	}
	return households, paired, rows.Err()
}
