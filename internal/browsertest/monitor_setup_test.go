package browsertest

import (
	"context"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// spareHouseholds lists live households of the demo township that are
// not monitored and have no case, leaving out skip.
func (c *console) spareHouseholds(skip map[int64]bool) []*fupin.Household {
	c.t.Helper()
	ctx := context.Background()
	page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 300})
	if err != nil {
		c.t.Fatal(err)
	}
	var out []*fupin.Household
	for _, h := range page.Items {
		if h.MonitorType != "" || skip[h.ID] || (h.Type != "ordinary" && h.Type != "ex_poor") {
			continue
		}
		full, err := c.db.Household(ctx, sysActor, h.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		out = append(out, full)
	}
	return out
}

// categoryOf is the transition-period category a household may be
// identified under: 脱贫不稳定户 for former poor households, 边缘易致贫户
// for the others.
func categoryOf(h *fupin.Household) (code, label string) {
	if h.Type == "ex_poor" {
		return "unstable", "脱贫不稳定户"
	}
	return "marginal", "边缘易致贫户"
}

// walkCase opens a case for h startDays ago and takes it to target through
// the store as an admin; nil when the household turns out not eligible
// for elimination (only for targets past 已纳入监测).
func (c *console) walkCase(h *fupin.Household, startDays int, target string) *sqlstore.MonitorCase {
	c.t.Helper()
	ctx := context.Background()
	today := todayCST()
	day := monitor.AddDays(today, -startDays)
	real := c.db.Now
	defer func() { c.db.Now = real }()
	c.db.Now = func() time.Time { return day.Time().Add(2 * time.Hour) }
	cat, _ := categoryOf(h)
	cs, err := c.db.OpenCase(ctx, sysActor, sqlstore.NewCase{HouseholdID: h.ID, Path: "cadre", Category: cat,
		Risks: []string{"illness"}, Facts: sqlstore.MonitorFacts{FailingItems: []string{}, Note: "测试案件"}})
	if err != nil {
		c.t.Fatal(err)
	}
	act := func(days int, a sqlstore.CaseAction) {
		c.t.Helper()
		day = monitor.AddDays(day, days)
		a.Version = cs.Version
		if cs, err = c.db.ActOnCase(ctx, sysActor, "admin", cs.ID, a); err != nil {
			c.t.Fatalf("case %d at %s: %s: %v", cs.ID, cs.Stage, a.Action, err)
		}
	}
	for cs.Stage != target {
		switch cs.Stage {
		case monitor.StageReview:
			act(1, sqlstore.CaseAction{Action: monitor.ActComplete, Participants: "村民代表 12 人、第一书记", Result: "同意"})
		case monitor.StageNotice, monitor.StageElimNotice:
			act(6, sqlstore.CaseAction{Action: monitor.ActComplete})
		case monitor.StageCounty:
			day = monitor.AddDays(day, 1)
			if cs, err = c.db.AddMeasure(ctx, sysActor, cs.ID, cs.Version, sqlstore.MonitorMeasure{Category: "health",
				Content: "大病救助", Responsible: "帮扶责任人", StartsOn: day}); err != nil {
				c.t.Fatal(err)
			}
			act(0, sqlstore.CaseAction{Action: monitor.ActComplete})
		case monitor.StageMonitored:
			day = monitor.AddDays(today, -10)
			e, err := c.db.MonitorEligibility(ctx, sysActor, cs.ID, true)
			if err != nil {
				c.t.Fatal(err)
			}
			if !e.Eligible || e.NeedsOverride {
				return nil
			}
			act(0, sqlstore.CaseAction{Action: monitor.ActEliminate, SpendingResolved: true})
		default:
			act(1, sqlstore.CaseAction{Action: monitor.ActComplete})
		}
	}
	return cs
}

// eligibleCase walks spare households until one is monitored and eligible
// for elimination, then takes it to target.
func (c *console) eligibleCase(spare *[]*fupin.Household, target string) *sqlstore.MonitorCase {
	c.t.Helper()
	for len(*spare) > 0 {
		h := (*spare)[0]
		*spare = (*spare)[1:]
		if target == monitor.StageMonitored {
			// walkCase stops at monitored before checking eligibility.
			cs := c.walkCase(h, 230, monitor.StageMonitored)
			e, err := c.db.MonitorEligibility(context.Background(), sysActor, cs.ID, true)
			if err != nil {
				c.t.Fatal(err)
			}
			if e.Eligible && !e.NeedsOverride {
				return cs
			}
			continue
		}
		if cs := c.walkCase(h, 230, target); cs != nil {
			return cs
		}
	}
	c.t.Fatal("no demo household is eligible for elimination")
	return nil
}

// todayCST is today's date in China.
func todayCST() fupin.Date {
	return fupin.DateOf(time.Now().In(time.FixedZone("CST", 8*3600)))
}
