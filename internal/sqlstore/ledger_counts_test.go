package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// TestLedgerKeptCountsEqualFresh: after every kind of write to findings
// (a bulk load, the store's actions, raw SQL on each counted column, a
// change of an uncounted column, deletes, concurrent writers), the counts
// kept by migration 0032's triggers equal a fresh count of the findings
// for every filter, and no kept row is left at zero.
func TestLedgerKeptCountsEqualFresh(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		insp := newInspection(t, db, "inspection", nil)
		other := newInspection(t, db, "supervision", nil)
		town := fupin.Actor{Name: "乡镇", Areas: []string{pingan}}
		check := func(step string) {
			t.Helper()
			total := 0
			for _, c := range []struct {
				actor fupin.Actor
				f     sqlstore.FindingFilter
			}{
				{admin, sqlstore.FindingFilter{}},
				{town, sqlstore.FindingFilter{}},
				{admin, sqlstore.FindingFilter{Area: pingan, InspectionID: other.ID}},
				{town, sqlstore.FindingFilter{Category: "water"}},
				{town, sqlstore.FindingFilter{Category: "funds", InspectionID: insp.ID}},
			} {
				kept, fresh, empty, err := db.LedgerCountCells(ctx, c.actor, c.f)
				if err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				if fmt.Sprint(kept) != fmt.Sprint(fresh) {
					t.Errorf("%s, %+v: kept %v, fresh %v", step, c.f, kept, fresh)
				}
				if empty != 0 {
					t.Errorf("%s: %d kept rows at zero or below", step, empty)
				}
				for _, n := range fresh {
					total += n
				}
			}
			if total == 0 {
				t.Fatalf("%s: nothing counted", step)
			}
		}
		if err := db.SeedFindings(ctx, insp.ID, []string{tiantai, wenchang}, 300); err != nil {
			t.Fatal(err)
		}
		check("bulk load")
		f := newFindingIn(t, db, insp.ID, "A1", tiantai, fupin.NewDate(2025, 6, 20))
		if _, err := db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: other.ID, Number: "B1", Category: "funds",
			Description: "资金拨付滞后", AreaCode: pingan, LeadUnit: "乡财政所", Kind: ledger.KindLongTerm}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := actFinding(t, db, "tiantai", ledger.RoleVillage, f, ledger.ActStart, ""); err != nil {
			t.Fatal(err)
		}
		check("store writes")
		for _, step := range []string{
			`UPDATE ledger_findings SET status = 'closed' WHERE id % 7 = 0`,
			`UPDATE ledger_findings SET deadline = NULL WHERE id % 11 = 0`,
			`UPDATE ledger_findings SET deadline = '2025-06-30' WHERE id % 13 = 0`,
			`UPDATE ledger_findings SET area_code = '` + pingan + `' WHERE id % 17 = 0`,
			`UPDATE ledger_findings SET category = 'funds' WHERE id % 5 = 1`,
			`UPDATE ledger_findings SET inspection_id = ` + fmt.Sprint(other.ID) + ` WHERE id % 3 = 0`,
			`UPDATE ledger_findings SET description = description || '。' WHERE id % 2 = 0`,
			`UPDATE ledger_findings SET status = 'in_progress', deadline = '2025-07-01' WHERE status = 'not_started' AND id % 4 = 0`,
			`DELETE FROM ledger_findings WHERE id % 19 = 0 AND number <> 'A1'`,
		} {
			if err := db.Exec(step); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			check(step)
		}
		// Writers of the same counted keys at once, one finding each.
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 5; i++ {
					st := []string{"pending", "in_progress"}[i%2]
					errs <- db.Exec(`UPDATE ledger_findings SET status = $1 WHERE id = $2`, st, 20+w*10+i)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		check("concurrent writers")
		if err := db.Exec(`DELETE FROM ledger_findings WHERE number <> 'A1' AND id NOT IN (SELECT finding_id FROM ledger_steps)`); err != nil {
			t.Fatal(err)
		}
		check("most deleted")
	})
}
