package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// Todo is the 待办 panel of 总览: what waits in the caller's area, each a
// count the console links to the list that shows exactly those records.
type Todo struct {
	Area               string `json:"area"`
	Uncovered          int    `json:"uncovered" description:"应纳未纳：核查不达标或收入低于监测线、未纳入监测且无在办案件的农户"`
	Unpaired           int    `json:"unpaired" description:"须有帮扶责任人而没有的脱贫户、监测户"`
	OverdueVisits      int    `json:"overdue_visits" description:"超期未走访的农户"`
	TermsEnding        int    `json:"terms_ending" description:"任期即将期满的岗位"`
	TermsOverdue       int    `json:"terms_overdue" description:"任期已超期的岗位"`
	LeavesPending      int    `json:"leaves_pending" description:"等待本账号所在乡镇审批的请假（仅可办理的角色）"`
	ImportsWithErrors  int    `json:"imports_with_errors" description:"近 30 天内本账号可见、有错误未写入（或跳过错误户）的导入任务"`
	RotationsToConfirm int    `json:"rotations_to_confirm" description:"等待本账号确认（离任、接任或乡镇办公室）的轮换"`
	AlertsOpen         int    `json:"alerts_open" description:"待核实的部门预警"`
	AlertsOverdue      int    `json:"alerts_overdue" description:"已超过核实期限的预警"`
	StepsOverdue       int    `json:"steps_overdue" description:"已超期的监测环节"`
	ObjectionsOpen     int    `json:"objections_open" description:"未处理的公示异议"`
	ApplicationsOpen   int    `json:"applications_open" description:"待受理的自主申报"`
	Eligible           int    `json:"eligible" description:"已纳入监测满规定时长（默认 6 个月，按区域设置）、可核查风险消除条件的案件"`
	MeasuresOverdue    int    `json:"measures_overdue" description:"已到期未结束的帮扶措施（一户一策）"`
	MeasuresDue        int    `json:"measures_due" description:"30 天内到期、未结束的帮扶措施（一户一策）"`
	FindingsOverdue    int    `json:"findings_overdue" description:"已超过整改时限、未销号的问题"`
	FindingsDue        int    `json:"findings_due" description:"10 个工作日内到期、未销号的问题"`
	FindingsToApprove  int    `json:"findings_to_approve" description:"等待本账号审核或销号的问题"`
	Note               string `json:"note" description:"期限计算提示"`
}

// TodoCaller is who asks: the role decides which approvals wait for them
// (leave, 销号), the write capability whether confirmations and approvals
// are theirs at all, principal which import jobs are theirs.
type TodoCaller struct {
	Role      string
	CanWrite  bool
	Principal string
}

// importErrorWindow is how far back the panel looks for failed imports.
const importErrorWindow = 30 * 24 * time.Hour

// Todo counts the 待办 items of the actor's areas (area narrows them): the
// area counts come from a memo (todo_cache.go), the approvals, confirmations
// and imports of the caller are counted on each request. Errors: invalid
// area.
func (db *DB) Todo(ctx context.Context, actor fupin.Actor, area string, who TodoCaller) (*Todo, error) {
	if err := checkPage(area, new(int), new(int)); err != nil {
		return nil, err
	}
	t, err := db.cachedTodoArea(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	t.Area = area
	for _, step := range []func(context.Context, fupin.Actor, string, TodoCaller, *Todo) error{
		db.todoLeaves, db.todoRotations, db.todoApprovals, db.todoImports,
	} {
		if err := step(ctx, actor, area, who, &t); err != nil {
			return nil, err
		}
	}
	return &t, nil
}

// todoArea counts what does not depend on who asks, apart from the
// per-village counts and term alerts (todo_village.go), the parts on
// separate read connections at once.
func (db *DB) todoArea(ctx context.Context, actor fupin.Actor, area string) (Todo, error) {
	var t Todo
	var wg sync.WaitGroup
	errs := make([]error, 2)
	parts := []func() error{
		func() error {
			m, err := db.monitorTodo(ctx, actor, area, false)
			t.AlertsOpen, t.AlertsOverdue, t.StepsOverdue = m.AlertsOpen, m.AlertsOverdue, m.StepsOverdue
			t.ObjectionsOpen, t.Eligible, t.Note = m.ObjectionsOpen, m.MonitoredSix, m.Note
			t.ApplicationsOpen = m.Applications
			t.MeasuresOverdue, t.MeasuresDue = m.MeasuresOverdue, m.MeasuresDue
			return err
		},
		func() error {
			page, err := db.Findings(ctx, actor, FindingFilter{Area: area, Status: "open", Limit: 1})
			t.FindingsOverdue, t.FindingsDue = page.Buckets[ledger.BucketOverdue], page.Buckets[ledger.BucketWithin10]
			return err
		},
	}
	for i, part := range parts {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = part() }()
	}
	wg.Wait()
	return t, errors.Join(errs...)
}

