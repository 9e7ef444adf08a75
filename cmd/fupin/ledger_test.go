package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// TestLedgerDemoAndCommands loads the demo and runs the ledger commands:
// the demo inspection has findings in every status, one recurrence from
// the 回头看, and the 三单 lists them all.
func TestLedgerDemoAndCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ledger.db")
	var out bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--db", db, "--households", "200", "--seed", "2"}, noEnv, nil, &out, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	if !strings.Contains(out.String(), "整改台账已写入：1 次巡视 20 个问题，1 次回头看（1 个反弹问题），10 项重点工作") {
		t.Errorf("demo output lacks the ledger: %q", out.String())
	}
	t.Run("单位汇总排名", func(t *testing.T) { demoRollUpRanks(t, db) })
	t.Run("帮扶项目", func(t *testing.T) { demoProjects(t, db) })
	if !strings.Contains(out.String(), "帮扶项目已写入：5 个项目") {
		t.Errorf("demo output lacks the projects: %q", out.String())
	}
	ledgerCmd := func(args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), append(append([]string{"ledger"}, args...), "--db", db), noEnv, nil, &o, &e); code != 0 {
			t.Fatalf("ledger %v: exit %d %s", args, code, e.String())
		}
		return o.String()
	}
	sheet := filepath.Join(dir, "三单.xlsx")
	report := ledgerCmd("report", "--area", "500236266", "--out", sheet)
	m := regexp.MustCompile(`问题 (\d+) 个，已销号 (\d+)，已完成待验收 (\d+)，整改中 (\d+)，未启动 (\d+)，长期坚持 (\d+)；未销号中已超期 (\d+)`).FindStringSubmatch(report)
	if m == nil || m[1] != "21" {
		t.Fatalf("report: %s", report)
	}
	for i, name := range []string{"已销号", "已完成待验收", "整改中", "未启动", "长期坚持", "已超期"} {
		if m[i+2] == "0" {
			t.Errorf("the demo has no finding %s: %s", name, report)
		}
	}
	f, err := excelize.OpenFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range []string{"问题清单", "责任清单", "整改清单"} {
		if rows, _ := f.GetRows(s); len(rows) != 22 {
			t.Errorf("%s: %d rows, want 22", s, len(rows))
		}
	}
	if s := ledgerCmd("overdue"); !strings.Contains(s, "已超期") || !strings.Contains(s, "乡镇指挥部办公室") {
		t.Errorf("overdue:\n%s", s)
	}
	feedback := filepath.Join(dir, "反馈.csv")
	if err := os.WriteFile(feedback, []byte("序号,问题描述,所在村,牵头单位,整改时限\nA1,断水,天台村,乡水利站,2025-12-01\nA2,断水,无此村,乡水利站,2025-12-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var o, e bytes.Buffer
	if code := run(context.Background(), []string{"ledger", "import", feedback, "--inspection", "1", "--db", db}, noEnv, nil, &o, &e); code != 1 ||
		!strings.Contains(o.String(), "!C3") {
		t.Errorf("import of a bad file: exit %d %s %s", code, o.String(), e.String())
	}
	os.WriteFile(feedback, []byte("序号,问题描述,所在村,牵头单位,整改时限\nA1,断水,天台村,乡水利站,2025-12-01\n"), 0o644)
	if s := ledgerCmd("import", feedback, "--inspection", "1"); !strings.Contains(s, "已导入 1 个问题") {
		t.Errorf("import: %s", s)
	}
	e.Reset()
	if code := run(context.Background(), []string{"ledger", "report", "--db", db}, noEnv, nil, io.Discard, &e); code != 1 || !strings.Contains(e.String(), "--out") {
		t.Errorf("report without --out: exit %d %s", code, e.String())
	}
}

// demoRollUpRanks checks the units' roll-up over the demo: the aid group's
// 22 member units are there, lead findings and tasks, and do not all rank
// equal; the first secretaries answer for their villages' open findings.
func demoRollUpRanks(t *testing.T, path string) {
	ctx := context.Background()
	db, err := openQuiet(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	duty, err := db.Responsibility(ctx, fupin.SystemActor("测试"), demo.TownshipCode)
	if err != nil {
		t.Fatal(err)
	}
	ranks := map[int]bool{}
	members, leading := 0, 0
	for _, u := range duty.Units {
		ranks[u.Rank] = true
		if len(u.Villages) > 0 {
			members++
			if u.FindingsOpen+u.FindingsClosed+u.Tasks > 0 {
				leading++
			}
		}
	}
	if members < 22 || leading < 22 {
		t.Errorf("%d member units, %d of them lead findings or tasks; want 22", members, leading)
	}
	linked := 0
	for _, p := range duty.People {
		linked += p.FindingsOpen
	}
	if linked == 0 {
		t.Errorf("no cadre of the 责任清单 answers for an open demo finding: %+v", duty.People)
	}
	if len(ranks) < 3 {
		t.Errorf("the roll-up ranks %d units in %d places, want differences: %+v", len(duty.Units), len(ranks), duty.Units)
	}
}

// demoProjects: the demo's projects cover every status, one is overdue,
// the roll-up's payments equal the projects' own, and the accepted
// project's asset is registered with this year's check.
func demoProjects(t *testing.T, path string) {
	ctx := context.Background()
	db, err := openQuiet(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	actor := fupin.SystemActor("测试")
	page, err := db.Projects(ctx, actor, sqlstore.ProjectFilter{Area: demo.TownshipCode, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	statuses, overdue := map[string]int{}, 0
	var spent fupin.Money
	for _, p := range page.Items {
		statuses[p.Status]++
		spent += p.Spent
		if p.Overdue {
			overdue++
		}
	}
	for _, st := range []string{project.StatusPlan, project.StatusApproved, project.StatusBuilding, project.StatusAccepted} {
		if statuses[st] == 0 {
			t.Errorf("no demo project in status %s: %v", st, statuses)
		}
	}
	if overdue != 1 {
		t.Errorf("overdue demo projects = %d, want 1", overdue)
	}
	roll, err := db.ProjectRollup(ctx, actor, sqlstore.ProjectFilter{Area: demo.TownshipCode})
	if err != nil {
		t.Fatal(err)
	}
	if roll.Projects != len(page.Items) || roll.Spent != spent || spent == 0 || roll.SpendRate <= 0 || roll.SpendRate >= 1 || roll.Households == 0 {
		t.Errorf("roll-up %+v, projects %d paid %d", roll, len(page.Items), spent)
	}
	reg, err := db.Assets(ctx, actor, demo.TownshipCode, time.Now().Year())
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Items) != 1 || reg.Unchecked != 0 || reg.Shared == 0 || reg.Shared > reg.Income {
		t.Errorf("asset register %+v", reg)
	}
}
