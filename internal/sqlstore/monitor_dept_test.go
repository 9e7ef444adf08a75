package sqlstore_test

import (
	"fmt"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestDepartmentListSizes matches a short list (each ID looked up) and a
// long one (the members table walked) with the same content: members of
// the loader's village match, a member of another village and IDs outside
// the registry are unmatched and listed in file order, a fact repeated in
// the file is one alert, and a second file with the same facts adds none.
func TestDepartmentListSizes(t *testing.T) {
	for _, size := range []int{40, sqlstore.DeptScanRows + 5} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				testDepartmentListSize(t, db, size)
			})
		})
	}
}

func testDepartmentListSize(t *testing.T, db *sqlstore.DB, size int) {
	pinMonitor(db, fupin.NewDate(2026, 3, 2))
	in, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 10))
	if err != nil {
		t.Fatal(err)
	}
	out, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 40))
	if err != nil {
		t.Fatal(err)
	}
	on := fupin.NewDate(2026, 2, 20)
	rows := make([]monitor.DeptRow, size)
	for i := range rows {
		// Outside the registry; the store takes ID numbers as the reader
		// validated them.
		rows[i] = monitor.DeptRow{Row: i + 2, IDNumber: fmt.Sprintf("9%017d", size-i), Fact: "住院自付", FactOn: on}
	}
	rows[1].IDNumber = in.Members[0].IDNumber
	rows[size/2].IDNumber = out.Members[0].IDNumber
	rows[size-3].IDNumber = in.Members[1].IDNumber
	rows[size-2] = rows[1] // the same fact twice in one file
	rows[size-2].Row = size
	got, err := db.LoadDepartmentList(ctx, villageActor, "medical", "医保3月.xlsx", sha64('d', size), rows)
	if err != nil {
		t.Fatal(err)
	}
	want := sqlstore.DeptLoad{FileID: got.FileID, Rows: size, Matched: 3, NewAlerts: 2, Unmatched: size - 3}
	if got != want {
		t.Errorf("load: got %+v, want %+v", got, want)
	}
	again, err := db.LoadDepartmentList(ctx, villageActor, "medical", "医保3月（复制）.xlsx", sha64('e', size), rows)
	if err != nil || again.NewAlerts != 0 || again.Matched != 3 {
		t.Errorf("same facts in another file: %+v %v", again, err)
	}
	page, err := db.MonitorAlerts(ctx, villageActor, sqlstore.AlertFilter{})
	if err != nil || page.Total != 2 {
		t.Fatalf("alerts: %+v %v", page, err)
	}
	for _, a := range page.Items {
		if a.HouseholdID != in.ID || a.VillageCode != tiantai || !a.FactOn.Equal(on) || a.Fact != "住院自付" {
			t.Errorf("alert %+v", a)
		}
	}
	// Newest first: the second file's unmatched IDs, from its last row back.
	un, err := db.MonitorUnmatched(ctx, villageActor, 0, 3)
	if err != nil || len(un) != 3 {
		t.Fatalf("unmatched: %+v %v", un, err)
	}
	for k, wantID := range []string{rows[size-1].IDNumber, rows[size-4].IDNumber, rows[size-5].IDNumber} {
		if un[k].IDNumber != wantID || un[k].FileID != again.FileID || un[k].Area != tiantai {
			t.Errorf("unmatched[%d] = %+v, want ID %s of file %d", k, un[k], wantID, again.FileID)
		}
	}
	if p, _ := db.MonitorAlerts(ctx, wenchangActor, sqlstore.AlertFilter{}); p.Total != 0 {
		t.Errorf("文昌村 sees %d alerts of 天台村's list", p.Total)
	}
}

func sha64(c byte, n int) string {
	return fmt.Sprintf("%c%063d", c, n)
}