// todoLeaves counts the leave requests waiting for the caller's township.
func (db *DB) todoLeaves(ctx context.Context, actor fupin.Actor, area string, who TodoCaller, t *Todo) error {
	if !who.CanWrite {
		return nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "l.status = 'requested' AND " + areaCond("l.area_code", actor.Narrow(area), arg) + " LIMIT 10000"
	return db.view(ctx, actor, func(tx *Tx) error {
		t.LeavesPending = 0
		ls, err := tx.leaves(ctx, where, args...)
		for _, l := range ls {
			if len(l.AreaCode) >= 9 && actor.Covers(l.AreaCode[:9]) {
				t.LeavesPending++
			}
		}
		return err
	})
}

// todoRotations counts the planned rotations waiting for a confirmation the
// caller's account may give.
func (db *DB) todoRotations(ctx context.Context, actor fupin.Actor, area string, who TodoCaller, t *Todo) error {
	if !who.CanWrite {
		return nil
	}
	rs, err := db.ListRotations(ctx, actor, area, "planned")
	for i := range rs {
		if aid.AwaitsConfirmation(&rs[i], actor) {
			t.RotationsToConfirm++
		}
	}
	return err
}

// todoApprovals counts the pending findings whose next step of the 销号
// chain is the caller's.
func (db *DB) todoApprovals(ctx context.Context, actor fupin.Actor, area string, who TodoCaller, t *Todo) error {
	if !who.CanWrite && who.Role != ledger.RoleCounty {
		return nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "f.status = " + arg(ledger.StatusPending) + " AND " + areaCond("f.area_code", actor.Narrow(area), arg)
	return db.view(ctx, actor, func(tx *Tx) error {
		t.FindingsToApprove = 0
		rows, err := tx.QueryContext(ctx, `SELECT f.area_code, f.county_level, f.applied_by, f.reviewed_by
			FROM ledger_findings f WHERE `+where+` LIMIT 100000`, args...)
		if err != nil {
			return fmt.Errorf("todo findings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			f := ledger.Finding{Status: ledger.StatusPending}
			if err := rows.Scan(&f.AreaCode, &f.CountyLevel, &f.AppliedBy, &f.ReviewedBy); err != nil {
				return err
			}
			if actor.Covers(f.AreaCode) && ledger.AwaitsMe(&f, who.Role, actor.Name) {
				t.FindingsToApprove++
			}
		}
		return rows.Err()
	})
}

// todoImports counts the caller's recent import jobs that ended with errors.
func (db *DB) todoImports(ctx context.Context, actor fupin.Actor, _ string, who TodoCaller, t *Todo) error {
	jobs, err := db.ImportJobs(ctx, actor, who.Principal)
	since := db.Now().Add(-importErrorWindow)
	for _, j := range jobs {
		if j.CreatedAt.After(since) && !j.DryRun && (j.State == "rejected" || j.State == "failed" || (j.State == "done" && j.Errors > 0)) {
			t.ImportsWithErrors++
		}
	}
	return err
}
