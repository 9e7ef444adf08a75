package sqlstore_test

import (
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestMonitorCategoriesByArea checks categories as data by area × period:
// the transition categories until an area configures its own; from 2026 a
// township's list decides which category a new case may take; a case
// opened before keeps its category; the list of another year or area does
// not apply; only the actor's areas may be set.
func TestMonitorCategoriesByArea(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := pinMonitor(db, fupin.NewDate(2026, 3, 2))
		old := monitoredHousehold(t, db, 10)
		oldCase, err := db.OpenCase(ctx, villageActor, newCase(old))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetMonitorCategories(ctx, villageActor, monitor.CategoryRow{Area: pingan, Year: 2026, Codes: []string{"prevent"}}); code(err) != fupin.EForbidden {
			t.Errorf("a village sets its township's categories: %v, want forbidden", err)
		}
		if err := db.SetMonitorCategories(ctx, townActor, monitor.CategoryRow{Area: pingan, Year: 2025, Codes: []string{"prevent"}}); !hasField(err, "codes[0]") {
			t.Errorf("常态化 category before 2026: %v, want invalid codes[0]", err)
		}
		if err := db.SetMonitorCategories(ctx, townActor, monitor.CategoryRow{Area: pingan, Year: 2026, Codes: []string{"prevent", "sudden"}}); err != nil {
			t.Fatal(err)
		}
		v, err := db.MonitorCategoriesFor(ctx, villageActor, tiantai, 0)
		if err != nil || v.Year != 2026 || len(v.Effective) != 2 || v.Effective[0].Code != "prevent" || len(v.Rows) != 1 {
			t.Errorf("categories for 天台村 in 2026: %+v %v", v, err)
		}
		if v, _ := db.MonitorCategoriesFor(ctx, villageActor, tiantai, 2025); len(v.Effective) != 3 || v.Effective[0].Code != "unstable" {
			t.Errorf("categories for 2025: %+v", v.Effective)
		}
		if v, _ := db.MonitorCategoriesFor(ctx, countyActor, "500236001001", 2026); len(v.Effective) != 3 {
			t.Errorf("another township keeps the transition categories: %+v", v.Effective)
		}
		h := monitoredHousehold(t, db, 20)
		n := newCase(h)
		if _, err := db.OpenCase(ctx, villageActor, n); !hasField(err, "category") {
			t.Errorf("a transition category the township no longer uses: %v, want invalid category", err)
		}
		n.Category = "prevent"
		c, err := db.OpenCase(ctx, villageActor, n)
		if err != nil || c.Category != "prevent" {
			t.Fatalf("case with 防止返贫致贫对象: %+v %v", c, err)
		}
		if got, err := db.MonitorCase(ctx, villageActor, oldCase.ID); err != nil || got.Category != "unstable" {
			t.Errorf("the case opened before keeps its category: %+v %v", got, err)
		}
		if _, err := db.MonitorLimitsFor(ctx, villageActor, tiantai); err != nil {
			t.Errorf("limits beside the category rows: %v", err)
		}
		// Deleting the row: the transition categories again.
		if err := db.SetMonitorCategories(ctx, admin, monitor.CategoryRow{Area: pingan, Year: 2026}); err != nil {
			t.Fatal(err)
		}
		clk.add(1)
		if v, _ := db.MonitorCategoriesFor(ctx, villageActor, tiantai, 2026); len(v.Effective) != 3 || len(v.Rows) != 0 {
			t.Errorf("after deleting: %+v", v)
		}
	})
}
