package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// calendar is the built-in working-day calendar with the years an
// administrator loaded or corrected on top (a loaded year replaces the
// built-in one).
func (tx *Tx) calendar(ctx context.Context) (*monitor.Calendar, error) {
	years := monitor.BuiltinYears()
	rows, err := tx.QueryContext(ctx, `SELECT body FROM monitor_calendar ORDER BY year`)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		var y monitor.Year
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &y); err != nil {
			return nil, fmt.Errorf("calendar year: %w", err)
		}
		years = append(years, y)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return monitor.NewCalendar(years...)
}

// CalendarYears lists the years of the working-day calendar, built-in and
// loaded.
func (db *DB) CalendarYears(ctx context.Context) ([]monitor.Year, error) {
	var out []monitor.Year
	err := db.view(ctx, fupin.SystemActor("calendar"), func(tx *Tx) error {
		cal, err := tx.calendar(ctx)
		if err == nil {
			out = cal.Years()
		}
		return err
	})
	return out, err
}

// SaveCalendarYear loads or corrects one year of the calendar (audited).
// Errors: invalid with the field named.
func (db *DB) SaveCalendarYear(ctx context.Context, actor fupin.Actor, y monitor.Year) error {
	if err := y.Validate(); err != nil {
		return err
	}
	body, err := json.Marshal(y)
	if err != nil {
		return err
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_calendar (year, body, updated_by, updated_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (year) DO UPDATE SET body = excluded.body,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			y.Year, string(body), tx.actor.Name, tx.now); err != nil {
			return fmt.Errorf("save calendar: %w", err)
		}
		return tx.audit(ctx, "monitor.calendar.save", "calendar", int64(y.Year), 0, nil, y)
	})
}
