package exchange_test

import (
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// A department's list (民政: people with 低保; 残联: 残疾等级) sets that one
// fact on the registered people it names, leaves everything else as it
// is, reports people it does not find, and changes nothing the second time.
func TestImportDepartmentFactList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 20)
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 20, Sort: "id"})
		if err != nil {
			t.Fatal(err)
		}
		type pick struct {
			hid int64
			m   fupin.Member
		}
		var picks []pick
		for _, it := range page.Items {
			h, _ := db.Household(ctx, admin, it.ID)
			for _, m := range h.Members {
				if m.Active() && !m.Dibao && m.DisabilityGrade == 0 && len(picks) < 3 {
					picks = append(picks, pick{h.ID, m})
					break
				}
			}
		}
		if len(picks) < 3 {
			t.Fatal("not enough members to mark")
		}
		before := export(t, db, "csv")
		rows := [][]string{{"序号", "姓名", "性别", "证件号码", "行政村", "是否享受低保", "残疾等级"}}
		for i, p := range picks {
			rows = append(rows, []string{itoa(i + 1), p.m.Name, "", p.m.IDNumber, "", "是", "三级"})
		}
		rows = append(rows, []string{"9", "外来人", "", newID(900), "", "是", ""})
		res, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res.Job.State != "done" || res.Job.Updated != 3 || len(res.Errors) != 0 {
			t.Fatalf("list: %+v %+v %v", res.Job, res.Errors, err)
		}
		if len(res.Warnings) != 1 || res.Warnings[0].Row != 5 || res.Warnings[0].Column != "证件号码" {
			t.Errorf("warnings: %+v", res.Warnings)
		}
		for _, p := range picks {
			h, _ := db.Household(ctx, admin, p.hid)
			for _, m := range h.Members {
				if m.ID == p.m.ID && (!m.Dibao || m.DisabilityGrade != 3) {
					t.Errorf("%s: dibao %v, disability %d", m.Name, m.Dibao, m.DisabilityGrade)
				}
			}
			hist, _ := db.HouseholdHistory(ctx, admin, p.hid)
			if len(hist) == 0 || hist[0].ImportID != res.Job.ID {
				t.Errorf("history of #%d: %+v", p.hid, hist)
			}
		}
		// Only those cells changed in the registry's export.
		changed := 0
		a, b := readAll(t, before), readAll(t, export(t, db, "csv"))
		for i := range a {
			for j := range a[i] {
				if a[i][j] != b[i][j] {
					changed++
				}
			}
		}
		if changed == 0 || changed > 3*3 {
			t.Errorf("%d cells changed in the export, want the 低保, 残疾等级 (and 健康状况) cells of 3 people", changed)
		}
		again, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || again.Job.Updated != 0 {
			t.Errorf("again: %+v %v", again.Job, err)
		}
	})
}
