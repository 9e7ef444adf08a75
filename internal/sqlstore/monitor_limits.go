package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// deadlines are what a transaction computes due dates with: the working-day
// calendar and the stored limit rows, resolved once per area.
type deadlines struct {
	cal  *monitor.Calendar
	rows []monitor.LimitRow
	memo map[string]monitor.Limits
}

// limits are the limits in force for an area code (monitor.ResolveLimits).
func (d *deadlines) limits(code string) monitor.Limits {
	l, ok := d.memo[code]
	if !ok {
		l = monitor.ResolveLimits(d.rows, code)
		d.memo[code] = l
	}
	return l
}

func (tx *Tx) deadlines(ctx context.Context) (*deadlines, error) {
	cal, err := tx.calendar(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.limitRows(ctx)
	return &deadlines{cal: cal, rows: rows, memo: map[string]monitor.Limits{}}, err
}

// limitRows loads the monitoring limits' rows from the shared settings table
// (policy_params, keys prefixed fupin.SettingPrefixMonitor, year 0; the
// category lists are categoryRows'): a few per county at most.
func (tx *Tx) limitRows(ctx context.Context) ([]monitor.LimitRow, error) {
	rows, err := tx.numberSettings(ctx, fupin.SettingPrefixMonitor, "monitor limits", categoryKey)
	out := make([]monitor.LimitRow, len(rows))
	for i, r := range rows {
		out[i] = monitor.LimitRow(r)
	}
	return out, err
}

// MonitorLimitsFor returns the limit definitions, the stored rows the actor
// may see (their areas, the areas above them and the national row) and the
// limits in force for area.
func (db *DB) MonitorLimitsFor(ctx context.Context, actor fupin.Actor, area string) (*monitor.LimitsView, error) {
	out := &monitor.LimitsView{Area: area, Definitions: monitor.LimitDefs, Rows: []monitor.LimitRow{}}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out.Rows = out.Rows[:0]
		rows, err := tx.limitRows(ctx)
		for _, r := range rows {
			if aid.Sees(actor, r.Area) {
				out.Rows = append(out.Rows, r)
			}
		}
		sort.Slice(out.Rows, func(i, j int) bool {
			return out.Rows[i].Area < out.Rows[j].Area || out.Rows[i].Area == out.Rows[j].Area && out.Rows[i].Key < out.Rows[j].Key
		})
		out.Effective = monitor.ResolveLimits(rows, area)
		return err
	})
	return out, err
}

// SetMonitorLimit stores (or, with value 0, deletes) one limit row for an
// area prefix, audited. Cases already in a step get the new due date when
// next read; alerts keep the due date set when their list was loaded.
// Errors: invalid (unknown key, value out of range, bad area), forbidden
// (an area outside the actor's).
func (db *DB) SetMonitorLimit(ctx context.Context, actor fupin.Actor, r monitor.LimitRow) error {
	if err := monitor.CheckLimitRow(r); err != nil {
		return err
	}
	if !actor.Covers(r.Area) {
		return aid.ForbidArea(r.Area)
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		var err error
		key := fupin.SettingPrefixMonitor + r.Key
		if r.Value == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM policy_params WHERE area = $1 AND year = 0 AND key = $2`, r.Area, key)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO policy_params (area, year, key, value, updated_by, updated_at)
				VALUES ($1, 0, $2, $3, $4, $5) ON CONFLICT (area, year, key) DO UPDATE SET value = excluded.value,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`, r.Area, key, strconv.Itoa(r.Value), actor.Name, tx.now)
		}
		if err != nil {
			return fmt.Errorf("monitor limit: %w", err)
		}
		return tx.auditValue(ctx, "monitor.limit", "monitor_limit", r.Area+"/"+r.Key, nil, map[string]string{"value": strconv.Itoa(r.Value)})
	})
}

// setAlertDue gives a department file's alerts the verification deadline of
// their own area where an area inside the loader's sets alert_days: rows
// applied shortest prefix first, so the longest prefix is written last.
func (tx *Tx) setAlertDue(ctx context.Context, d *deadlines, fileID int64, loaderArea string, received fupin.Date) error {
	var own []monitor.LimitRow
	for _, r := range d.rows {
		if r.Key == "alert_days" && len(r.Area) > len(loaderArea) && strings.HasPrefix(r.Area, loaderArea) {
			own = append(own, r)
		}
	}
	sort.Slice(own, func(i, j int) bool { return len(own[i].Area) < len(own[j].Area) })
	for _, r := range own {
		due, _ := monitor.AlertDue(d.cal, d.limits(r.Area), received)
		if _, err := tx.ExecContext(ctx, `UPDATE monitor_alerts SET due_on = $1 WHERE file_id = $2 AND village_code LIKE $3`,
			due, fileID, r.Area+"%"); err != nil {
			return fmt.Errorf("alert deadlines: %w", err)
		}
	}
	return nil
}
