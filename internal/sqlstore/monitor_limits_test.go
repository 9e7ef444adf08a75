package sqlstore_test

import (
	"errors"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestMonitorLimitsByArea checks that the deadlines use the area's limits:
// a township's shorter 入户核查 limit moves its cases' due date (and not
// another township's), the longest prefix wins, deleting the row restores
// the county's value, 公示 days and alert days follow the village's area.
func TestMonitorLimitsByArea(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2)) // a Monday
		h := monitoredHousehold(t, db, 10)
		c, err := db.OpenCase(ctx, villageActor, newCase(h))
		if err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateHousehold(ctx, admin, family(t, "500236001001", 60))
		if err != nil {
			t.Fatal(err)
		}
		oc, err := db.OpenCase(ctx, countyActor, newCase(other))
		if err != nil {
			t.Fatal(err)
		}
		due := func(id int64) fupin.Date {
			t.Helper()
			got, err := db.MonitorCase(ctx, countyActor, id)
			if err != nil {
				t.Fatal(err)
			}
			return got.DueOn
		}
		set := func(area, key string, v int) {
			t.Helper()
			if err := db.SetMonitorLimit(ctx, admin, monitor.LimitRow{Area: area, Key: key, Value: v}); err != nil {
				t.Fatal(err)
			}
		}
		if d := due(c.ID); !d.Equal(fupin.NewDate(2026, 3, 5)) {
			t.Fatalf("default due %s, want 2026-03-05 (3 working days)", d)
		}
		set("500236", "home_check", 2)
		set(pingan, "home_check", 1)
		if d := due(c.ID); !d.Equal(fupin.NewDate(2026, 3, 3)) {
			t.Errorf("township limit 1: due %s, want 2026-03-03", d)
		}
		if d := due(oc.ID); !d.Equal(fupin.NewDate(2026, 3, 4)) {
			t.Errorf("another township under the county's 2: due %s, want 2026-03-04", d)
		}
		page, err := db.MonitorCases(ctx, townActor, sqlstore.CaseFilter{})
		if err != nil || len(page.Items) != 1 || !page.Items[0].DueOn.Equal(fupin.NewDate(2026, 3, 3)) {
			t.Errorf("case list %+v %v, want due 2026-03-03", page.Items, err)
		}
		set(pingan, "home_check", 0) // delete: the county's value again
		if d := due(c.ID); !d.Equal(fupin.NewDate(2026, 3, 4)) {
			t.Errorf("after deleting the township row: due %s, want 2026-03-04", d)
		}

		set(tiantai, "notice_days", 7)
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete", Participants: "村民代表 15 人", Result: "同意"})
		if c.Stage != "notice" || !c.NoticeEndsOn.Equal(fupin.NewDate(2026, 3, 8)) {
			t.Errorf("stage %s, notice ends %s, want 2026-03-08 (7 days)", c.Stage, c.NoticeEndsOn)
		}

		// Alerts loaded by the county: the township's 1 day for its villages,
		// the default 2 elsewhere.
		set(pingan, "alert_days", 1)
		rows := []monitor.DeptRow{
			{Row: 2, IDNumber: h.Members[0].IDNumber, Fact: "住院自付 3.2 万元", FactOn: fupin.NewDate(2026, 2, 1)},
			{Row: 3, IDNumber: other.Members[0].IDNumber, Fact: "住院自付 1.1 万元", FactOn: fupin.NewDate(2026, 2, 1)},
		}
		if _, err := db.LoadDepartmentList(ctx, countyActor, "medical", "医保3月.xlsx", strings.Repeat("b", 64), rows); err != nil {
			t.Fatal(err)
		}
		alerts, err := db.MonitorAlerts(ctx, countyActor, sqlstore.AlertFilter{})
		if err != nil || len(alerts.Items) != 2 {
			t.Fatalf("alerts %+v %v", alerts, err)
		}
		for _, a := range alerts.Items {
			want := fupin.NewDate(2026, 3, 4)
			if strings.HasPrefix(a.VillageCode, pingan) {
				want = fupin.NewDate(2026, 3, 3)
			}
			if !a.DueOn.Equal(want) {
				t.Errorf("alert in %s due %s, want %s", a.VillageCode, a.DueOn, want)
			}
		}
	})
}

