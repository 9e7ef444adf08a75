package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// loadMonitorDemo writes the monitoring demo through the store's public
// methods, moving the store's clock back so that each step happened on its
// own day and the eliminations come six months after identification.
func loadMonitorDemo(ctx context.Context, db *sqlstore.DB, opts demo.Options, stdout io.Writer) error {
	start := time.Now()
	actor := fupin.SystemActor("演示数据生成")
	cands, err := monitorCandidates(ctx, db, actor, 4)
	if err != nil {
		return err
	}
	plan := demo.GenerateMonitor(opts, cands)
	real := db.Now
	defer func() { db.Now = real }()
	w := &demoWalker{db: db, actor: actor, today: opts.Today}
	db.Now = func() time.Time { return w.day.Time().Add(2 * time.Hour) } // 10:00 in China
	// A household that does not meet the elimination conditions stays
	// monitored; its elimination step goes to a spare candidate (from the
	// end of the list: the department lists take those after the plan's),
	// so that the demo has a case in every step.
	spare, cases := len(cands)-1, 0
	for _, c := range plan.Cases {
		for tries := 0; ; tries++ {
			before := w.notEligible
			if err := w.walk(ctx, c); err != nil {
				return fmt.Errorf("演示监测案件（农户 #%d → %s）：%w", c.HouseholdID, c.Target, err)
			}
			cases++
			if w.notEligible == before || tries == 3 || spare < len(plan.Cases)+3*len(plan.Lists)+12 {
				break
			}
			s := cands[spare]
			spare--
			c.HouseholdID, c.Village, c.Category = s.ID, s.Village, "marginal"
			if s.Type == "ex_poor" {
				c.Category = "unstable"
			}
		}
	}
	db.Now = real
	alerts := 0
	for _, l := range plan.Lists {
		sum := sha256.Sum256([]byte(fmt.Sprint(l)))
		res, err := db.LoadDepartmentList(ctx, actor, l.Department, l.Name, hex.EncodeToString(sum[:]), l.Rows)
		if err != nil {
			return fmt.Errorf("演示部门名单：%w", err)
		}
		alerts += res.NewAlerts
	}
	fmt.Fprintf(stdout, "防返贫监测已写入：%d 个案件（%d 个未达风险消除条件，留在监测中），%d 份部门名单、%d 条预警，用时 %.2f 秒\n",
		cases, w.notEligible, len(plan.Lists), alerts, time.Since(start).Seconds())
	return nil
}

// monitorCandidates lists up to perVillage live households per village of
// the demo township that are not monitoring objects, with their head's ID
// number, villages interleaved.
func monitorCandidates(ctx context.Context, db *sqlstore.DB, a fupin.Actor, perVillage int) ([]demo.MonitorCandidate, error) {
	byVillage := map[string][]int64{}
	for _, v := range demo.Villages() {
		for off := 0; len(byVillage[v.Code]) < perVillage; off += 50 {
			page, err := db.ListHouseholds(ctx, a, fupin.HouseholdFilter{Area: v.Code, Offset: off, Limit: 50})
			if err != nil {
				return nil, err
			}
			for _, h := range page.Items {
				if h.MonitorType == "" && len(byVillage[v.Code]) < perVillage {
					byVillage[v.Code] = append(byVillage[v.Code], h.ID)
				}
			}
			if off+50 >= page.Total {
				break
			}
		}
	}
	var out []demo.MonitorCandidate
	for i := 0; i < perVillage; i++ {
		for _, v := range demo.Villages() {
			if i >= len(byVillage[v.Code]) {
				continue
			}
			h, err := db.Household(ctx, a, byVillage[v.Code][i])
			if err != nil {
				return nil, err
			}
			out = append(out, demo.MonitorCandidate{ID: h.ID, Village: h.VillageCode, Type: h.Type, IDNumber: h.Members[0].IDNumber})
		}
	}
	return out, nil
}

type demoWalker struct {
	db          *sqlstore.DB
	actor       fupin.Actor
	today, day  fupin.Date
	notEligible int
}

// identifyDays is how many days identification takes in the demo: one a
// step, six for the notice.
const identifyDays = 11

// measureDays is how long a demo case's assistance measure runs.
const measureDays = 240

func (w *demoWalker) act(ctx context.Context, c *sqlstore.MonitorCase, days int, a sqlstore.CaseAction) (*sqlstore.MonitorCase, error) {
	w.day = monitor.AddDays(w.day, days)
	a.Version = c.Version
	return w.db.ActOnCase(ctx, w.actor, "admin", c.ID, a)
}

