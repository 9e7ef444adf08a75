package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

var (
	villageActor  = fupin.Actor{Name: "天台村干部", Areas: []string{tiantai}}
	wenchangActor = fupin.Actor{Name: "文昌村干部", Areas: []string{wenchang}}
	townActor     = fupin.Actor{Name: "平安乡办公室", Areas: []string{pingan}}
	countyActor   = fupin.Actor{Name: "奉节县", Areas: []string{"500236"}}
)

// clock pins the store's time to a China calendar day at 10:00 and lets a
// test move it.
type clock struct{ day fupin.Date }

func (c *clock) now() time.Time { return c.day.Time().Add(2 * time.Hour) }
func (c *clock) add(days int)   { c.day = monitor.AddDays(c.day, days) }

func pinMonitor(db *sqlstore.DB, day fupin.Date) *clock {
	c := &clock{day: day}
	db.Now = c.now
	return c
}

// monitoredHousehold creates a household in 天台村 that passes every item
// and has 2025 income well above the line.
func monitoredHousehold(t *testing.T, db *sqlstore.DB, base int) *fupin.Household {
	t.Helper()
	h, err := db.CreateHousehold(ctx, admin, cleanFamily(t, base))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutIncome(ctx, admin, h.ID, 2025, fupin.IncomeInput{Version: h.Version, Wage: fupin.YuanToMoney(36000)}); err != nil {
		t.Fatal(err)
	}
	return h
}

func act(t *testing.T, db *sqlstore.DB, actor fupin.Actor, role string, c *sqlstore.MonitorCase, a sqlstore.CaseAction) *sqlstore.MonitorCase {
	t.Helper()
	a.Version = c.Version
	out, err := db.ActOnCase(ctx, actor, role, c.ID, a)
	if err != nil {
		t.Fatalf("%s %s at %s: %v", role, a.Action, c.Stage, err)
	}
	return out
}

func newCase(h *fupin.Household) sqlstore.NewCase {
	return sqlstore.NewCase{HouseholdID: h.ID, Path: "cadre", Category: "unstable", Risks: []string{"illness", "spending"},
		Facts: sqlstore.MonitorFacts{PerCapita: fupin.YuanToMoney(5200), FailingItems: []string{}, Note: "户主住院"}}
}