// TestMonitorLimitsScope checks who may set limits where and what a caller
// sees: their own areas, the areas above them and the national row.
func TestMonitorLimitsScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for _, r := range []monitor.LimitRow{{Area: "", Key: "total", Value: 18}, {Area: pingan, Key: "review", Value: 4},
			{Area: "110101", Key: "review", Value: 6}} {
			if err := db.SetMonitorLimit(ctx, admin, r); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetMonitorLimit(ctx, wenchangActor, monitor.LimitRow{Area: pingan, Key: "review", Value: 2}); code(err) != fupin.EForbidden {
			t.Errorf("a village sets its township's limit: %v, want forbidden", err)
		}
		if err := db.SetMonitorLimit(ctx, admin, monitor.LimitRow{Area: pingan, Key: "review", Value: 61}); !hasField(err, "value") {
			t.Errorf("out of range: %v, want invalid value", err)
		}
		v, err := db.MonitorLimitsFor(ctx, wenchangActor, wenchang)
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, r := range v.Rows {
			seen = append(seen, r.Area+"/"+r.Key)
		}
		if got := strings.Join(seen, " "); got != "/total 500236266/review" {
			t.Errorf("village sees rows %q", got)
		}
		if v.Effective.Total != 18 || v.Effective.Review != 4 || v.Effective.HomeCheck != 3 {
			t.Errorf("effective %+v", v.Effective)
		}
	})
}

// TestMonitorLimitClearedBeneathParent: beneath a county that set a
// 乡镇审核 limit, a township clears it (不单独限时) for its own villages only;
// it cannot clear a limit every step must have, and nothing is stored then;
// deleting its row brings the county's limit back.
func TestMonitorLimitClearedBeneathParent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2))
		set := func(actor fupin.Actor, area, key string, v int) error {
			return db.SetMonitorLimit(ctx, actor, monitor.LimitRow{Area: area, Key: key, Value: v})
		}
		effective := func(area string) monitor.Limits {
			t.Helper()
			v, err := db.MonitorLimitsFor(ctx, countyActor, area)
			if err != nil {
				t.Fatal(err)
			}
			return v.Effective
		}
		if err := set(countyActor, "500236", "township", 5); err != nil {
			t.Fatal(err)
		}
		if err := set(townActor, pingan, "township", monitor.NoLimit); err != nil {
			t.Fatalf("the township clears the county's 乡镇审核 limit: %v", err)
		}
		if got := effective(tiantai).Township; got != 0 {
			t.Errorf("天台村's 乡镇审核 limit %d, want none", got)
		}
		if got := effective("500236001001").Township; got != 5 {
			t.Errorf("another township's 乡镇审核 limit %d, want the county's 5", got)
		}
		before := countRows(t, db, "policy_params")
		if err := set(townActor, pingan, "home_check", monitor.NoLimit); !hasField(err, "value") || !strings.Contains(err.Error()+fieldMsg(err, "value"), "默认值为 3") {
			t.Errorf("clearing 入户核查: %v, want invalid value naming the default", err)
		}
		if n := countRows(t, db, "policy_params"); n != before {
			t.Errorf("a refused limit wrote a row: %d → %d", before, n)
		}
		if err := set(villageActor, pingan, "township", monitor.NoLimit); code(err) != fupin.EForbidden {
			t.Errorf("a village clears its township's limit: %v, want forbidden", err)
		}
		if err := set(townActor, pingan, "township", 0); err != nil {
			t.Fatal(err)
		}
		if got := effective(tiantai).Township; got != 5 {
			t.Errorf("after deleting the township's row: %d, want the county's 5", got)
		}
	})
}

func fieldMsg(err error, field string) string {
	var fe *fupin.Error
	if errors.As(err, &fe) {
		return fe.Fields[field]
	}
	return ""
}
