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

// TestHouseholdMonitorTypeByPeriod checks the registry's monitor type
// against the categories in force for the household's village in the year
// it was identified: a 常态化 category dated in the transition period and a
// transition category dated after the township configured its own are
// refused with monitor_type named, nothing written; an old category with
// its old date stays valid; an edit that keeps the stored type and date is
// not refused when the list changed since.
func TestHouseholdMonitorTypeByPeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2))
		if err := db.SetMonitorCategories(ctx, townActor, monitor.CategoryRow{Area: pingan, Year: 2026, Codes: []string{"prevent", "dibao"}}); err != nil {
			t.Fatal(err)
		}
		create := func(base int, typ string, on fupin.Date, village string) (*fupin.Household, error) {
			h := family(t, village, base)
			h.MonitorType, h.MonitorIdentifiedOn, h.Risks = typ, on, []string{"illness"}
			return db.CreateHousehold(ctx, admin, h)
		}
		for _, tt := range []struct {
			name    string
			typ     string
			on      fupin.Date
			village string
			want    string // substring of the monitor_type message, "" when valid
		}{
			{"常态化 category in the transition period", "prevent", fupin.NewDate(2025, 6, 1), tiantai, "不适用于本地区 2025 年"},
			{"transition category after the township's list", "unstable", fupin.NewDate(2026, 1, 5), tiantai, "该年度适用：防止返贫致贫对象、低保对象"},
			{"transition category without a date", "unstable", fupin.Date{}, tiantai, "请填写监测识别时间"},
			{"常态化 category of another township's list", "prevent", fupin.NewDate(2026, 1, 5), "500236001001", "该年度适用：脱贫不稳定户"},
		} {
			before := countRows(t, db, "households")
			_, err := create(900, tt.typ, tt.on, tt.village)
			var fe *fupin.Error
			if !errors.As(err, &fe) || fe.Code != fupin.EInvalid || !strings.Contains(fe.Fields["monitor_type"], tt.want) {
				t.Errorf("%s: %v, want invalid monitor_type containing %q", tt.name, err, tt.want)
			}
			if n := countRows(t, db, "households"); n != before {
				t.Errorf("%s: households %d → %d, want nothing written", tt.name, before, n)
			}
		}
		old, err := create(910, "unstable", fupin.NewDate(2024, 5, 1), tiantai)
		if err != nil {
			t.Fatalf("a transition category identified in 2024: %v", err)
		}
		if _, err := create(920, "prevent", fupin.NewDate(2026, 2, 1), tiantai); err != nil {
			t.Fatalf("the township's 常态化 category in 2026: %v", err)
		}
		if _, err := create(930, "unstable", fupin.NewDate(2026, 2, 1), "500236001001"); err != nil {
			t.Fatalf("a transition category where no list is set: %v", err)
		}
		// The township's list changes after the household was entered.
		if err := db.SetMonitorCategories(ctx, townActor, monitor.CategoryRow{Area: pingan, Year: 2021, Codes: []string{"marginal"}}); err != nil {
			t.Fatal(err)
		}
		old.Address = "天台村 3 组"
		old, err = db.UpdateHousehold(ctx, admin, old)
		if err != nil || old.MonitorType != "unstable" {
			t.Fatalf("an edit keeping the stored type: %+v %v", old, err)
		}
		moved := *old
		moved.MonitorIdentifiedOn = fupin.NewDate(2024, 6, 1)
		if _, err := db.UpdateHousehold(ctx, admin, &moved); !hasField(err, "monitor_type") {
			t.Errorf("a new date in a year whose list lacks the type: %v, want invalid monitor_type", err)
		}
		if got, _ := db.Household(ctx, admin, old.ID); !got.MonitorIdentifiedOn.Equal(fupin.NewDate(2024, 5, 1)) || got.Version != old.Version {
			t.Errorf("after the refused edit: %s v%d, want 2024-05-01 v%d", got.MonitorIdentifiedOn, got.Version, old.Version)
		}
	})
}

// countRows counts a table's rows (a test's "nothing written" check).
func countRows(t *testing.T, db *sqlstore.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM `+table, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
