package sqlstore_test

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/aid"
	"fupin/internal/criteria"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestDashboardAndTotalsCachedEqualFresh writes every kind of write that
// can change the 总览 or a list total (households created, changed, moved
// between villages, deleted; members added, changed, leaving; incomes; a
// visit that records 不愁吃穿; pairings; a monitoring case from opening to
// identification and one rejected; imports of new and of changed
// households; a policy change and its recomputation; a batch assessment)
// with writes that cannot in between, and checks after each that the
// dashboard and the list totals every actor (national, county, township,
// one village, two villages of the township) sees for every area and year
// from the per-village memos equal a fresh count, and that the township's
// dashboard and list recount only the villages the write touched.
func TestDashboardAndTotalsCachedEqualFresh(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4) // today 2025-06-15
		const cizhu = "500236266208"
		twoVillages := fupin.Actor{Name: "两村干部", Areas: []string{tiantai, cizhu}}
		actors := []fupin.Actor{townActor, admin, countyActor, villageActor, twoVillages} // the township first
		areas := []string{pingan, "", "500236", tiantai, wenchang, cizhu}
		filters := []fupin.HouseholdFilter{{}, {Type: "ex_poor"}, {Type: "ordinary"}, {PovertyAttr: "general"}, {Monitored: true},
			{MonitorType: "unstable"}, {Deleted: true}, {Query: "谭"}}
		counted := map[string][][]string{}
		var mu sync.Mutex // the dashboard's two counts run side by side
		db.OnVillageCount(func(memo string, v []string) {
			mu.Lock()
			defer mu.Unlock()
			counted[memo] = append(counted[memo], slices.Clone(v))
		})
		check := func(step string, want []string) {
			t.Helper()
			first, seen := true, 0
			for _, actor := range actors {
				for _, area := range areas {
					for _, year := range []int{2024, 2025} {
						counted = map[string][][]string{}
						got, err := db.Dashboard(ctx, actor, area, year)
						if err != nil {
							t.Fatal(err)
						}
						fresh, err := db.DashboardFresh(ctx, actor, area, year)
						if err != nil {
							t.Fatal(err)
						}
						if d := cmp.Diff(fresh, got); d != "" {
							t.Errorf("%s: %s's dashboard of %q %d differs from a fresh count (-fresh +cached):\n%s", step, actor.Name, area, year, d)
						}
						seen += got.Total.Households + got.Verdicts.Total.Households
						if first && want != nil {
							first = false
							wantCounted := map[string][][]string{}
							if len(want) > 0 {
								wantCounted = map[string][][]string{"households": {want}, "verdicts": {want}}
							}
							if d := cmp.Diff(wantCounted, counted); d != "" {
								t.Errorf("%s: the township's dashboard recounted (-want +got):\n%s", step, d)
							}
						}
					}
					for i, f := range filters {
						f.Area = area
						counted = map[string][][]string{}
						page, err := db.ListHouseholds(ctx, actor, f)
						if err != nil {
							t.Fatal(err)
						}
						n, err := db.HouseholdTotalFresh(ctx, actor, f)
						if err != nil {
							t.Fatal(err)
						}
						if page.Total != n {
							t.Errorf("%s: %s's list %+v total %d, fresh %d", step, actor.Name, f, page.Total, n)
						}
						if actor.Name == townActor.Name && area == pingan && i == 0 && want != nil {
							wantCounted := map[string][][]string{}
							if len(want) > 0 {
								wantCounted = map[string][][]string{"totals": {want}}
							}
							if d := cmp.Diff(wantCounted, counted); d != "" {
								t.Errorf("%s: the township's list total recounted (-want +got):\n%s", step, d)
							}
						}
					}
				}
			}
			if seen == 0 {
				t.Errorf("%s: nothing counted anywhere", step)
			}
		}
		household := func(id int64) *fupin.Household {
			t.Helper()
			h, err := db.Household(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		update := func(h *fupin.Household) *fupin.Household {
			t.Helper()
			out, err := db.UpdateHousehold(ctx, admin, h)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}

		check("start", nil)
		check("no write", []string{})

		h := household(w.households[tiantai][0])
		h.Type, h.PovertyAttr = "ordinary", ""
		h.ExitedOn, h.IdentifiedOn = fupin.Date{}, fupin.Date{}
		update(h)
		check("type and attribute changed in 天台村", []string{tiantai})

		// What no count reads advances no village (uncounted.go).
		h = household(w.households[wenchang][0])
		h.Phone = "13900001111"
		update(h)
		check("a phone number in 文昌村", []string{})
		h = household(w.households[wenchang][0])
		h.Address, h.NaturalVillage, h.Basics.Note, h.Land.Cultivated = "平安乡文昌村 3 组", "三组", "电话已核实", 2.5
		update(h)
		check("an address, a note and land in 文昌村", []string{})

		// A household whose stored verdict is stale (here made so by hand,
		// as a policy change not yet recomputed would) gets a new one from
		// the write's reassessment: a phone number then counts.
		stale := w.households[wenchang][2]
		for i, c := range []struct{ what, set string }{
			{"verdict", "pass = NOT pass"},
			{"per-capita income", "per_capita = 1"}, // the income bands count it
		} {
			if err := db.Exec(`UPDATE verdicts SET `+c.set+` WHERE household_id = $1`, stale); err != nil {
				t.Fatal(err)
			}
			if err := db.Exec(`INSERT INTO todo_changes (scope, n) VALUES ($1, 1) ON CONFLICT (scope) DO UPDATE SET n = todo_changes.n + 1`, wenchang); err != nil {
				t.Fatal(err)
			}
			check("a "+c.what+" made stale in 文昌村", []string{wenchang})
			h = household(stale)
			h.Phone = fmt.Sprintf("1390000222%d", i)
			update(h)
			check("a phone number that renews a stale "+c.what+" in 文昌村", []string{wenchang})
		}

		h = household(w.households[wenchang][1])
		h.MonitorType, h.MonitorIdentifiedOn = "unstable", fupin.NewDate(2025, 1, 10)
		h.Housing = fupin.Housing{Grade: "D"}
		update(h)
		check("monitored with an unsafe house in 文昌村", []string{wenchang})

		h = household(w.households[tiantai][2])
		h.VillageCode = wenchang
		update(h)
		check("moved from 天台村 to 文昌村", []string{tiantai, wenchang})

		third, err := db.CreateHousehold(ctx, admin, family(t, cizhu, 70))
		if err != nil {
			t.Fatal(err)
		}
		check("created in 茨竹村", []string{cizhu})
		lone, err := db.CreateHousehold(ctx, admin, family(t, cizhu, 75))
		if err != nil {
			t.Fatal(err)
		}
		check("another created in 茨竹村", []string{cizhu})
		lone.VillageCode = wenchang // unpaired: only the record before the write names 茨竹村
		update(lone)
		check("moved from 茨竹村 to 文昌村", []string{wenchang, cizhu})

		from := household(w.households[tiantai][3])
		sick := from.Members[1]
		sick.Health, sick.MedicalInsurance = "serious", "none"
		from, err = db.UpdateMember(ctx, admin, from.ID, sick.ID, sqlstore.MemberChange{Version: from.Version, Member: sick})
		if err != nil {
			t.Fatal(err)
		}
		check("a member without insurance in 天台村", []string{tiantai})
		mover := from.Members[2]
		must(db.LeaveMember(ctx, admin, from.ID, mover.ID, fupin.MemberLeave{Version: from.Version,
			LeftOn: fupin.NewDate(2025, 6, 1), Reason: "move_out"}))
		check("a member left 天台村", []string{tiantai})
		to := household(third.ID)
		mover.ID, mover.JoinReason, mover.JoinedOn = 0, "move_in", fupin.NewDate(2025, 6, 2)
		mover.LeftOn, mover.LeaveReason, mover.LeaveNote = fupin.Date{}, "", ""
		must(db.AddMember(ctx, admin, to.ID, sqlstore.MemberChange{Version: to.Version, Member: mover}))
		check("the member joined in 茨竹村", []string{cizhu})

		for i, id := range []int64{w.households[wenchang][2], w.households[tiantai][1]} {
			h := household(id)
			must(db.PutIncome(ctx, admin, id, 2024, fupin.IncomeInput{Version: h.Version, Wage: fupin.YuanToMoney(float64(3000 + 9000*i))}))
		}
		check("incomes of 2024 in 文昌村 and 天台村", []string{tiantai, wenchang})

		must(db.RecordVisit(ctx, admin, w.households[wenchang][3], aid.Visit{CadreID: w.secretary[wenchang].ID,
			VisitedOn: fupin.NewDate(2025, 6, 14), Kind: "home", FoodSecure: ptr(false)}))
		check("a visit finds a household short of food in 文昌村", []string{wenchang})
		must(db.PairHousehold(ctx, admin, w.households[tiantai][1], aid.PairingChange{CadreID: w.secretary[tiantai].ID,
			StartedOn: fupin.NewDate(2025, 6, 1)}))
		check("another helper paired in 天台村", []string{tiantai})

		// Writes that change nothing these counts read recount nothing.
		if _, err := db.RecordCheckIn(ctx, admin, aid.CheckIn{CadreID: w.secretary[tiantai].ID, AreaCode: tiantai}); err != nil {
			t.Fatal(err)
		}
		newInspection(t, db, "inspection", nil)
		newCadre(t, db, "李未结", 990)
		check("a check-in, an inspection and a cadre", []string{})

		// A monitoring case from opening to identification (household.monitor).
		clk := pinMonitor(db, fupin.NewDate(2025, 6, 16))
		c, err := db.OpenCase(ctx, villageActor, newCase(household(w.households[tiantai][3])))
		if err != nil {
			t.Fatal(err)
		}
		check("a case opened in 天台村", []string{tiantai})
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete", Participants: "村民代表 15 人", Result: "同意"})
		clk.add(5)
		c = act(t, db, villageActor, "village", c, sqlstore.CaseAction{Action: "complete"})
		c = act(t, db, townActor, "township", c, sqlstore.CaseAction{Action: "complete"})
		c, err = db.AddMeasure(ctx, villageActor, c.ID, c.Version, sqlstore.MonitorMeasure{Category: "employment",
			Content: "推荐到县内企业务工", Responsible: "帮扶干部", StartsOn: clk.day})
		if err != nil {
			t.Fatal(err)
		}
		c = act(t, db, countyActor, "county", c, sqlstore.CaseAction{Action: "complete"})
		if c.Stage != "monitored" || household(c.HouseholdID).MonitorType != "unstable" {
			t.Fatalf("case at %s", c.Stage)
		}
		check("the case identified in 天台村", []string{tiantai})
		rejected, err := db.OpenCase(ctx, wenchangActor, newCase(household(w.households[wenchang][3])))
		if err != nil {
			t.Fatal(err)
		}
		act(t, db, townActor, "township", rejected, sqlstore.CaseAction{Action: "reject", Reason: "不符合"})
		check("a case opened and rejected in 文昌村", []string{wenchang})

		must(nil, db.DeleteHousehold(ctx, admin, third.ID, household(third.ID).Version, "重复录入"))
		check("deleted in 茨竹村", []string{cizhu})

		// Imports, the policy and batch assessments advance every village.
		must(db.BulkLoad(ctx, admin, "household.import", demoHouseholds(5)))
		check("an import of new households", []string{pingan})
		changed := household(w.households[wenchang][0])
		changed.VillageCode, changed.Type, changed.PovertyAttr = cizhu, "ordinary", ""
		changed.ExitedOn, changed.IdentifiedOn = fupin.Date{}, fupin.Date{}
		must(db.BulkLoad(ctx, admin, "household.import", func(emit func(*fupin.Household) error) error { return emit(changed) }))
		if got := household(changed.ID); got.VillageCode != cizhu {
			t.Fatalf("the import left the household in %s", got.VillageCode)
		}
		check("an import moves a household from 文昌村 to 茨竹村", []string{pingan})
		if err := db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: pingan, Year: 2024, Key: criteria.KeyMonitoringLine, Value: "12000"}); err != nil {
			t.Fatal(err)
		}
		check("the monitoring line raised", []string{pingan})
		if n, err := db.ProcessRecomputeQueue(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil || n == 0 {
			t.Fatalf("recomputed %d: %v", n, err)
		}
		check("verdicts recomputed", []string{pingan})
		must(db.Assess(ctx, admin, pingan, 2025, nil))
		check("the year 2025 assessed", []string{pingan})
	})
}

