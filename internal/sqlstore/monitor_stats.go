package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// StageCount is how many cases of a category are at a stage.
type StageCount struct {
	Category      string `json:"category"`
	CategoryLabel string `json:"category_label"`
	Stage         string `json:"stage"`
	StageLabel    string `json:"stage_label"`
	Count         int    `json:"count"`
}

// MonitorStats are the monitoring figures of an area for the overview:
// cases by category and stage, this year's identifications, eliminations
// and rollbacks (from the timeline, China time), the median days from
// opening to identification, the 应纳未纳 count and the share of alerts
// verified by their deadline.
type MonitorStats struct {
	Year                 int          `json:"year"`
	ByStage              []StageCount `json:"by_stage"`
	Identified           int          `json:"identified" description:"本年度县审定纳入监测的案件"`
	Eliminated           int          `json:"eliminated" description:"本年度风险消除的案件"`
	RolledBack           int          `json:"rolled_back" description:"本年度风险消除回退的案件"`
	MedianDaysToIdentify *float64     `json:"median_days_to_identify" description:"本年度认定的案件从立案到县审定的天数中位数（自然日），无则为空"`
	Uncovered            int          `json:"uncovered" description:"应纳未纳户数"`
	AlertsVerified       int          `json:"alerts_verified" description:"本年度收到并已核实的预警"`
	AlertsOnTime         int          `json:"alerts_on_time" description:"其中在核实期限内核实的"`
	OnTimeShare          *float64     `json:"on_time_share" description:"按期核实率（0–1），无已核实预警时为空"`
}

// MonitorStats computes the figures for the actor's areas (area narrows
// them). Errors: invalid (area).
func (db *DB) MonitorStats(ctx context.Context, actor fupin.Actor, area string) (MonitorStats, error) {
	var out MonitorStats
	if err := checkPage(area, new(int), new(int)); err != nil {
		return out, err
	}
	unc, err := db.MonitorUncovered(ctx, actor, area, 0, 1)
	if err != nil {
		return out, err
	}
	out.Uncovered = unc.Total
	err = db.view(ctx, actor, func(tx *Tx) error {
		today := tx.today()
		out.Year = today.Year()
		from := time.Date(out.Year, 1, 1, 0, 0, 0, 0, chinaTime)
		to := from.AddDate(1, 0, 0)
		cond := func(args *[]any) string {
			return areaCond("x.village_code", actor.Narrow(area), func(v any) string { *args = append(*args, v); return "$" + itoa(len(*args)) })
		}
		if err := tx.stageCounts(ctx, &out, cond); err != nil {
			return err
		}
		for _, c := range []struct {
			dst   *int
			where string
		}{
			{&out.Identified, `s.from_stage = 'county' AND s.to_stage = 'monitored'`},
			{&out.Eliminated, `s.to_stage = 'eliminated'`},
			{&out.RolledBack, `s.action = 'rollback'`},
		} {
			args := []any{from.UTC(), to.UTC()}
			q := `SELECT COUNT(DISTINCT s.case_id) FROM monitor_steps s JOIN monitor_cases x ON x.id = s.case_id
				WHERE s.at >= $1 AND s.at < $2 AND ` + c.where + ` AND ` + cond(&args)
			if err := tx.QueryRowContext(ctx, q, args...).Scan(c.dst); err != nil {
				return fmt.Errorf("monitor stats: %w", err)
			}
		}
		if err := tx.identifyDays(ctx, &out, cond); err != nil {
			return err
		}
		return tx.alertsOnTime(ctx, &out, cond)
	})
	return out, err
}

func (tx *Tx) stageCounts(ctx context.Context, out *MonitorStats, cond func(*[]any) string) error {
	var args []any
	rows, err := tx.QueryContext(ctx, `SELECT x.category, x.stage, COUNT(*) FROM monitor_cases x WHERE `+cond(&args)+`
		GROUP BY x.category, x.stage`, args...)
	if err != nil {
		return fmt.Errorf("cases by stage: %w", err)
	}
	defer rows.Close()
	out.ByStage = []StageCount{}
	for rows.Next() {
		var s StageCount
		if err := rows.Scan(&s.Category, &s.Stage, &s.Count); err != nil {
			return err
		}
		s.CategoryLabel, s.StageLabel = fupin.MonitorTypes.LabelOf(s.Category), monitor.Stages.LabelOf(s.Stage)
		out.ByStage = append(out.ByStage, s)
	}
	order := func(stage string) int {
		return slices.IndexFunc(monitor.Stages.Items, func(it fupin.CodeItem) bool { return it.Code == stage })
	}
	slices.SortFunc(out.ByStage, func(a, b StageCount) int {
		if a.Category != b.Category {
			return strings.Compare(a.Category, b.Category)
		}
		return order(a.Stage) - order(b.Stage)
	})
	return rows.Err()
}

// identifyDays is the median of identified_on − opened_on over the cases
// identified this year.
func (tx *Tx) identifyDays(ctx context.Context, out *MonitorStats, cond func(*[]any) string) error {
	args := []any{fupin.NewDate(out.Year, 1, 1), fupin.NewDate(out.Year, 12, 31)}
	rows, err := tx.QueryContext(ctx, `SELECT x.opened_on, x.identified_on FROM monitor_cases x
		WHERE x.identified_on >= $1 AND x.identified_on <= $2 AND `+cond(&args), args...)
	if err != nil {
		return fmt.Errorf("days to identify: %w", err)
	}
	defer rows.Close()
	var days []float64
	for rows.Next() {
		var opened, identified fupin.Date
		if err := rows.Scan(&opened, &identified); err != nil {
			return err
		}
		days = append(days, identified.Time().Sub(opened.Time()).Hours()/24)
	}
	if len(days) > 0 {
		slices.Sort(days)
		m := days[len(days)/2]
		if len(days)%2 == 0 {
			m = (days[len(days)/2-1] + m) / 2
		}
		out.MedianDaysToIdentify = &m
	}
	return rows.Err()
}

// alertsOnTime compares, for alerts received this year and verified, the
// China date of verification with the deadline.
func (tx *Tx) alertsOnTime(ctx context.Context, out *MonitorStats, cond func(*[]any) string) error {
	args := []any{fupin.NewDate(out.Year, 1, 1), fupin.NewDate(out.Year, 12, 31)}
	rows, err := tx.QueryContext(ctx, `SELECT x.due_on, x.verified_at FROM monitor_alerts x
		WHERE x.verified_at IS NOT NULL AND x.received_on >= $1 AND x.received_on <= $2 AND `+cond(&args), args...)
	if err != nil {
		return fmt.Errorf("alerts on time: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var due fupin.Date
		var at time.Time
		if err := rows.Scan(&due, &at); err != nil {
			return err
		}
		out.AlertsVerified++
		if !fupin.DateOf(at.In(chinaTime)).After(due) {
			out.AlertsOnTime++
		}
	}
	if out.AlertsVerified > 0 {
		s := float64(out.AlertsOnTime) / float64(out.AlertsVerified)
		out.OnTimeShare = &s
	}
	return rows.Err()
}