// TestMonitorLifecycle walks a case through identification with an
// objection, elimination and its rollback, checking the household at each
// end.
func TestMonitorLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := pinMonitor(db, fupin.NewDate(2026, 3, 2))
		h := monitoredHousehold(t, db, 10)
		c, err := db.OpenCase(ctx, villageActor, newCase(h))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.OpenCase(ctx, villageActor, newCase(h)); code(err) != fupin.EConflict {
			t.Errorf("second open case: %v, want conflict", err)
		}
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		if _, err := db.ActOnCase(ctx, villageActor, "village", c.ID, sqlstore.CaseAction{Action: "complete", Version: c.Version}); !hasField(err, "participants") {
			t.Errorf("review without participants: %v", err)
		}
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete", Participants: "村民代表 15 人", Result: "同意"})
		if c.Stage != "notice" || !c.NoticeEndsOn.Equal(fupin.NewDate(2026, 3, 6)) {
			t.Fatalf("stage %s, notice ends %s", c.Stage, c.NoticeEndsOn)
		}
		notice, err := db.MonitorNotice(ctx, villageActor, tiantai)
		if err != nil || len(notice.Entries) != 1 || notice.Entries[0].HeadName != "谭德明" || notice.Entries[0].Kind != "识别认定" ||
			strings.Join(notice.Entries[0].Risks, ",") != "因病,刚性支出过大" {
			t.Fatalf("notice %+v %v", notice, err)
		}
		if raw, _ := json.Marshal(notice); strings.Contains(string(raw), h.Members[0].IDNumber[:10]) {
			t.Errorf("public notice shows an ID number: %s", raw)
		}
		if notice.Committee != "天台村村民委员会" || !strings.Contains(notice.Channel, "村民委员会") {
			t.Errorf("village notice signed by %q, channel %q", notice.Committee, notice.Channel)
		}
		// A 社区 is run by its 居民委员会: the sheet is signed by it.
		if sq, err := db.MonitorNotice(ctx, countyActor, "500236001001"); err != nil || sq.Committee != "朝阳社区居民委员会" ||
			!strings.Contains(sq.Channel, "居民委员会") || strings.Contains(sq.Channel, "村民委员会") {
			t.Errorf("community notice %+v %v", sq, err)
		}
		if _, err := db.MonitorNotice(ctx, wenchangActor, tiantai); code(err) != fupin.ENotFound {
			t.Errorf("notice outside the area: %v", err)
		}
		c, err = db.AddObjection(ctx, villageActor, c.ID, c.Version, sqlstore.NewObjection{RaisedBy: "村民甲", Content: "该户有车"})
		if err != nil {
			t.Fatal(err)
		}
		clk.add(5)
		if _, err := db.ActOnCase(ctx, villageActor, "village", c.ID, sqlstore.CaseAction{Action: "complete", Version: c.Version}); code(err) != fupin.EConflict {
			t.Errorf("notice with an open objection closed: %v", err)
		}
		todo, err := db.MonitorTodo(ctx, townActor, "")
		// The notice ran out with the objection open: the step is overdue.
		if err != nil || todo.ObjectionsOpen != 1 || todo.StepsOpen != 1 || todo.StepsOverdue != 1 {
			t.Errorf("todo with an open objection: %+v %v", todo, err)
		}
		if todo, _ := db.MonitorTodo(ctx, wenchangActor, ""); todo.ObjectionsOpen != 0 || todo.StepsOpen != 0 {
			t.Errorf("wenchang todo %+v", todo)
		}
		c, err = db.ResolveObjection(ctx, villageActor, c.ID, c.Version, c.Objections[0].ID, "经核实车辆已于 2024 年出售")
		if err != nil {
			t.Fatal(err)
		}
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		if _, err := db.ActOnCase(ctx, villageActor, "village", c.ID, sqlstore.CaseAction{Action: "complete", Version: c.Version}); code(err) != fupin.EForbidden {
			t.Errorf("village closing 乡镇审核: %v, want forbidden", err)
		}
		c = act(t, db, townActor, "township", c, sqlstore.CaseAction{Action: "complete"})
		if _, err := db.ActOnCase(ctx, countyActor, "county", c.ID, sqlstore.CaseAction{Action: "complete", Version: c.Version}); code(err) != fupin.EConflict {
			t.Errorf("县审定 without a plan: %v", err)
		}
		c, err = db.AddMeasure(ctx, villageActor, c.ID, c.Version, sqlstore.MonitorMeasure{Category: "employment",
			Content: "推荐到县内企业务工", Responsible: "帮扶干部", StartsOn: clk.day, Funds: fupin.YuanToMoney(1200.5)})
		if err != nil {
			t.Fatal(err)
		}
		c = act(t, db, countyActor, "county", c, sqlstore.CaseAction{Action: "complete"})
		identified := clk.day
		got, err := db.Household(ctx, admin, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Stage != "monitored" || got.MonitorType != "unstable" || strings.Join(got.Risks, ",") != "illness,spending" ||
			!got.MonitorIdentifiedOn.Equal(identified) || got.Version <= h.Version+1 {
			t.Fatalf("after 县审定: case %s, household %s %v %s v%d", c.Stage, got.MonitorType, got.Risks, got.MonitorIdentifiedOn, got.Version)
		}

		// Elimination: too early, then eligible after six months.
		if _, err := db.ActOnCase(ctx, villageActor, "village", c.ID, sqlstore.CaseAction{Action: "eliminate", Version: c.Version, SpendingResolved: true}); code(err) != fupin.EConflict {
			t.Errorf("elimination after a week: %v", err)
		}
		clk.day = monitor.AddMonths(identified, 6)
		// A township that requires 8 months: not yet, neither in the 待办
		// count nor in the check; another township's 8 months do not apply.
		if err := db.SetMonitorLimit(ctx, admin, monitor.LimitRow{Area: "500236001", Key: "min_months", Value: 7}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetMonitorLimit(ctx, admin, monitor.LimitRow{Area: pingan, Key: "min_months", Value: 8}); err != nil {
			t.Fatal(err)
		}
		if todo, _ := db.MonitorTodo(ctx, villageActor, ""); todo.MonitoredSix != 0 {
			t.Errorf("todo after six months of eight %+v", todo)
		}
		if e, err := db.MonitorEligibility(ctx, villageActor, c.ID, true); err != nil || e.Eligible || !strings.Contains(fmt.Sprint(e), "满 8 个月") {
			t.Errorf("eligibility after six months of eight: %+v %v", e, err)
		}
		if err := db.SetMonitorLimit(ctx, admin, monitor.LimitRow{Area: pingan, Key: "min_months"}); err != nil {
			t.Fatal(err)
		}
		if todo, _ := db.MonitorTodo(ctx, villageActor, ""); todo.MonitoredSix != 1 || todo.StepsOpen != 0 {
			t.Errorf("todo after six months %+v", todo)
		}
		e, err := db.MonitorEligibility(ctx, villageActor, c.ID, true)
		if err != nil || !e.Eligible {
			t.Fatalf("eligibility after six months: %+v %v", e, err)
		}
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "eliminate", SpendingResolved: true})
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		clk.add(5)
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		c = act(t, db, townActor, "township", c, sqlstore.CaseAction{Action: "complete"})
		if _, err := db.ActOnCase(ctx, countyActor, "county", c.ID, sqlstore.CaseAction{Action: "complete", Version: c.Version}); !hasField(err, "mode") {
			t.Errorf("elimination without a mode: %v", err)
		}
		c = act(t, db, countyActor, "county", c, sqlstore.CaseAction{Action: "complete", Mode: "assisted"})
		got, _ = db.Household(ctx, admin, h.ID)
		if c.Stage != "eliminated" || !got.RiskEliminatedOn.Equal(clk.day) || got.EliminationMode != "assisted" {
			t.Fatalf("after elimination: %s %s %s", c.Stage, got.RiskEliminatedOn, got.EliminationMode)
		}
		c = act(t, db, countyActor, "county", c, sqlstore.CaseAction{Action: "rollback", Reason: "务工收入中断"})
		got, _ = db.Household(ctx, admin, h.ID)
		if c.Stage != "monitored" || !got.RiskEliminatedOn.IsZero() || got.EliminationMode != "" || got.MonitorType != "unstable" {
			t.Fatalf("after rollback: %s %s %q", c.Stage, got.RiskEliminatedOn, got.EliminationMode)
		}
		var actions []string
		for _, s := range c.Steps {
			actions = append(actions, s.Action)
		}
		want := "open,complete,complete,complete,objection,objection_resolved,complete,complete,complete,eliminate,complete,complete,complete,complete,rollback"
		if strings.Join(actions, ",") != want {
			t.Errorf("timeline %s\nwant     %s", strings.Join(actions, ","), want)
		}
		checkStats(t, db, identified.Time().Sub(fupin.NewDate(2026, 3, 2).Time()).Hours()/24)
	})
}