// TestVillageMemoUnderConcurrentWrites reads the township's dashboard and
// list total while other goroutines move households between two villages
// and monitor them or stop, then checks that the memoised answers equal a
// fresh count: a count that overlapped a write is labelled with the
// version read before it, so the next request recounts that village.
func TestVillageMemoUnderConcurrentWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var ids []int64
		for i := 0; i < 6; i++ {
			h, err := db.CreateHousehold(ctx, admin, family(t, []string{tiantai, wenchang}[i%2], 10*i))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, h.ID)
		}
		const year = 2025
		var wg sync.WaitGroup
		done := make(chan struct{})
		for _, id := range ids[:3] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 8; i++ {
					h, err := db.Household(ctx, admin, id)
					if err != nil {
						t.Error(err)
						return
					}
					h.VillageCode = []string{wenchang, tiantai}[i%2]
					h.MonitorType, h.MonitorIdentifiedOn = "unstable", fupin.NewDate(2025, 1, 10)
					if i%2 == 1 {
						h.MonitorType, h.MonitorIdentifiedOn = "", fupin.Date{}
					}
					if _, err := db.UpdateHousehold(ctx, admin, h); err != nil && fupin.ErrorCode(err) != fupin.EConflict {
						t.Error(err)
						return
					}
				}
			}()
		}
		go func() { wg.Wait(); close(done) }()
		for reading := true; reading; {
			select {
			case <-done:
				reading = false
			default:
			}
			if _, err := db.Dashboard(ctx, townActor, pingan, year); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ListHouseholds(ctx, townActor, fupin.HouseholdFilter{Area: pingan, Monitored: true}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Dashboard(ctx, townActor, pingan, year)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := db.DashboardFresh(ctx, townActor, pingan, year)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(fresh, got); d != "" {
			t.Errorf("dashboard after concurrent writes differs from a fresh count (-fresh +cached):\n%s", d)
		}
		f := fupin.HouseholdFilter{Area: pingan, Monitored: true}
		page, err := db.ListHouseholds(ctx, townActor, f)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := db.HouseholdTotalFresh(ctx, townActor, f); err != nil || page.Total != n {
			t.Errorf("list total after concurrent writes %d, fresh %d (%v)", page.Total, n, err)
		}
	})
}
