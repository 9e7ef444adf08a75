package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// categoryKey is the settings-table key of the object category lists.
const categoryKey = fupin.SettingPrefixMonitor + "categories"

// categoryRows loads the stored category lists (policy_params, key
// monitor.categories, one row per area and year).
func (tx *Tx) categoryRows(ctx context.Context) ([]monitor.CategoryRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT area, year, value FROM policy_params WHERE key = $1`, categoryKey)
	if err != nil {
		return nil, fmt.Errorf("monitor categories: %w", err)
	}
	defer rows.Close()
	out := []monitor.CategoryRow{}
	for rows.Next() {
		var r monitor.CategoryRow
		var value string
		if err := rows.Scan(&r.Area, &r.Year, &value); err != nil {
			return nil, err
		}
		r.Codes = monitor.SplitCodes(value)
		out = append(out, r)
	}
	return out, rows.Err()
}

// MonitorCategoriesFor returns every known category, the stored rows the
// actor may see (their areas, the areas above them, the national row) and
// the categories in force for area in year (0: this year, China time).
// Errors: invalid year.
func (db *DB) MonitorCategoriesFor(ctx context.Context, actor fupin.Actor, area string, year int) (*monitor.CategoriesView, error) {
	if year == 0 {
		year = db.Now().In(chinaTime).Year()
	}
	if year < 2021 || year > 2100 {
		return nil, field(fupin.EInvalid, "year", "年度应在 2021–2100 之间")
	}
	out := &monitor.CategoriesView{Area: area, Year: year, Known: fupin.MonitorTypes.Items, Rows: []monitor.CategoryRow{}}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out.Rows = out.Rows[:0]
		rows, err := tx.categoryRows(ctx)
		for _, r := range rows {
			if aid.Sees(actor, r.Area) {
				out.Rows = append(out.Rows, r)
			}
		}
		sort.Slice(out.Rows, func(i, j int) bool {
			return out.Rows[i].Area < out.Rows[j].Area || out.Rows[i].Area == out.Rows[j].Area && out.Rows[i].Year < out.Rows[j].Year
		})
		out.Effective = monitor.CategoriesFor(rows, area, year)
		return err
	})
	return out, err
}

// SetMonitorCategories stores (or, with no codes, deletes) the category
// list of an area from a year on, audited. Cases keep the category they
// were opened with. Errors: invalid (monitor.CheckCategoryRow), forbidden
// (an area outside the actor's).
func (db *DB) SetMonitorCategories(ctx context.Context, actor fupin.Actor, r monitor.CategoryRow) error {
	if err := monitor.CheckCategoryRow(r); err != nil {
		return err
	}
	if !actor.Covers(r.Area) {
		return aid.ForbidArea(r.Area)
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		var err error
		if len(r.Codes) == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM policy_params WHERE area = $1 AND year = $2 AND key = $3`, r.Area, r.Year, categoryKey)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO policy_params (area, year, key, value, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (area, year, key) DO UPDATE SET value = excluded.value,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`, r.Area, r.Year, categoryKey,
				monitor.JoinCodes(r.Codes), actor.Name, tx.now)
		}
		if err != nil {
			return fmt.Errorf("monitor categories: %w", err)
		}
		return tx.auditValue(ctx, "monitor.categories", "monitor_categories", r.Area+"/"+strconv.Itoa(r.Year), nil,
			map[string]string{"codes": monitor.JoinCodes(r.Codes)})
	})
}

// checkCategory adds a monitor_type error to errs when h's monitor type is
// not in force for its village in the year it was identified
// (monitor.CheckHouseholdCategory). before is the stored record (nil for a
// new household): a type and date it already holds are kept as they are,
// like a case keeps the category it was opened with.
func (tx *Tx) checkCategory(ctx context.Context, errs fupin.FieldErrors, h, before *fupin.Household) error {
	if h.MonitorType == "" || before != nil && before.MonitorType == h.MonitorType &&
		before.MonitorIdentifiedOn.Equal(h.MonitorIdentifiedOn) {
		return nil
	}
	rows, err := tx.categoryRows(ctx)
	if err != nil {
		return err
	}
	monitor.CheckHouseholdCategory(errs, rows, h, tx.today())
	return nil
}

// CategoryCheck returns the check an import applies to each household it
// reads (monitor.CheckHouseholdCategory against the category lists stored
// now, read once): a problem is reported on the file's 监测对象类型 cell.
// A household whose type the check refuses is still valid when the live
// household of the actor's areas it would update (by 户编号, else by a
// current member's ID number) already holds that type with the same
// 监测识别时间: re-importing a file keeps what is stored. That lookup runs
// only for the rare refused household.
func (db *DB) CategoryCheck(ctx context.Context, actor fupin.Actor) (func(h *fupin.Household, errs fupin.FieldErrors), error) {
	var rows []monitor.CategoryRow
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		rows, err = tx.categoryRows(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	today := fupin.DateOf(db.Now().In(chinaTime))
	return func(h *fupin.Household, errs fupin.FieldErrors) {
		mine := fupin.FieldErrors{}
		monitor.CheckHouseholdCategory(mine, rows, h, today)
		if len(mine) == 0 || db.holdsCategory(ctx, actor, h) {
			return
		}
		for k, v := range mine {
			errs.Add(k, v)
		}
	}, nil
}

// holdsCategory reports whether the live household h matches (by 户编号,
// else by a current member) already has h's monitor type and date.
func (db *DB) holdsCategory(ctx context.Context, actor fupin.Actor, h *fupin.Household) bool {
	where, args := householdWhere(actor, fupin.HouseholdFilter{})
	n := len(args)
	var typ string
	var on fupin.Date
	var err error
	if h.HouseholdNo != "" {
		err = db.read.QueryRowContext(ctx, `SELECT h.monitor_type, h.monitor_identified_on FROM households h WHERE `+where+
			` AND h.household_no = $`+strconv.Itoa(n+1), append(args, h.HouseholdNo)...).Scan(&typ, &on)
	} else {
		ids := make([]any, 0, len(h.Members))
		for _, m := range h.Members {
			if m.Active() && m.IDNumber != "" && len(ids) < 50 {
				ids = append(ids, m.IDNumber)
			}
		}
		if len(ids) == 0 {
			return false
		}
		err = db.read.QueryRowContext(ctx, `SELECT h.monitor_type, h.monitor_identified_on FROM households h WHERE `+where+
			` AND h.id IN (SELECT m.household_id FROM members m WHERE m.is_current AND m.id_number IN (`+
			placeholders(n+1, len(ids))+`)) LIMIT 1`, append(args, ids...)...).Scan(&typ, &on)
	}
	return err == nil && typ == h.MonitorType && on.Equal(h.MonitorIdentifiedOn)
}
