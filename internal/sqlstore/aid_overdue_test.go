package sqlstore_test

import (
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestOverdueVisitsPageEqualsList checks that every page of the overdue
// list paged in SQL is the same slice of the whole list computed in Go
// (ListOverdueVisits), with its length as the total, for actors of every
// scope and areas inside and outside them: on households of each kind
// (脱贫户, 监测户 at risk and with risk eliminated, a paired ordinary
// household), visited recently, long ago, exactly one interval ago (due
// today, not yet overdue) and never, paired or not, in
// three villages, with visit intervals set nationally, for the township
// and for one village, and days overdue shared by several households.
func TestOverdueVisitsPageEqualsList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 6) // ex-poor households paired on 2024-03-01; today 2025-06-15
		const cizhu = "500236266208"
		visit := func(hid int64, cadre *aid.Cadre, on fupin.Date) {
			t.Helper()
			if _, err := db.RecordVisit(ctx, admin, hid, aid.Visit{CadreID: cadre.ID, VisitedOn: on, Kind: "home"}); err != nil {
				t.Fatal(err)
			}
		}
		create := func(h *fupin.Household) int64 {
			t.Helper()
			created, err := db.CreateHousehold(ctx, admin, h)
			if err != nil {
				t.Fatal(err)
			}
			return created.ID
		}
		for _, r := range []aid.SettingRow{{Area: "", Key: "visit_days_other", Value: 60},
			{Area: pingan, Key: "visit_days_monitored", Value: 20}, {Area: tiantai, Key: "visit_days_ex_poor", Value: 45},
			{Area: tiantai, Key: "visit_days_monitored", Value: 25}} {
			if err := db.SetAidSetting(ctx, admin, r); err != nil {
				t.Fatal(err)
			}
		}
		visit(w.households[tiantai][0], w.secretary[tiantai], fupin.NewDate(2025, 6, 10)) // not due
		visit(w.households[tiantai][1], w.secretary[tiantai], fupin.NewDate(2025, 3, 1))
		visit(w.households[tiantai][2], w.helper[tiantai], fupin.NewDate(2025, 1, 20))
		visit(w.households[tiantai][3], w.helper[tiantai], fupin.NewDate(2025, 5, 1))       // due today (45 days): not yet overdue
		visit(w.households[tiantai][4], w.helper[tiantai], fupin.NewDate(2025, 4, 30))      // due yesterday
		visit(w.households[wenchang][0], w.secretary[wenchang], fupin.NewDate(2025, 1, 15)) // due 2025-04-15 as tiantai[1]
		visit(w.households[wenchang][1], w.helper[wenchang], fupin.NewDate(2024, 12, 1))
		visit(w.households[wenchang][1], w.helper[wenchang], fupin.NewDate(2025, 2, 1)) // the last visit counts

		monitored := family(t, tiantai, 200)
		monitored.MonitorType, monitored.MonitorIdentifiedOn = "unstable", fupin.NewDate(2024, 5, 1)
		m := create(monitored)
		visit(m, w.secretary[tiantai], fupin.NewDate(2025, 5, 1)) // due 2025-05-26 (the village's 25 days, not the township's 20)
		eliminated := family(t, wenchang, 210)
		eliminated.MonitorType, eliminated.MonitorIdentifiedOn, eliminated.RiskEliminatedOn = "unstable", fupin.NewDate(2024, 5, 1), fupin.NewDate(2025, 1, 1)
		visit(create(eliminated), w.secretary[wenchang], fupin.NewDate(2025, 3, 1))
		create(family(t, wenchang, 220))                                                       // never paired nor visited
		create(family(t, tiantai, 230))                                                        // the same, in another village
		visit(create(family(t, cizhu, 240)), w.secretary[tiantai], fupin.NewDate(2025, 2, 22)) // never paired; due 2025-05-23
		ordinary := family(t, cizhu, 250)
		ordinary.Type, ordinary.PovertyAttr, ordinary.IdentifiedOn, ordinary.ExitedOn = "ordinary", "", fupin.Date{}, fupin.Date{}
		if _, err := db.PairHousehold(ctx, admin, create(ordinary), aid.PairingChange{CadreID: w.helper[tiantai].ID,
			StartedOn: fupin.NewDate(2025, 2, 1)}); err != nil {
			t.Fatal(err)
		}

		actors := []fupin.Actor{admin, {Name: "county", Areas: []string{"500236"}}, {Name: "township", Areas: []string{pingan}},
			{Name: "village", Areas: []string{tiantai}}, {Name: "two villages", Areas: []string{wenchang, cizhu}},
			{Name: "elsewhere", Areas: []string{"500237"}}}
		seen := map[string]int{}
		for _, actor := range actors {
			for _, area := range []string{"", "500236", pingan, tiantai, wenchang, cizhu} {
				whole, err := db.ListOverdueVisits(ctx, actor, area)
				if err != nil {
					t.Fatal(err)
				}
				seen[actor.Name] = max(seen[actor.Name], len(whole))
				for _, limit := range []int{1, 2, 3, 7, 500} {
					for offset := 0; offset <= len(whole)+1; offset += limit {
						page, total, err := db.OverdueVisitsPage(ctx, actor, area, offset, limit)
						if err != nil {
							t.Fatal(err)
						}
						from := min(offset, len(whole))
						if d := cmp.Diff(whole[from:min(from+limit, len(whole))], page); d != "" || total != len(whole) {
							t.Errorf("%s, area %q, offset %d limit %d: total %d of %d; page differs from the list (-list +page):\n%s",
								actor.Name, area, offset, limit, total, len(whole), d)
						}
					}
				}
			}
		}
		if seen[admin.Name] < 15 || seen["village"] == 0 || seen["two villages"] == 0 || seen["elsewhere"] != 0 {
			t.Errorf("overdue households seen per actor: %v", seen)
		}
	})
}