// walk opens a case and takes it to its target stage.
func (w *demoWalker) walk(ctx context.Context, dc demo.DemoCase) error {
	elim := dc.Rollback || stageIndex(dc.Target) > stageIndex(monitor.StageMonitored)
	switch {
	case dc.Overdue: // its first step opened two weeks ago and is still waiting
		w.day = monitor.AddDays(w.today, -14)
	case elim: // identified more than six months ago
		w.day = monitor.AddDays(w.today, -230)
	case stageIndex(dc.Target) < stageIndex(monitor.StageNotice):
		w.day = monitor.AddDays(w.today, -1-stageIndex(dc.Target))
	case dc.Target == monitor.StageNotice: // the notice is still running
		w.day = monitor.AddDays(w.today, -4)
	default:
		w.day = monitor.AddDays(w.today, -identifyDays-2)
	}
	c, err := w.db.OpenCase(ctx, w.actor, sqlstore.NewCase{HouseholdID: dc.HouseholdID, Path: dc.Path, Category: dc.Category,
		Risks: dc.Risks, Facts: sqlstore.MonitorFacts{FailingItems: []string{}, Note: "演示案件"}})
	if err != nil {
		return err
	}
	if dc.Target == monitor.StageRejected {
		_, err = w.act(ctx, c, 1, sqlstore.CaseAction{Action: monitor.ActReject, Reason: "入户核查发现家庭有稳定工资收入，不符合认定条件"})
		return err
	}
	for !(c.Stage == dc.Target && (!dc.Rollback || c.Steps[len(c.Steps)-1].Action == monitor.ActRollback)) {
		if c, err = w.step(ctx, c, dc); err != nil || c == nil {
			return err
		}
	}
	if dc.Objection != "" && c.Stage == monitor.StageNotice { // left open: the notice cannot close yet
		_, err = w.db.AddObjection(ctx, w.actor, c.ID, c.Version, sqlstore.NewObjection{RaisedBy: "村民（匿名）", Content: dc.Objection})
	}
	return err
}

// step takes the case one stage further; nil when it cannot go on.
func (w *demoWalker) step(ctx context.Context, c *sqlstore.MonitorCase, dc demo.DemoCase) (*sqlstore.MonitorCase, error) {
	var err error
	switch c.Stage {
	case monitor.StageReview:
		return w.act(ctx, c, 1, sqlstore.CaseAction{Action: monitor.ActComplete, Participants: "村民代表 15 人、第一书记、驻村工作队、村两委", Result: "同意"})
	case monitor.StageNotice, monitor.StageElimNotice:
		return w.act(ctx, c, 6, sqlstore.CaseAction{Action: monitor.ActComplete})
	case monitor.StageCounty:
		w.day = monitor.AddDays(w.day, 1)
		if c, err = w.db.AddMeasure(ctx, w.actor, c.ID, c.Version, sqlstore.MonitorMeasure{Category: dc.Measure,
			Content: monitor.Measures.LabelOf(dc.Measure) + "（演示）", Responsible: "帮扶责任人", StartsOn: w.day,
			// Eight months: the plans of the cases identified about 230 days
			// ago end within the month, so 待办 shows measures coming due.
			EndsOn: monitor.AddDays(w.day, measureDays)}); err != nil {
			return nil, err
		}
		return w.act(ctx, c, 0, sqlstore.CaseAction{Action: monitor.ActComplete})
	case monitor.StageMonitored:
		// Start the elimination so that its target step is current today.
		back := map[string]int{monitor.StageElimCheck: 1, monitor.StageElimNotice: 2, monitor.StageElimTownship: 9,
			monitor.StageElimCounty: 10}[dc.Target]
		if back == 0 {
			back = 12
		}
		w.day = monitor.AddDays(w.today, -back)
		e, err := w.db.MonitorEligibility(ctx, w.actor, c.ID, true)
		if err != nil {
			return nil, err
		}
		if !e.Eligible || e.NeedsOverride {
			w.notEligible++
			return nil, nil
		}
		return w.act(ctx, c, 0, sqlstore.CaseAction{Action: monitor.ActEliminate, SpendingResolved: true})
	case monitor.StageElimCounty:
		return w.act(ctx, c, 1, sqlstore.CaseAction{Action: monitor.ActComplete, Mode: "assisted"})
	case monitor.StageEliminated:
		return w.act(ctx, c, 1, sqlstore.CaseAction{Action: monitor.ActRollback, Reason: "家庭成员务工中断，收入不稳定"})
	}
	return w.act(ctx, c, 1, sqlstore.CaseAction{Action: monitor.ActComplete})
}

func stageIndex(s string) int {
	for i, it := range monitor.Stages.Items {
		if it.Code == s {
			return i
		}
	}
	return -1
}