// checkStats checks the overview figures after TestMonitorLifecycle's case:
// identified, eliminated and rolled back this year, monitored again.
func checkStats(t *testing.T, db *sqlstore.DB, days float64) {
	t.Helper()
	st, err := db.MonitorStats(ctx, townActor, "")
	if err != nil {
		t.Fatal(err)
	}
	if st.Year != 2026 || st.Identified != 1 || st.Eliminated != 1 || st.RolledBack != 1 || st.MedianDaysToIdentify == nil ||
		*st.MedianDaysToIdentify != days || len(st.ByStage) != 1 || st.ByStage[0].Stage != "monitored" ||
		st.ByStage[0].Category != "unstable" || st.ByStage[0].Count != 1 || st.OnTimeShare != nil {
		t.Errorf("stats %+v (median %v), want one case identified in %v days, eliminated and rolled back", st, st.MedianDaysToIdentify, days)
	}
	other, err := db.MonitorStats(ctx, wenchangActor, "")
	if err != nil || len(other.ByStage) != 0 || other.Identified != 0 || other.MedianDaysToIdentify != nil {
		t.Errorf("wenchang stats %+v %v", other, err)
	}
}

func TestMonitorScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2))
		h := monitoredHousehold(t, db, 10)
		if _, err := db.OpenCase(ctx, wenchangActor, newCase(h)); code(err) != fupin.ENotFound {
			t.Errorf("open outside the area: %v", err)
		}
		c, err := db.OpenCase(ctx, villageActor, newCase(h))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MonitorCase(ctx, wenchangActor, c.ID); code(err) != fupin.ENotFound {
			t.Errorf("read outside the area: %v", err)
		}
		if _, err := db.ActOnCase(ctx, wenchangActor, "village", c.ID, sqlstore.CaseAction{Action: "complete", Version: c.Version}); code(err) != fupin.ENotFound {
			t.Errorf("act outside the area: %v", err)
		}
		if _, err := db.AddMeasure(ctx, wenchangActor, c.ID, c.Version, sqlstore.MonitorMeasure{Category: "health", Content: "x",
			Responsible: "y", StartsOn: fupin.NewDate(2026, 3, 2)}); code(err) != fupin.ENotFound {
			t.Errorf("plan outside the area: %v", err)
		}
		for _, tc := range []struct {
			actor fupin.Actor
			want  int
		}{{villageActor, 1}, {townActor, 1}, {countyActor, 1}, {wenchangActor, 0}} {
			page, err := db.MonitorCases(ctx, tc.actor, sqlstore.CaseFilter{})
			if err != nil || page.Total != tc.want || len(page.Items) != tc.want {
				t.Errorf("%s lists %d cases (%v), want %d", tc.actor.Name, page.Total, err, tc.want)
			}
		}
		got, err := db.MonitorCase(ctx, townActor, c.ID)
		if err != nil || !got.DueOn.Equal(fupin.NewDate(2026, 3, 5)) || got.Overdue {
			t.Errorf("due %s overdue %v (%v), want 2026-03-05", got.DueOn, got.Overdue, err)
		}
	})
}

