package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestDueMeasuresEqualTodo adds 一户一策 measures ending before, on, near
// and long after today (running, planned, done, without an end date) in two
// villages and checks that the list of due measures holds exactly the
// running ones past or within 30 days of their end, that the 待办 panel's
// counts equal the list's totals in each village, the township and
// nationally (cached and fresh alike), also after a measure ends and after
// the days pass, and that the helper filter keeps only the helper's
// households.
func TestDueMeasuresEqualTodo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 2) // today 2025-06-15
		cases := map[string]*sqlstore.MonitorCase{}
		for _, v := range []string{tiantai, wenchang} {
			visit, err := db.RecordVisit(ctx, admin, w.households[v][0], aid.Visit{CadreID: w.secretary[v].ID,
				VisitedOn: fupin.NewDate(2025, 6, 10), Kind: "home", Findings: "户主住院", RaiseRisks: []string{"illness"}})
			if err != nil || visit.CaseID == nil {
				t.Fatalf("visit: %+v %v", visit, err)
			}
			if cases[v], err = db.MonitorCase(ctx, admin, *visit.CaseID); err != nil {
				t.Fatal(err)
			}
		}
		add := func(v, status, content string, ends fupin.Date) {
			t.Helper()
			c, err := db.AddMeasure(ctx, admin, cases[v].ID, cases[v].Version, sqlstore.MonitorMeasure{Category: "health",
				Content: content, Responsible: "王帮扶", StartsOn: fupin.NewDate(2025, 1, 1), EndsOn: ends, Status: status})
			if err != nil {
				t.Fatal(err)
			}
			cases[v] = c
		}
		add(tiantai, "active", "已到期", fupin.NewDate(2025, 6, 1))
		add(tiantai, "planned", "下月到期", fupin.NewDate(2025, 7, 10))
		add(tiantai, "active", "年底到期", fupin.NewDate(2025, 12, 31))
		add(tiantai, "done", "已完成", fupin.NewDate(2025, 6, 1))
		add(tiantai, "active", "无结束日期", fupin.Date{})
		add(wenchang, "active", "今天到期", fupin.NewDate(2025, 6, 15))
		add(wenchang, "planned", "去年到期", fupin.NewDate(2025, 1, 1))

		who := sqlstore.TodoCaller{Role: "county", Principal: "user:1"}
		check := func(step string, want map[string][2]int) {
			t.Helper()
			for _, area := range []string{tiantai, wenchang, pingan, ""} {
				todo, err := db.Todo(ctx, admin, area, who)
				if err != nil {
					t.Fatal(err)
				}
				fresh, err := db.TodoFresh(ctx, admin, area, who)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(fresh, todo); d != "" {
					t.Errorf("%s, area %q: cached panel differs (-fresh +cached):\n%s", step, area, d)
				}
				var totals [2]int
				for i, due := range []string{monitor.MeasureOverdue, monitor.MeasureSoon} {
					page, err := db.DueMeasures(ctx, admin, sqlstore.MeasureFilter{Area: area, Due: due, Limit: 500})
					if err != nil {
						t.Fatal(err)
					}
					totals[i] = page.Total
					if len(page.Items) != page.Total {
						t.Errorf("%s, area %q, %s: %d items, total %d", step, area, due, len(page.Items), page.Total)
					}
					for _, m := range page.Items {
						if m.Due != due || !monitor.MeasureRunning(m.Status) || m.HeadName == "" || m.VillageCode[:len(area)] != area {
							t.Errorf("%s, area %q, %s: item %+v", step, area, due, m)
						}
					}
				}
				all, err := db.DueMeasures(ctx, admin, sqlstore.MeasureFilter{Area: area, Due: "all"})
				if err != nil {
					t.Fatal(err)
				}
				if todo.MeasuresOverdue != totals[0] || todo.MeasuresDue != totals[1] || all.Total != totals[0]+totals[1] {
					t.Errorf("%s, area %q: panel %d overdue %d due; lists %v, all %d", step, area,
						todo.MeasuresOverdue, todo.MeasuresDue, totals, all.Total)
				}
				if n, ok := want[area]; ok && totals != n {
					t.Errorf("%s, area %q: lists %v, want %v", step, area, totals, n)
				}
			}
		}
		check("start", map[string][2]int{tiantai: {1, 1}, wenchang: {1, 1}, pingan: {2, 2}})

		mine, err := db.DueMeasures(ctx, admin, sqlstore.MeasureFilter{Area: pingan, CadreID: w.secretary[tiantai].ID})
		if err != nil {
			t.Fatal(err)
		}
		if mine.Total != 2 || len(mine.Items) != 2 || mine.Items[0].VillageCode != tiantai || mine.Items[0].Helper != w.secretary[tiantai].Name {
			t.Errorf("the 天台村 secretary's due measures (its helper): %+v", mine)
		}
		if none, err := db.DueMeasures(ctx, admin, sqlstore.MeasureFilter{Area: tiantai, CadreID: w.helper[wenchang].ID}); err != nil || none.Total != 0 {
			t.Errorf("the 文昌村 helper in 天台村: %+v %v", none, err)
		}
		if out, err := db.DueMeasures(ctx, wenchangActor, sqlstore.MeasureFilter{Area: tiantai}); err == nil && out.Total != 0 {
			t.Errorf("文昌村 sees 天台村's measures: %+v", out)
		}

		var overdue sqlstore.MonitorMeasure
		for _, m := range cases[tiantai].Measures {
			if m.Content == "已到期" {
				overdue = m
			}
		}
		overdue.Status, overdue.Outcome = "done", "已出院"
		if cases[tiantai], err = db.UpdateMeasure(ctx, admin, cases[tiantai].ID, cases[tiantai].Version, overdue.ID, overdue); err != nil {
			t.Fatal(err)
		}
		check("overdue measure ended", map[string][2]int{tiantai: {0, 1}, wenchang: {1, 1}, pingan: {1, 2}})

		db.Now = func() time.Time { return time.Date(2025, 7, 11, 2, 0, 0, 0, time.UTC) }
		check("days passed", map[string][2]int{tiantai: {1, 0}, wenchang: {2, 0}, pingan: {3, 0}})

		for _, bad := range []sqlstore.MeasureFilter{{Due: "late"}, {CadreID: -1}, {Area: "50x"}, {Limit: 501}} {
			if _, err := db.DueMeasures(ctx, admin, bad); fupin.ErrorCode(err) != fupin.EInvalid {
				t.Errorf("filter %+v: %v, want invalid", bad, err)
			}
		}
	})
}
