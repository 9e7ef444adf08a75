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