// TestMonitorConcurrentActions races two completions of the same step.
func TestMonitorConcurrentActions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2))
		h := monitoredHousehold(t, db, 10)
		c, err := db.OpenCase(ctx, villageActor, newCase(h))
		if err != nil {
			t.Fatal(err)
		}
		a := sqlstore.CaseAction{Action: "complete", Version: c.Version}
		rctx, other := raceAt(ctx, "case.checked", func() error {
			_, err := db.ActOnCase(ctx, townActor, "township", c.ID, sqlstore.CaseAction{Action: "reject", Version: c.Version, Reason: "不符合"})
			return err
		})
		_, first := db.ActOnCase(rctx, villageActor, "village", c.ID, a)
		oneWins(t, first, <-other)
		got, err := db.MonitorCase(ctx, admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Steps) != 2 || got.Version != c.Version+1 {
			t.Errorf("after the race: %d steps, version %d", len(got.Steps), got.Version)
		}
	})
}

func TestDepartmentList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 2, 12))
		in, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 10))
		if err != nil {
			t.Fatal(err)
		}
		out, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 40))
		if err != nil {
			t.Fatal(err)
		}
		stranger := idNumber(t, "500236", "19700101", 777)
		rows := []monitor.DeptRow{
			{Row: 2, IDNumber: in.Members[0].IDNumber, Fact: "住院自付 3.2 万元", FactOn: fupin.NewDate(2026, 2, 1)},
			{Row: 3, IDNumber: out.Members[0].IDNumber, Fact: "住院自付 1.1 万元", FactOn: fupin.NewDate(2026, 2, 1)},
			{Row: 4, IDNumber: stranger, Fact: "新增残疾", FactOn: fupin.NewDate(2026, 2, 3)},
		}
		sha := strings.Repeat("a", 64)
		got, err := db.LoadDepartmentList(ctx, villageActor, "medical", "医保2月.xlsx", sha, rows)
		if err != nil {
			t.Fatal(err)
		}
		if got.Matched != 1 || got.NewAlerts != 1 || got.Unmatched != 2 || got.Duplicate {
			t.Errorf("first load %+v", got)
		}
		again, err := db.LoadDepartmentList(ctx, villageActor, "medical", "医保2月.xlsx", sha, rows)
		if err != nil || !again.Duplicate || again.FileID != got.FileID {
			t.Errorf("second load %+v %v", again, err)
		}
		other, err := db.LoadDepartmentList(ctx, villageActor, "medical", "医保2月（副本）.xlsx", strings.Repeat("b", 64), rows)
		if err != nil || other.NewAlerts != 0 || other.Duplicate {
			t.Errorf("same facts in another file %+v %v", other, err)
		}
		page, err := db.MonitorAlerts(ctx, villageActor, sqlstore.AlertFilter{Open: true})
		if err != nil || page.Total != 1 {
			t.Fatalf("alerts %+v %v", page, err)
		}
		a := page.Items[0]
		// Received Thursday 12 February 2026: two working days are Friday
		// 13th and the make-up Saturday 14th, before the Spring Festival.
		if !a.DueOn.Equal(fupin.NewDate(2026, 2, 14)) || a.HouseholdID != in.ID {
			t.Errorf("alert %+v", a)
		}
		if p, _ := db.MonitorAlerts(ctx, wenchangActor, sqlstore.AlertFilter{}); p.Total != 0 {
			t.Errorf("wenchang sees %d alerts", p.Total)
		}
		un, err := db.MonitorUnmatched(ctx, townActor, 0, 0)
		if err != nil || len(un) != 4 {
			t.Errorf("unmatched %d %v", len(un), err)
		}
		if un, _ := db.MonitorUnmatched(ctx, wenchangActor, 0, 0); len(un) != 0 {
			t.Errorf("wenchang sees %d unmatched IDs of 天台村's lists", len(un))
		}
		if _, err := db.VerifyAlert(ctx, villageActor, a.ID, sqlstore.AlertVerdict{Version: a.Version, Outcome: "exclude"}); !hasField(err, "reason") {
			t.Errorf("exclude without a reason: %v", err)
		}
		v, err := db.VerifyAlert(ctx, villageActor, a.ID, sqlstore.AlertVerdict{Version: a.Version, Outcome: "include",
			Category: "unstable", Risks: []string{"illness"}})
		if err != nil || v.CaseID == nil {
			t.Fatalf("include: %+v %v", v, err)
		}
		if _, err := db.VerifyAlert(ctx, villageActor, a.ID, sqlstore.AlertVerdict{Version: a.Version, Outcome: "include"}); code(err) != fupin.EConflict {
			t.Errorf("verified twice: %v", err)
		}
		c, err := db.MonitorCase(ctx, villageActor, *v.CaseID)
		if err != nil || c.Path != "department" || c.AlertID == nil || *c.AlertID != a.ID {
			t.Errorf("case from alert %+v %v", c, err)
		}
		if _, err := db.LoadDepartmentList(ctx, villageActor, "bank", "x.xlsx", strings.Repeat("c", 64), rows); !hasField(err, "department") {
			t.Errorf("unknown department: %v", err)
		}
	})
}