// BenchmarkOverdueVisits times a page of 200 of the overdue-visit list
// (GET /api/v1/aid/overdue-visits) of the demo county and township on a
// large database made beforehand (see BenchmarkTodo): "whole" is how the
// route answered before, the whole list computed in Go and then sliced;
// "page" is OverdueVisitsPage. first is the first page, mid the page in
// the middle of the list. cpu-ms is the process CPU time per request.
func BenchmarkOverdueVisits(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see BenchmarkTodo")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const limit = 200
	for _, area := range []string{demo.TownshipCode[:6], demo.TownshipCode} {
		actor := fupin.Actor{Name: "bench", Areas: []string{area}}
		_, total, err := db.OverdueVisitsPage(ctx, actor, "", 0, 1)
		if err != nil || total < 2*limit {
			b.Fatalf("%s: %d overdue households, %v", area, total, err)
		}
		for _, at := range []struct {
			name   string
			offset int
		}{{"first", 0}, {"mid", total / 2}} {
			run := func(name string, page func() ([]aid.OverdueVisit, error)) {
				b.Run(name+"/"+at.name+"/"+area, func(b *testing.B) {
					var cpu time.Duration
					for i := 0; i < b.N; i++ {
						c0 := cpuTime()
						items, err := page()
						cpu += cpuTime() - c0
						if err != nil || len(items) != limit {
							b.Fatalf("%d items, %v", len(items), err)
						}
					}
					b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms")
				})
			}
			run("whole", func() ([]aid.OverdueVisit, error) {
				all, err := db.ListOverdueVisits(ctx, actor, "")
				return all[at.offset:min(at.offset+limit, len(all))], err
			})
			run("page", func() ([]aid.OverdueVisit, error) {
				items, _, err := db.OverdueVisitsPage(ctx, actor, "", at.offset, limit)
				return items, err
			})
		}
	}
}
