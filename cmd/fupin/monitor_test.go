package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestMonitorCommands runs the monitoring and calendar commands on a small
// demo database.
func TestMonitorCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "m.db")
	if code := run(context.Background(), []string{"demo", "--db", dbPath, "--households", "200", "--seed", "5"}, noEnv, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	cmd := func(want int, args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), append(args, "--db", dbPath), noEnv, nil, &o, &e); code != want {
			t.Fatalf("%v: exit %d, want %d: %s %s", args, code, want, o.String(), e.String())
		}
		return o.String() + e.String()
	}
	db, err := sqlstore.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	page, err := db.ListHouseholds(context.Background(), fupin.SystemActor("t"), fupin.HouseholdFilter{Limit: 1})
	db.Close()
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("households: %v", err)
	}
	h, err := openHousehold(dbPath, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "医保.csv")
	body := "身份证号,预警情况,日期\n" + h.Members[0].IDNumber + ",住院自付 3.2 万元,2025-01-02\n110105194912310021,坏号码,2025-01-02\n"
	if err := os.WriteFile(list, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if s := cmd(0, "monitor", "load-department", list, "--department", "医保"); !strings.Contains(s, "新增预警 1 条") || !strings.Contains(s, "第 3 行") {
		t.Errorf("first load:\n%s", s)
	}
	if s := cmd(0, "monitor", "load-department", list, "--department", "医保"); !strings.Contains(s, "此前已导入") {
		t.Errorf("second load:\n%s", s)
	}
	cmd(1, "monitor", "load-department", list, "--department", "银行")
	if s := cmd(0, "monitor", "alerts"); !strings.Contains(s, "住院自付") || !strings.Contains(s, "医保") {
		t.Errorf("alerts:\n%s", s)
	}
	if s := cmd(0, "monitor", "uncovered"); !strings.Contains(s, "共 ") {
		t.Errorf("uncovered:\n%s", s)
	}
	cmd(0, "monitor", "cases")
	cmd(0, "monitor", "eligible")
	if s := cmd(0, "calendar"); !strings.Contains(s, "国办发明电〔2024〕12号") {
		t.Errorf("calendar list:\n%s", s)
	}
	year := filepath.Join(dir, "2027.json")
	os.WriteFile(year, []byte(`{"year":2027,"notice":"测试通知","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-01","make_up":["2027-01-04"]}]}`), 0o600)
	if s := cmd(1, "calendar", "load", year); !strings.Contains(s, "make_up") {
		t.Errorf("a make-up Monday was accepted:\n%s", s)
	}
	os.WriteFile(year, []byte(`{"year":2027,"notice":"测试通知","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-01","make_up":[]}]}`), 0o600)
	cmd(0, "calendar", "load", year)
	if s := cmd(0, "calendar", "list"); !strings.Contains(s, "2027 年") {
		t.Errorf("2027 not listed:\n%s", s)
	}
}

func openHousehold(path string, id int64) (*fupin.Household, error) {
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Household(context.Background(), fupin.SystemActor("t"), id)
}

// TestMonitorDemoEveryStep: the demo that `serve --demo` writes (3,000
// households, seed 1) has a case in every stage, elimination steps
// included: a household that does not meet the elimination conditions stays
// monitored and the step goes to another one.
func TestMonitorDemoEveryStep(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "d.db")
	var out bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--db", dbPath, "--households", "3000", "--seed", "1"}, noEnv, nil, &out, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	db, err := sqlstore.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.MonitorCases(context.Background(), fupin.SystemActor("t"), sqlstore.CaseFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, c := range page.Items {
		seen[c.Stage]++
	}
	// Measures of the cases identified about 230 days ago come due within the month (待办 and 帮扶措施到期).
	if due, err := db.DueMeasures(context.Background(), fupin.SystemActor("t"), sqlstore.MeasureFilter{Due: "soon", Limit: 50}); err != nil || due.Total == 0 {
		t.Errorf("the demo has no measure coming due: %+v %v", due, err)
	}
	if page.Overdue == 0 || len(page.Items) == 0 || !page.Items[0].Overdue {
		t.Errorf("the demo has %d overdue steps (first case overdue: %v), want the overdue 入户核查 listed first", page.Overdue,
			len(page.Items) > 0 && page.Items[0].Overdue)
	}
	for _, st := range monitor.Stages.Items {
		if seen[st.Code] == 0 {
			t.Errorf("no demo case at %s (%s): %v\n%s", st.Code, st.Label, seen, out.String())
		}
	}
}