func TestMonitorUncovered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2))
		bad := family(t, tiantai, 10)
		bad.Housing = fupin.Housing{Grade: "D"}
		h, err := db.CreateHousehold(ctx, admin, bad)
		if err != nil {
			t.Fatal(err)
		}
		monitoredHousehold(t, db, 40) // passes, not listed
		page, err := db.MonitorUncovered(ctx, townActor, "", 0, 0)
		if err != nil || page.Total != 1 || page.Items[0].HouseholdID != h.ID || page.Items[0].Problems == 0 {
			t.Fatalf("uncovered %+v %v", page, err)
		}
		if p, _ := db.MonitorUncovered(ctx, wenchangActor, "", 0, 0); p.Total != 0 {
			t.Errorf("wenchang sees %d", p.Total)
		}
		if _, err := db.OpenCase(ctx, villageActor, newCase(h)); err != nil {
			t.Fatal(err)
		}
		if p, _ := db.MonitorUncovered(ctx, townActor, "", 0, 0); p.Total != 0 {
			t.Errorf("household with an open case still listed: %+v", p)
		}
	})
}

func TestCalendarYears(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		y := monitor.Year{Year: 2027, Notice: "国务院办公厅关于2027年部分节假日安排的通知（测试数据）", Holidays: []monitor.Holiday{
			{Name: "元旦", From: fupin.NewDate(2027, 1, 1), To: fupin.NewDate(2027, 1, 1), MakeUp: []fupin.Date{}}}}
		if err := db.SaveCalendarYear(ctx, admin, y); err != nil {
			t.Fatal(err)
		}
		bad := y
		bad.Notice = ""
		if err := db.SaveCalendarYear(ctx, admin, bad); !hasField(err, "notice") {
			t.Errorf("bad year: %v", err)
		}
		years, err := db.CalendarYears(ctx)
		if err != nil || len(years) != 4 || years[3].Year != 2027 || years[3].Notice != y.Notice {
			t.Errorf("years %+v %v", years, err)
		}
	})
}
