package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// MonitorTodo is the monitoring part of the 待办 panel for an area.
type MonitorTodo struct {
	AlertsOpen      int    `json:"alerts_open" description:"待核实的部门预警"`
	AlertsOverdue   int    `json:"alerts_overdue" description:"已超过核实期限的预警"`
	Applications    int    `json:"applications_open" description:"待受理的自主申报"`
	StepsOpen       int    `json:"steps_open" description:"办理中的环节（识别认定和风险消除）"`
	StepsOverdue    int    `json:"steps_overdue" description:"已超期的环节"`
	ObjectionsOpen  int    `json:"objections_open" description:"未处理的公示异议"`
	MonitoredSix    int    `json:"monitored_six_months" description:"已纳入监测满规定时长（默认 6 个月，按区域设置）、可核查风险消除条件的案件"`
	Uncovered       int    `json:"uncovered" description:"应纳未纳户数"`
	MeasuresOverdue int    `json:"measures_overdue" description:"已到期未结束的帮扶措施（一户一策）"`
	MeasuresDue     int    `json:"measures_due" description:"30 天内到期、未结束的帮扶措施（一户一策）"`
	Note            string `json:"note" description:"期限计算提示"`
}

// MonitorTodo counts what waits in the actor's areas (area narrows it).
func (db *DB) MonitorTodo(ctx context.Context, actor fupin.Actor, area string) (MonitorTodo, error) {
	return db.monitorTodo(ctx, actor, area, true)
}

// monitorTodo is MonitorTodo, without 应纳未纳 unless uncovered (the 待办
// panel counts it per village).
func (db *DB) monitorTodo(ctx context.Context, actor fupin.Actor, area string, uncovered bool) (MonitorTodo, error) {
	var out MonitorTodo
	if err := checkPage(area, new(int), new(int)); err != nil {
		return out, err
	}
	cases, err := db.MonitorCases(ctx, actor, CaseFilter{Area: area, Open: true, Limit: 1})
	if err != nil {
		return out, err
	}
	out.StepsOverdue, out.Note = cases.Overdue, cases.Note
	if uncovered {
		unc, err := db.MonitorUncovered(ctx, actor, area, 0, 1)
		if err != nil {
			return out, err
		}
		out.Uncovered = unc.Total
	}
	err = db.view(ctx, actor, func(tx *Tx) error {
		today := tx.today()
		count := func(dst *int, q string, extra ...any) error {
			args := append([]any{}, extra...)
			arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
			cond := areaCond("x.village_code", actor.Narrow(area), arg)
			if err := tx.QueryRowContext(ctx, fmt.Sprintf(q, cond), args...).Scan(dst); err != nil {
				return fmt.Errorf("monitor todo: %w", err)
			}
			return nil
		}
		if err := count(&out.AlertsOpen, `SELECT COUNT(*) FROM monitor_alerts x WHERE x.outcome = '' AND %s`); err != nil {
			return err
		}
		if err := count(&out.Applications, `SELECT COUNT(*) FROM monitor_applications x WHERE x.outcome = '' AND %s`); err != nil {
			return err
		}
		if err := count(&out.AlertsOverdue, `SELECT COUNT(*) FROM monitor_alerts x WHERE x.outcome = '' AND x.due_on < $1 AND %s`, today); err != nil {
			return err
		}
		if err := count(&out.StepsOpen, `SELECT COUNT(*) FROM monitor_cases x WHERE x.stage NOT IN ('monitored', 'rejected', 'eliminated') AND %s`); err != nil {
			return err
		}
		if err := count(&out.ObjectionsOpen, `SELECT COUNT(*) FROM monitor_objections o JOIN monitor_cases x ON x.id = o.case_id
			WHERE o.resolved_at IS NULL AND o.stage = x.stage AND %s`); err != nil {
			return err
		}
		// 一户一策 measures past or near their end date: the same condition
		// as the DueMeasures list, so the counts equal its totals.
		for _, m := range []struct {
			dst *int
			due string
		}{{&out.MeasuresOverdue, monitor.MeasureOverdue}, {&out.MeasuresDue, monitor.MeasureSoon}} {
			var args []any
			arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
			where := dueMeasureWhere(actor, MeasureFilter{Area: area, Due: m.due}, today, arg)
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_measures m JOIN monitor_cases x ON x.id = m.case_id
				WHERE `+where, args...).Scan(m.dst); err != nil {
				return fmt.Errorf("monitor todo measures: %w", err)
			}
		}
		// Monitored long enough for 风险消除: the months are the village's limit.
		dl, err := tx.deadlines(ctx)
		if err != nil {
			return err
		}
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		long := dl.byArea("x.village_code", arg, func(l monitor.Limits) string {
			return "(x.identified_on <= '" + monitor.AddMonths(today, -l.MinMonths).String() + "')"
		})
		cond := areaCond("x.village_code", actor.Narrow(area), arg)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_cases x WHERE x.stage = 'monitored' AND `+long+` AND `+cond,
			args...).Scan(&out.MonitoredSix); err != nil {
			return fmt.Errorf("monitor todo: %w", err)
		}
		return nil
	})
	return out, err
}
