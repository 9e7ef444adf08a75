package exchange_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// monitoringHeader is the column list of the 防返贫监测对象 list.
var monitoringHeader = []string{"序号", "县(市、区、旗)", "乡(镇)", "行政村", "户编号", "姓名", "证件号码", "与户主关系", "人数",
	"监测对象类别", "风险类型1", "风险类型2", "风险类型3", "风险类型4", "风险类型5", "识别时间", "风险是否消除", "风险消除时间", "消除方式", "联系电话"}

// monitoringList projects a registry export onto the 防返贫监测对象 list: the
// current members of monitored households.
func monitoringList(t *testing.T, rows [][]string) (out [][]string, households map[string]bool) {
	t.Helper()
	h := rows[0]
	col := func(name string) int { return indexOf(h, name) }
	out = [][]string{monitoringHeader}
	households = map[string]bool{}
	for _, r := range rows[1:] {
		if r[col("监测对象类型")] == "" || r[col("减员日期")] != "" {
			continue
		}
		households[r[col("户编号")]] = true
		risks := strings.Split(r[col("致贫返贫风险")], "、")
		risks = append(risks, "", "", "", "", "")
		out = append(out, []string{itoa(len(out)), r[col("县")], r[col("乡(镇)")], r[col("行政村")], r[col("户编号")],
			r[col("姓名")], r[col("证件号码")], r[col("与户主关系")], r[col("人数")], r[col("监测对象类型")],
			risks[0], risks[1], risks[2], risks[3], risks[4], r[col("风险识别时间")], r[col("风险是否消除")],
			r[col("风险消除时间")], r[col("风险消除方式")], r[col("联系电话")]})
	}
	return out, households
}

// The 防返贫监测对象 list (no 户类型, risks in 风险类型1–5, 识别时间 for the
// monitoring date) imports: into an empty registry as monitored
// households, into the registry it came from as no change, and a changed
// risk updates only the risks.
func TestImportMonitoringList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 80)
		list, households := monitoringList(t, readAll(t, export(t, db, "csv")))
		if len(households) < 2 {
			t.Fatalf("the demo has %d monitored households", len(households))
		}
		fresh := dbtest.SQLite(t)
		res, err := importFile(t, fresh, writeCSV(t, list), exchange.ImportOptions{})
		if err != nil || res.Job.State != "done" || res.Job.Written != len(households) || len(res.Errors) != 0 {
			t.Fatalf("into an empty registry: %+v %+v %v", res.Job, res.Errors, err)
		}
		page, _ := fresh.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 100})
		for _, it := range page.Items {
			h, _ := fresh.Household(ctx, admin, it.ID)
			orig := findByNo(t, db, h.HouseholdNo)
			if h.MonitorType != orig.MonitorType || h.Type != orig.Type && orig.MonitorType != "sudden" ||
				strings.Join(h.Risks, ",") != strings.Join(orig.Risks, ",") || h.MonitorIdentifiedOn != orig.MonitorIdentifiedOn {
				t.Errorf("%s: imported %s/%s %v %s, registry %s/%s %v %s", h.HouseholdNo, h.Type, h.MonitorType, h.Risks,
					h.MonitorIdentifiedOn, orig.Type, orig.MonitorType, orig.Risks, orig.MonitorIdentifiedOn)
			}
		}
		res, err = importFile(t, db, writeCSV(t, list), exchange.ImportOptions{})
		if err != nil || res.Job.Unchanged != len(households) || res.Job.Updated != 0 {
			t.Fatalf("back into its registry: %+v %+v %v", res.Job, res.Errors, err)
		}
		no := list[1][4]
		before := findByNo(t, db, no)
		for _, r := range list[1:] {
			if r[4] == no {
				r[14] = "因意外事故"
			}
		}
		res, err = importFile(t, db, writeCSV(t, list), exchange.ImportOptions{})
		after := findByNo(t, db, no)
		if err != nil || res.Job.Updated != 1 || !strings.Contains(strings.Join(after.Risks, ","), "accident") ||
			jsonOf(after.Housing) != jsonOf(before.Housing) || jsonOf(after.Water) != jsonOf(before.Water) ||
			jsonOf(after.Members) != jsonOf(before.Members) {
			t.Fatalf("one risk added: %+v %v; before %+v after %+v", res.Job, err, before, after)
		}
	})
}

func findByNo(t *testing.T, db *sqlstore.DB, no string) *fupin.Household {
	t.Helper()
	page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Query: no, Limit: 5})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("household %s: %v", no, err)
	}
	h, err := db.Household(ctx, admin, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The import checks 监测对象类型 against the categories in force for the
// village in the year of its 风险识别时间, like the registry's own writes:
// re-importing the township's export after it configured the 常态化
// categories changes nothing and reports nothing (old types keep their
// years; a type stored with a 2026 date is kept as stored); a transition
// type newly dated 2026 is a problem on its 监测对象类型 cell and nothing is
// written.
func TestImportMonitorTypeByPeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 200)
		rows := readAll(t, export(t, db, "csv"))
		col := func(name string) int { return indexOf(rows[0], name) }
		typ, on, no, gone := col("监测对象类型"), col("风险识别时间"), col("户编号"), col("风险消除时间")
		// monitored[1] is one whose risk is not eliminated (a later 识别时间
		// does not pass the elimination date).
		var monitored []string
		for _, r := range rows[1:] {
			if r[typ] != "" && !slices.Contains(monitored, r[no]) && (len(monitored) != 1 || r[gone] == "") {
				monitored = append(monitored, r[no])
			}
		}
		if len(monitored) < 2 {
			t.Fatalf("the demo has %d monitored households", len(monitored))
		}
		// One household identified in 2026 while the transition list was in force.
		kept := findByNo(t, db, monitored[0])
		kept.MonitorIdentifiedOn = fupin.NewDate(2026, 1, 10)
		if _, err := db.UpdateHousehold(ctx, admin, kept); err != nil {
			t.Fatal(err)
		}
		if err := db.SetMonitorCategories(ctx, admin, monitor.CategoryRow{Area: "500236266", Year: 2026, Codes: []string{"prevent"}}); err != nil {
			t.Fatal(err)
		}
		rows = readAll(t, export(t, db, "csv"))
		res, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res.Job.State != "done" || len(res.Errors) != 0 || res.Job.Updated != 0 || res.Job.Unchanged != res.Job.Households {
			t.Fatalf("re-import of the unchanged export: %+v %+v %v", res.Job, res.Errors, err)
		}
		changed := map[int]bool{}
		for i, r := range rows[1:] {
			if r[no] == monitored[1] {
				r[on] = "2026-02-01"
				changed[i+2] = true
			}
		}
		before := findByNo(t, db, monitored[1])
		res, err = importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res.Job.State != "rejected" || len(res.Errors) == 0 {
			t.Fatalf("a transition type dated 2026: %+v %+v %v", res.Job, res.Errors, err)
		}
		for _, e := range res.Errors {
			if e.Column != "监测对象类型" || !changed[e.Row] || !strings.Contains(e.Reason, "不适用于本地区 2026 年（该年度适用：防止返贫致贫对象）") {
				t.Errorf("problem %+v, want one on the 监测对象类型 cell of rows %v", e, changed)
			}
		}
		if after := findByNo(t, db, monitored[1]); !after.MonitorIdentifiedOn.Equal(before.MonitorIdentifiedOn) || after.Version != before.Version {
			t.Errorf("after the rejected import: %s v%d, want %s v%d", after.MonitorIdentifiedOn, after.Version, before.MonitorIdentifiedOn, before.Version)
		}
	})
}
