package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// OverdueVisitsPage is the page of ListOverdueVisits from offset, at most
// limit households (limit ≥ 1), with the whole list's length: the same
// households in the same order (never visited nor paired first, then by due
// date, village and household), but the database computes each household's
// due date (the last visit or the pairing's start plus the interval its
// area's aid settings give its kind), sorts, counts and pages, and only the
// page's households are read whole.
func (db *DB) OverdueVisitsPage(ctx context.Context, actor fupin.Actor, area string, offset, limit int) ([]aid.OverdueVisit, int, error) {
	out := []aid.OverdueVisit{}
	total := 0
	err := db.view(ctx, actor, func(tx *Tx) error {
		out, total = out[:0], 0
		settings, err := tx.aidSettingRows(ctx)
		if err != nil {
			return err
		}
		today := tx.today()
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		q := overduePageSQL(tx.dialect, settings, actor.Narrow(area), arg, today, limit, offset)
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("overdue visits: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var o aid.OverdueVisit
			var eliminated bool
			var since fupin.Date
			if err := rows.Scan(&o.HouseholdID, &o.HouseholdNo, &o.HeadName, &o.HouseholdType, &o.MonitorType, &eliminated,
				&o.VillageCode, &o.LastVisitOn, &o.CadreID, &o.CadreName, &since, &total); err != nil {
				return err
			}
			o.IntervalDays = aid.ResolveSettings(settings, o.VillageCode).Interval(o.HouseholdType, o.MonitorType, eliminated)
			aid.CheckOverdue(&o, since, today)
			o.VillageName = aid.AreaName(o.VillageCode)
			out = append(out, o)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) == 0 && offset > 0 { // past the end: count alone
			rows.Close()
			args = nil
			return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+overdueSQL(tx.dialect, settings, actor.Narrow(area), arg)+
				`) d WHERE COALESCE(due < `+arg(today)+`, TRUE)`, args...).Scan(&total)
		}
		return nil
	})
	return out, total, err
}

// overduePageSQL selects a page of overdue households (overdueSQL), with
// their total, then reads their records.
func overduePageSQL(d Dialect, settings []aid.SettingRow, prefixes []string, arg func(any) string, today fupin.Date, limit, offset int) string {
	inner := overdueSQL(d, settings, prefixes, arg)
	return `SELECT h.id, COALESCE(h.household_no, ''), h.head_name, h.household_type, h.monitor_type,
		h.risk_eliminated_on IS NOT NULL, h.village_code, p.last_visit, COALESCE(x.cadre_id, 0), COALESCE(c.name, ''),
		x.started_on, p.n
	FROM (SELECT id, village_code, last_visit, due, COUNT(*) OVER () AS n FROM (` + inner + `) d
		WHERE COALESCE(due < ` + arg(today) + `, TRUE) ORDER BY (due IS NOT NULL), due, village_code, id
		LIMIT ` + arg(limit) + ` OFFSET ` + arg(offset) + `) p
	JOIN households h ON h.id = p.id LEFT JOIN pairings x ON x.household_id = h.id AND x.ended_on IS NULL
	LEFT JOIN cadres c ON c.id = x.cadre_id
	ORDER BY (p.due IS NOT NULL), p.due, h.village_code, h.id`
}

// overdueSQL selects the id, village, last visit and due date (NULL when
// neither visited nor paired) of every household under prefixes that needs
// a helper or has one: the rows ListOverdueVisits checks.
func overdueSQL(d Dialect, settings []aid.SettingRow, prefixes []string, arg func(any) string) string {
	interval := `CASE WHEN monitor_type <> '' AND NOT eliminated THEN ` + intervalSQL(settings, "visit_days_monitored", arg) +
		` WHEN household_type = 'ex_poor' THEN ` + intervalSQL(settings, "visit_days_ex_poor", arg) +
		` ELSE ` + intervalSQL(settings, "visit_days_other", arg) + ` END`
	due := `date(COALESCE(last_visit, started_on), '+' || (` + interval + `) || ' days')`
	if d == Postgres {
		due = `COALESCE(last_visit, started_on) + (` + interval + `)`
	}
	// The households that need a helper come from their partial index
	// (migration 0020), those that do not but have one from the active
	// pairings (CROSS JOIN: SQLite walks the pairings), instead of every
	// household of the area.
	const cols = `SELECT h.id, h.village_code, h.household_type, h.monitor_type, h.risk_eliminated_on IS NOT NULL AS eliminated,
			(SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id) AS last_visit, x.started_on`
	return `SELECT id, village_code, last_visit, ` + due + ` AS due FROM (
		` + cols + ` FROM households h LEFT JOIN pairings x ON x.household_id = h.id AND x.ended_on IS NULL
		WHERE ` + needsHelper + ` AND ` + areaCond("h.village_code", prefixes, arg) + `
		UNION ALL
		` + cols + ` FROM pairings x CROSS JOIN households h WHERE h.id = x.household_id AND x.ended_on IS NULL
		AND h.deleted_at IS NULL AND NOT (` + needsHelper + `) AND ` + areaCond("h.village_code", prefixes, arg) + `) s`
}

// intervalSQL is aid.ResolveSettings for one key in SQL over the column
// village_code: the value of the longest area prefix that has a row, else
// the default.
func intervalSQL(settings []aid.SettingRow, key string, arg func(any) string) string {
	return settingSQL(settings, key, "village_code", arg, strconv.Itoa)
}

// settingSQL is aid.ResolveSettings for one key in SQL over the village
// column col, each value v written as then(v).
func settingSQL(settings []aid.SettingRow, key, col string, arg func(any) string, then func(int) string) string {
	def := 0
	for _, sd := range aid.SettingDefs {
		if sd.Key == key {
			def = sd.Default
		}
	}
	var rows []aid.SettingRow
	for _, r := range settings {
		if r.Key == key {
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, func(a, b aid.SettingRow) int { return len(b.Area) - len(a.Area) })
	var b strings.Builder
	b.WriteString("CASE")
	for _, r := range rows {
		if r.Area == "" {
			def = r.Value
			break
		}
		fmt.Fprintf(&b, " WHEN substr(%s, 1, %d) = %s THEN %s", col, len(r.Area), arg(r.Area), then(r.Value))
	}
	if b.Len() == len("CASE") {
		return then(def)
	}
	return b.String() + " ELSE " + then(def) + " END"
}
