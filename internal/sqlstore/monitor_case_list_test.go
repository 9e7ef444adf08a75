package sqlstore_test

import (
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestCaseListOverdueInSQL checks that the list's overdue cases, found by
// the database from date bounds, are exactly those the deadlines of each
// case (its village's limits, the working-day calendar) make overdue:
// they come first, then oldest step first; the counts agree; pages of 20
// put together are the whole list; the overdue filter and a page past the
// end keep the counts. Limits differ by township and by village.
func TestCaseListOverdueInSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		today := fupin.NewDate(2026, 2, 25) // just after the 2026 Spring Festival holiday
		pinMonitor(db, today)
		if _, err := db.BulkLoad(ctx, admin, "test", func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: 390, Seed: 4, Today: today}, emit)
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.SeedCases(ctx, 390, today); err != nil || n != 390 {
			t.Fatalf("seeded %d: %v", n, err)
		}
		for _, r := range []monitor.LimitRow{
			{Area: pingan, Key: "review", Value: 2}, {Area: pingan, Key: "township", Value: 3},
			{Area: tiantai, Key: "home_check", Value: 1}, {Area: tiantai, Key: "notice_days", Value: 9},
			{Area: tiantai, Key: "total", Value: 30}, {Area: "", Key: "county", Value: 2},
			{Area: tiantai, Key: "township", Value: monitor.NoLimit}, // 天台村 clears 平安乡's 3 days
		} {
			if err := db.SetMonitorLimit(ctx, admin, r); err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.MonitorCases(ctx, admin, sqlstore.CaseFilter{Area: "500236", Open: true, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total != len(all.Items) || all.Total < 300 {
			t.Fatalf("total %d, items %d", all.Total, len(all.Items))
		}
		late := 0
		for i, c := range all.Items {
			if c.Overdue {
				late++
			}
			if i == 0 {
				continue
			}
			p := all.Items[i-1]
			if !p.Overdue && c.Overdue {
				t.Fatalf("case %d (overdue, %s %s) after case %d (not overdue)", c.ID, c.Stage, c.VillageCode, p.ID)
			}
			if p.Overdue == c.Overdue && (c.StageStartedOn.Before(p.StageStartedOn) || c.StageStartedOn.Equal(p.StageStartedOn) && c.ID < p.ID) {
				t.Fatalf("case %d (%s) after case %d (%s)", c.ID, c.StageStartedOn, p.ID, p.StageStartedOn)
			}
		}
		if late != all.Overdue || late == 0 || late == all.Total {
			t.Fatalf("overdue: %d counted by the list, %d by the deadlines, of %d", all.Overdue, late, all.Total)
		}
		var paged []int64
		for off := 0; off < all.Total; off += 20 {
			p, err := db.MonitorCases(ctx, admin, sqlstore.CaseFilter{Area: "500236", Open: true, Offset: off})
			if err != nil || p.Total != all.Total || p.Overdue != all.Overdue {
				t.Fatalf("page at %d: %d/%d %v", off, p.Total, p.Overdue, err)
			}
			for _, c := range p.Items {
				paged = append(paged, c.ID)
			}
		}
		for i, c := range all.Items {
			if i >= len(paged) || paged[i] != c.ID {
				t.Fatalf("pages of 20 differ from the whole list at %d", i)
			}
		}
		only, err := db.MonitorCases(ctx, admin, sqlstore.CaseFilter{Area: "500236", Overdue: true, Limit: 500})
		if err != nil || only.Total != late || only.Overdue != late || len(only.Items) != late {
			t.Fatalf("overdue only: %d/%d/%d, want %d: %v", only.Total, only.Overdue, len(only.Items), late, err)
		}
		past, err := db.MonitorCases(ctx, admin, sqlstore.CaseFilter{Area: "500236", Open: true, Offset: all.Total + 5})
		if err != nil || past.Total != all.Total || past.Overdue != late || len(past.Items) != 0 {
			t.Fatalf("past the end: %+v %v", past, err)
		}
		village, err := db.MonitorCases(ctx, villageActor, sqlstore.CaseFilter{Open: true, Limit: 500})
		if err != nil || village.Total == 0 || village.Total >= all.Total {
			t.Fatalf("天台村's list: %d of %d: %v", village.Total, all.Total, err)
		}
		for _, c := range village.Items {
			if c.VillageCode != tiantai {
				t.Fatalf("天台村's list holds a case of %s", c.VillageCode)
			}
		}
	})
}

// TestCaseListNotesUnloadedYear: a step whose deadline runs into a year
// whose holidays are not loaded makes the list (and the 待办 count) say so,
// though the list no longer computes every case's due date; loading the
// year ends the note.
func TestCaseListNotesUnloadedYear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 12, 30))
		if _, err := db.OpenCase(ctx, villageActor, newCase(monitoredHousehold(t, db, 10))); err != nil {
			t.Fatal(err)
		}
		page, err := db.MonitorCases(ctx, townActor, sqlstore.CaseFilter{Open: true, Limit: 1})
		if err != nil || !strings.Contains(page.Note, "2027 年节假日安排未载入") || page.Items[0].DueNote != page.Note {
			t.Fatalf("list across into 2027: note %q, case %+v, %v", page.Note, page.Items, err)
		}
		if todo, err := db.MonitorTodo(ctx, townActor, ""); err != nil || todo.Note != page.Note {
			t.Errorf("todo note %q, want %q: %v", todo.Note, page.Note, err)
		}
		y := monitor.Year{Year: 2027, Notice: "国务院办公厅关于2027年部分节假日安排的通知（测试数据）", Holidays: []monitor.Holiday{
			{Name: "元旦", From: fupin.NewDate(2027, 1, 1), To: fupin.NewDate(2027, 1, 1), MakeUp: []fupin.Date{}}}}
		if err := db.SaveCalendarYear(ctx, admin, y); err != nil {
			t.Fatal(err)
		}
		if page, err := db.MonitorCases(ctx, townActor, sqlstore.CaseFilter{Open: true}); err != nil || page.Note != "" {
			t.Errorf("after loading 2027: note %q %v", page.Note, err)
		}
	})
}
