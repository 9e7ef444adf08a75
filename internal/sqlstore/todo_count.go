package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// overdueGroupsSelect selects, for the households of from/where, each
// village, visit category (m: 监测户 whose risk is not eliminated, p: 脱贫户,
// o: other) and date since which a visit is due (the last visit, else the
// start of the active pairing; NULL when neither) with how many households
// share them: the inputs of aid.CheckOverdue, grouped, so that a township
// of 300,000 households comes back as a few thousand rows.
const overdueGroupsSelect = `SELECT village_code, cat, since, COUNT(*) FROM (
	SELECT h.village_code,
		CASE WHEN h.monitor_type <> '' AND h.risk_eliminated_on IS NULL THEN 'm' WHEN h.household_type = 'ex_poor' THEN 'p' ELSE 'o' END AS cat,
		COALESCE((SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id), x.started_on) AS since
	FROM `

// countOverdueVisits counts the households ListOverdueVisits lists,
// without reading them one by one: the households that need a helper come
// from their partial index (migration 0020), and paired households that
// do not (rare) are read from the active pairings only when the area's
// active pairings (by the pairing's village) outnumber its paired needy
// households. A household that needs no helper, moved into the area after
// it was paired elsewhere, is therefore counted only when some other
// pairing makes the numbers differ.
func (db *DB) countOverdueVisits(ctx context.Context, actor fupin.Actor, area string) (int, error) {
	n := 0
	err := db.view(ctx, actor, func(tx *Tx) error {
		settings, err := tx.aidSettingRows(ctx)
		if err != nil {
			return err
		}
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		inArea := areaCond("h.village_code", actor.Narrow(area), arg)
		same := 0 // the same placeholders again, for the same values
		pairingInArea := areaCond("x.village_code", actor.Narrow(area), func(any) string { same++; return "$" + itoa(same) })
		var pairedNeedy, pairings int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM households h WHERE `+needsHelper+` AND `+inArea+
			` AND EXISTS (SELECT 1 FROM pairings x WHERE x.household_id = h.id AND x.ended_on IS NULL)),
			(SELECT COUNT(*) FROM pairings x WHERE x.ended_on IS NULL AND `+pairingInArea+`)`,
			args...).Scan(&pairedNeedy, &pairings); err != nil {
			return fmt.Errorf("todo overdue visits: %w", err)
		}
		q := overdueGroupsSelect + `households h LEFT JOIN pairings x ON x.household_id = h.id AND x.ended_on IS NULL
			WHERE ` + needsHelper + ` AND ` + inArea
		if pairings != pairedNeedy {
			// Some active pairing is of a household that needs no helper:
			// read them all (CROSS JOIN: SQLite walks the active pairings,
			// not the area's households).
			q += ` UNION ALL SELECT h.village_code,
				CASE WHEN h.monitor_type <> '' AND h.risk_eliminated_on IS NULL THEN 'm' WHEN h.household_type = 'ex_poor' THEN 'p' ELSE 'o' END,
				COALESCE((SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id), x.started_on)
				FROM pairings x CROSS JOIN households h WHERE h.id = x.household_id AND x.ended_on IS NULL AND h.deleted_at IS NULL
				AND NOT (` + needsHelper + `) AND ` + inArea
		}
		rows, err := tx.QueryContext(ctx, q+`) s GROUP BY village_code, cat, since`, args...)
		if err != nil {
			return fmt.Errorf("todo overdue visits: %w", err)
		}
		defer rows.Close()
		resolved := map[string]aid.Settings{}
		today := tx.today()
		for rows.Next() {
			var o aid.OverdueVisit
			var cat string
			var count int
			if err := rows.Scan(&o.VillageCode, &cat, &o.LastVisitOn, &count); err != nil {
				return err
			}
			s, ok := resolved[o.VillageCode]
			if !ok {
				s = aid.ResolveSettings(settings, o.VillageCode)
				resolved[o.VillageCode] = s
			}
			o.IntervalDays = map[string]int{"m": s.VisitDaysMonitored, "p": s.VisitDaysExPoor, "o": s.VisitDaysOther}[cat]
			if aid.CheckOverdue(&o, fupin.Date{}, today) {
				n += count
			}
		}
		return rows.Err()
	})
	return n, err
}
