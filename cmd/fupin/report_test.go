package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestReportPackCommand writes the demo township's pack live and from a
// snapshot and checks its sheets against the store: the household count
// of 总览 is the dashboard's (live) and the snapshot's; the findings are the
// ledger's; a pack without a chosen source is refused.
func TestReportPackCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "pack.db")
	if code := run(context.Background(), []string{"demo", "--db", dbPath, "--households", "120", "--seed", "3"}, noEnv, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	cmd := func(want int, args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), append(args, "--db", dbPath), noEnv, nil, &o, &e); code != want {
			t.Fatalf("%v: exit %d, want %d: %s%s", args, code, want, o.String(), e.String())
		}
		return o.String() + e.String()
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	sys := fupin.SystemActor("测试")
	dash, err := db.Dashboard(ctx, sys, "500236266", 2025)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := db.Findings(ctx, sys, sqlstore.FindingFilter{Area: "500236266", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	file := filepath.Join(t.TempDir(), "pack.xlsx")
	if out := cmd(0, "report", "pack", "--year", "2025", "--area", "500236266", "--live", "--out", file); !strings.Contains(out, "实时数据") || !strings.Contains(out, "8 张表") {
		t.Fatalf("live pack: %q", out)
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), ","); got != "说明,总览,核查比率,抽查轮次,群众认可度,问题整改,项目资金,项目资产" {
		t.Errorf("sheets %s", got)
	}
	cell := func(sheet, ref string) string {
		v, _ := f.GetCellValue(sheet, ref)
		return v
	}
	if cell("总览", "A2") != "在册农户" || cell("总览", "B2") != strconv.Itoa(dash.Total.Households) || dash.Total.Households != 120 {
		t.Errorf("总览 %s %s, dashboard %d", cell("总览", "A2"), cell("总览", "B2"), dash.Total.Households)
	}
	if cell("问题整改", "A3") != "已销号" || cell("问题整改", "B3") != strconv.Itoa(findings.Statuses["closed"]) {
		t.Errorf("问题整改 %s %s, ledger %v", cell("问题整改", "A3"), cell("问题整改", "B3"), findings.Statuses)
	}
	if cell("核查比率", "B2") != "错退户数 ÷ 抽查的已退出户数" {
		t.Errorf("核查比率 has no formula: %q", cell("核查比率", "B2"))
	}
	f.Close()

	if out := cmd(0, "snapshot", "--year", "2025", "--area", "500236", "--name", "年度基数"); !strings.Contains(out, "快照 #1") {
		t.Fatalf("snapshot: %q", out)
	}
	out := cmd(0, "report", "pack", "--year", "2025", "--area", "500236266", "--snapshot", "1")
	all := ""
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "全部农户" {
			all = f[1]
		}
	}
	if !strings.Contains(out, "快照 #1「年度基数」") || all != "120" {
		t.Fatalf("snapshot pack (全部农户 %q): %q", all, out)
	}
	if out := cmd(1, "report", "pack", "--year", "2025", "--area", "500236266"); !strings.Contains(out, "source") {
		t.Fatalf("no source: %q", out)
	}
	if out := cmd(1, "report", "pack", "--year", "2024", "--area", "500236266", "--snapshot", "1"); !strings.Contains(out, "snapshot_id") {
		t.Fatalf("snapshot of another year: %q", out)
	}
}
