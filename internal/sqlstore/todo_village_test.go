package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/aid"
	"fupin/internal/appraisal"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestTodoCachedEqualsFresh writes in one village after another (a visit,
// a household made 应纳未纳, a move between villages, an unpaired household and its pairing, a
// case opened, a measure of it added and changed, a member changed and one
// moved from a household of one village to one of another, a household in
// a third village, a deletion, a check-in, a village's
// visit interval, the days passing; ledger, cadre, appraisal and public
// application writes in between) and checks after each that the 待办
// panel each area's user sees from the per-village memo equals the panel
// computed afresh and the lists its counts open, and that a write about
// one household recounts only the villages it touched.
func TestTodoCachedEqualsFresh(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4) // ex-poor households paired on 2024-03-01; today 2025-06-15
		const cizhu = "500236266208"
		var counted [][]string
		db.OnTodoCount(func(p []string) { counted = append(counted, slices.Clone(p)) })
		who := sqlstore.TodoCaller{Role: "county", Principal: "user:1"}
		areas := []string{pingan, tiantai, wenchang, cizhu, pingan[:6], ""} // the township first: villages share the memo
		check := func(step string, wantCounted []string) {
			t.Helper()
			counted = nil
			total := 0
			for _, area := range areas {
				got, err := db.Todo(ctx, admin, area, who)
				if err != nil {
					t.Fatal(err)
				}
				want := [][]string{wantCounted}
				if len(wantCounted) == 0 {
					want = nil
				}
				if area == pingan && wantCounted != nil && !cmp.Equal(counted, want) {
					t.Errorf("%s: the township panel counted %q, want only %q", step, counted, wantCounted)
				}
				fresh, err := db.TodoFresh(ctx, admin, area, who)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(fresh, got); d != "" {
					t.Errorf("%s, area %q: cached panel differs from a fresh count (-fresh +cached):\n%s", step, area, d)
				}
				overdue, err := db.ListOverdueVisits(ctx, admin, area)
				if err != nil {
					t.Fatal(err)
				}
				unpaired, err := db.Unpaired(ctx, admin, area)
				if err != nil {
					t.Fatal(err)
				}
				uncovered, err := db.MonitorUncovered(ctx, admin, area, 0, 1)
				if err != nil {
					t.Fatal(err)
				}
				if got.OverdueVisits != len(overdue) || got.Unpaired != unpaired.Total || got.Uncovered != uncovered.Total {
					t.Errorf("%s, area %q: panel overdue %d unpaired %d uncovered %d; lists %d, %d and %d", step, area,
						got.OverdueVisits, got.Unpaired, got.Uncovered, len(overdue), unpaired.Total, uncovered.Total)
				}
				total += got.OverdueVisits + got.Unpaired + got.Uncovered
				counted = nil
			}
			if total == 0 {
				t.Errorf("%s: nothing counted anywhere", step)
			}
		}
		check("start", nil)
		check("no write", []string{})

		if _, err := db.RecordVisit(ctx, admin, w.households[tiantai][1], aid.Visit{CadreID: w.secretary[tiantai].ID,
			VisitedOn: fupin.NewDate(2025, 6, 14), Kind: "home"}); err != nil {
			t.Fatal(err)
		}
		check("visit in 天台村", []string{tiantai})

		h, err := db.Household(ctx, admin, w.households[wenchang][0])
		if err != nil {
			t.Fatal(err)
		}
		h.Housing = fupin.Housing{Grade: "D"}
		if h, err = db.UpdateHousehold(ctx, admin, h); err != nil {
			t.Fatal(err)
		}
		check("unsafe housing in 文昌村", []string{wenchang})
		if u, _ := db.MonitorUncovered(ctx, admin, wenchang, 0, 1); u.Total == 0 {
			t.Fatalf("the D-grade house is not 应纳未纳: %+v", u)
		}

		// A monitoring object at risk is not 应纳未纳 whatever its verdict;
		// once its risk is eliminated it is again.
		watched, err := db.Household(ctx, admin, w.households[tiantai][0])
		if err != nil {
			t.Fatal(err)
		}
		watched.Housing = fupin.Housing{Grade: "D"}
		watched.MonitorType, watched.MonitorIdentifiedOn = "unstable", fupin.NewDate(2025, 1, 10)
		if watched, err = db.UpdateHousehold(ctx, admin, watched); err != nil {
			t.Fatal(err)
		}
		check("a monitoring object at risk with an unsafe house in 天台村", []string{tiantai})
		if u, _ := db.MonitorUncovered(ctx, admin, tiantai, 0, 1); u.Total != 0 {
			t.Fatalf("a monitoring object at risk is 应纳未纳: %+v", u)
		}
		watched.RiskEliminatedOn = fupin.NewDate(2025, 6, 1)
		if _, err = db.UpdateHousehold(ctx, admin, watched); err != nil {
			t.Fatal(err)
		}
		check("its risk eliminated", []string{tiantai})
		if u, _ := db.MonitorUncovered(ctx, admin, tiantai, 0, 1); u.Total == 0 {
			t.Fatalf("the unsafe house whose risk was eliminated is not 应纳未纳: %+v", u)
		}

		moved, err := db.Household(ctx, admin, w.households[tiantai][2])
		if err != nil {
			t.Fatal(err)
		}
		moved.VillageCode = wenchang
		if _, err := db.UpdateHousehold(ctx, admin, moved); err != nil {
			t.Fatal(err)
		}
		check("household moved from 天台村 to 文昌村", []string{tiantai, wenchang})

		newcomer, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 80))
		if err != nil {
			t.Fatal(err)
		}
		check("unpaired household in 文昌村", []string{wenchang})
		if _, err := db.PairHousehold(ctx, admin, newcomer.ID, aid.PairingChange{CadreID: w.helper[wenchang].ID,
			StartedOn: fupin.NewDate(2025, 6, 1)}); err != nil {
			t.Fatal(err)
		}
		check("paired in 文昌村", []string{wenchang})

		opened, err := db.OpenCase(ctx, admin, newCase(h))
		if err != nil {
			t.Fatal(err)
		}
		check("case opened in 文昌村", []string{wenchang})
		withMeasure, err := db.AddMeasure(ctx, admin, opened.ID, opened.Version, sqlstore.MonitorMeasure{Category: "health",
			Content: "大病救助", Responsible: "王帮扶", StartsOn: fupin.NewDate(2025, 6, 1), EndsOn: fupin.NewDate(2025, 12, 31), Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		check("a measure in 文昌村", []string{wenchang})
		m := withMeasure.Measures[0]
		m.Content = "大病救助、临时救助"
		if _, err := db.UpdateMeasure(ctx, admin, withMeasure.ID, withMeasure.Version, m.ID, m); err != nil {
			t.Fatal(err)
		}
		check("a measure changed in 文昌村", []string{wenchang})

		// A member: one changed, then one moved from a household of 天台村
		// to one of 文昌村 (迁出, then 迁入).
		from, err := db.Household(ctx, admin, w.households[tiantai][3])
		if err != nil {
			t.Fatal(err)
		}
		sick := from.Members[1]
		sick.Health = "serious"
		if from, err = db.UpdateMember(ctx, admin, from.ID, sick.ID, sqlstore.MemberChange{Version: from.Version, Member: sick}); err != nil {
			t.Fatal(err)
		}
		check("a member fell ill in 天台村", []string{tiantai})
		mover := from.Members[2]
		if _, err := db.LeaveMember(ctx, admin, from.ID, mover.ID, fupin.MemberLeave{Version: from.Version,
			LeftOn: fupin.NewDate(2025, 6, 1), Reason: "move_out"}); err != nil {
			t.Fatal(err)
		}
		check("a member moved out of 天台村", []string{tiantai})
		to, err := db.Household(ctx, admin, w.households[wenchang][3])
		if err != nil {
			t.Fatal(err)
		}
		mover.ID, mover.JoinReason, mover.JoinedOn = 0, "move_in", fupin.NewDate(2025, 6, 2)
		mover.LeftOn, mover.LeaveReason, mover.LeaveNote = fupin.Date{}, "", ""
		if _, err := db.AddMember(ctx, admin, to.ID, sqlstore.MemberChange{Version: to.Version, Member: mover}); err != nil {
			t.Fatal(err)
		}
		check("the member moved into 文昌村", []string{wenchang})

		third := family(t, cizhu, 70)
		third.Housing = fupin.Housing{Grade: "D"}
		created, err := db.CreateHousehold(ctx, admin, third)
		if err != nil {
			t.Fatal(err)
		}
		check("new household in 茨竹村", []string{cizhu})

		if err := db.DeleteHousehold(ctx, admin, created.ID, created.Version, "重复录入"); err != nil {
			t.Fatal(err)
		}
		check("household deleted in 茨竹村", []string{cizhu})

		if _, err := db.RecordCheckIn(ctx, admin, aid.CheckIn{CadreID: w.secretary[tiantai].ID, AreaCode: tiantai}); err != nil {
			t.Fatal(err)
		}
		check("a check-in in 天台村", []string{})

		// Writes that cannot change the three per-village counts recount
		// nothing: the ledger, a cadre, an appraisal round, a public
		// application (all advance the data or aid change counter).
		insp := newInspection(t, db, "inspection", nil)
		check("a ledger inspection", []string{})
		newFindingIn(t, db, insp.ID, "1", wenchang, fupin.NewDate(2025, 9, 30), w.households[wenchang][1])
		check("a ledger finding about a household in 文昌村", []string{})
		newCadre(t, db, "李未结", 990)
		check("a cadre added", []string{})
		if _, err := db.CreateRound(ctx, admin, appraisal.Round{AreaCode: pingan, Year: 2025,
			Rule: appraisal.SampleRule{Villages: 2, Registered: 2, Others: 1, Seed: 7}}); err != nil {
			t.Fatal(err)
		}
		check("an appraisal round", []string{})
		if _, err := db.SubmitApplication(ctx, "10.0.0.9", "", application(tiantai)); err != nil {
			t.Fatal(err)
		}
		check("a public application from 天台村", []string{})

		if err := db.SetAidSetting(ctx, admin, aid.SettingRow{Area: tiantai, Key: "visit_days_ex_poor", Value: 366}); err != nil {
			t.Fatal(err)
		}
		check("visit interval of 天台村", []string{pingan})

		db.Now = func() time.Time { return time.Date(2025, 9, 20, 2, 0, 0, 0, time.UTC) }
		check("three months later", []string{pingan})
	})
}
