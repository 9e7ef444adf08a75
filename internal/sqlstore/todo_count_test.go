package sqlstore_test

import (
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestTodoCountsEqualLists checks that the 待办 panel's overdue-visit and
// unpaired counts, which are counted from the needy households' index
// without listing them, equal the lists they link to, in each village, the
// township and nationally: households visited recently, long ago and
// exactly one interval ago (due today, not yet overdue), a village whose
// visit interval is set longer, an unpaired household never visited, and
// (second round) a paired household that needs no helper.
func TestTodoCountsEqualLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4) // ex-poor households paired on 2024-03-01; today 2025-06-15
		visit := func(hid int64, cadre *aid.Cadre, on fupin.Date) {
			t.Helper()
			if _, err := db.RecordVisit(ctx, admin, hid, aid.Visit{CadreID: cadre.ID, VisitedOn: on, Kind: "home"}); err != nil {
				t.Fatal(err)
			}
		}
		visit(w.households[tiantai][0], w.secretary[tiantai], fupin.NewDate(2025, 6, 10)) // due 2025-09-08
		visit(w.households[tiantai][1], w.secretary[tiantai], fupin.NewDate(2025, 3, 1))  // due 2025-05-30: overdue
		visit(w.households[tiantai][2], w.helper[tiantai], fupin.NewDate(2025, 3, 17))    // due today: not yet overdue
		if err := db.SetAidSetting(ctx, admin, aid.SettingRow{Area: wenchang, Key: "visit_days_ex_poor", Value: 366}); err != nil {
			t.Fatal(err)
		}
		visit(w.households[wenchang][0], w.secretary[wenchang], fupin.NewDate(2024, 7, 1)) // due 2025-07-02 there
		if _, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 60)); err != nil { // ex-poor, never paired
			t.Fatal(err)
		}
		who := sqlstore.TodoCaller{Role: "county", Principal: "user:1"}
		check := func(round string, want map[string]int) {
			t.Helper()
			for _, area := range []string{tiantai, wenchang, pingan, ""} {
				todo, err := db.Todo(ctx, admin, area, who)
				if err != nil {
					t.Fatal(err)
				}
				overdue, err := db.ListOverdueVisits(ctx, admin, area)
				if err != nil {
					t.Fatal(err)
				}
				unpaired, err := db.Unpaired(ctx, admin, area)
				if err != nil {
					t.Fatal(err)
				}
				if todo.OverdueVisits != len(overdue) || todo.Unpaired != unpaired.Total {
					t.Errorf("%s, area %q: todo overdue %d unpaired %d; lists %d and %d",
						round, area, todo.OverdueVisits, todo.Unpaired, len(overdue), unpaired.Total)
				}
				if sum, err := db.AidSummaryOf(ctx, admin, area); err != nil {
					t.Fatal(err)
				} else if sum.OverdueVisits != len(overdue) || sum.Unpaired != unpaired.Total {
					t.Errorf("%s, area %q: 帮扶力量 summary overdue %d unpaired %d; lists %d and %d",
						round, area, sum.OverdueVisits, sum.Unpaired, len(overdue), unpaired.Total)
				}
				if n, ok := want[area]; ok && len(overdue) != n {
					t.Errorf("%s, area %q: %d overdue, want %d", round, area, len(overdue), n)
				}
			}
		}
		check("needy only", map[string]int{tiantai: 2, wenchang: 4, pingan: 6})

		h := family(t, tiantai, 90)
		h.Type, h.PovertyAttr, h.IdentifiedOn, h.ExitedOn = "ordinary", "", fupin.Date{}, fupin.Date{}
		created, err := db.CreateHousehold(ctx, admin, h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PairHousehold(ctx, admin, created.ID, aid.PairingChange{CadreID: w.helper[tiantai].ID, StartedOn: fupin.NewDate(2024, 3, 1)}); err != nil {
			t.Fatal(err)
		}
		check("with a paired ordinary household", map[string]int{tiantai: 3, wenchang: 4, pingan: 7})
	})
}
