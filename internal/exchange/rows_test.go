package exchange_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// A workbook whose person rows carry each person's own phone and 自然村:
// the phones become the members' (the household's is the 户主's), 自然村
// and 家庭住址 come from the 户主 row with a warning on the other rows, and
// nothing is rejected (every household of two or more people was).
func TestImportPerPersonHouseholdColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 10)
		rows := readAll(t, export(t, src, "csv"))
		hdr := rows[0]
		member := indexOf(hdr, "人联系电话")
		// A national file: no 人联系电话 column.
		rows = dropColumn(rows, member)
		phone, nat, no, rel := indexOf(rows[0], "联系电话"), indexOf(rows[0], "自然村"), indexOf(rows[0], "户编号"), indexOf(rows[0], "与户主关系")
		headPhone := map[string]string{}
		others := 0
		for i, r := range rows[1:] {
			if r[rel] == "户主" {
				headPhone[r[no]] = r[phone]
				continue
			}
			r[phone] = fmt.Sprintf("1370000%04d", i)
			r[nat] = "第" + fmt.Sprint(i) + "组"
			others++
		}
		if others == 0 {
			t.Fatal("the demo has no household of two or more")
		}
		res, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res.Job.State != "done" || res.Job.Written != 10 || len(res.Errors) != 0 {
			t.Fatalf("import: %+v %+v %v", res.Job, res.Errors, err)
		}
		if len(res.Warnings) != others || !strings.Contains(res.Warnings[0].Reason, "自然村") || res.Warnings[0].Column != "自然村" {
			t.Errorf("warnings: %d, want %d on 自然村: %+v", len(res.Warnings), others, res.Warnings)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			h, err := db.Household(ctx, admin, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if h.Phone != headPhone[h.HouseholdNo] {
				t.Errorf("%s: household phone %q, want the head's %q", h.HouseholdNo, h.Phone, headPhone[h.HouseholdNo])
			}
			for _, m := range h.Members {
				if m.Relation != "head" && m.Active() && !strings.HasPrefix(m.Phone, "1370000") {
					t.Errorf("%s: member %s phone %q, want their own row's", h.HouseholdNo, m.Name, m.Phone)
				}
			}
		}
	})
}

func dropColumn(rows [][]string, col int) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = append(append([]string(nil), r[:col]...), r[col+1:]...)
	}
	return out
}

// A capped error list says so: "前 N 处（共约 M 处）", and the errors left
// out are counted by column.
func TestImportErrorListCap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 30)
		rows := readAll(t, export(t, src, "csv"))
		col := indexOf(rows[0], "户类型")
		for _, r := range rows[1:] {
			r[col] = "乱写"
		}
		res, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{MaxErrors: 5})
		if err != nil || res.Job.State != "rejected" || len(res.Errors) != 5 || res.Job.Errors <= 5 {
			t.Fatalf("import: %+v %d %v", res.Job, len(res.Errors), err)
		}
		want := fmt.Sprintf("前 5 处（共约 %d 处）", res.Job.Errors)
		if !strings.Contains(res.Job.Message, want) {
			t.Errorf("message %q, want %q", res.Job.Message, want)
		}
		stored, err := db.ImportErrors(ctx, res.Job.ID, 100)
		if err != nil || len(stored) != 6 || !strings.Contains(stored[5].Reason, fmt.Sprintf("另有 %d 处", res.Job.Errors-5)) || stored[5].Column != "户类型" {
			t.Errorf("stored report: %+v %v", stored, err)
		}
	})
}

// Columns no field matches are listed in the report as not imported.
func TestImportListsUnknownColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 3)
		rows := readAll(t, export(t, src, "csv"))
		for i := range rows {
			v := "x"
			if i == 0 {
				v = "帮扶措施说明"
			}
			rows[i] = append(rows[i], v)
		}
		for _, dry := range []bool{true, false} {
			res, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{DryRun: dry})
			if err != nil || res.Job.State != "done" || len(res.Warnings) != 1 || res.Warnings[0].Column != "帮扶措施说明" || res.Warnings[0].Row != 1 {
				t.Errorf("dry run %v: %+v %+v %v", dry, res.Job, res.Warnings, err)
			}
		}
	})
}

// A file without some of Fupin's columns (a national list) updates what it
// carries and keeps what the registry holds in the others (every household
// was 'updated' and its housing area, dibao flags … blanked).
func TestImportKeepsColumnsTheFileLacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 20)
		rows := readAll(t, export(t, db, "csv"))
		before := export(t, db, "csv")
		for _, c := range []string{"住房面积", "低保", "家庭住址", "加入日期", "加入原因", "通宽带", "两不愁核查日期"} {
			rows = dropColumn(rows, indexOf(rows[0], c))
		}
		res, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res.Job.Unchanged != 20 || res.Job.Updated != 0 {
			t.Fatalf("file lacking columns: %+v %v", res.Job, err)
		}
		// A change in a column the file carries is still applied, and only it.
		phone := indexOf(rows[0], "联系电话")
		no := rows[1][indexOf(rows[0], "户编号")]
		for _, r := range rows[1:] {
			if r[indexOf(rows[0], "户编号")] == no {
				r[phone] = "13900002222"
			}
		}
		res, err = importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res.Job.Updated != 1 || res.Job.Unchanged != 19 {
			t.Fatalf("one phone changed: %+v %v", res.Job, err)
		}
		after := readAll(t, export(t, db, "csv"))
		want := readAll(t, before)
		pc := indexOf(want[0], "联系电话")
		for i, r := range want[1:] {
			if r[indexOf(want[0], "户编号")] == no {
				r[pc] = "13900002222"
			}
			if fmt.Sprint(r) != fmt.Sprint(after[i+1]) {
				t.Errorf("row %d after the import:\n got %q\nwant %q", i+2, after[i+1], r)
				break
			}
		}
	})
}
