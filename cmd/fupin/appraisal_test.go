package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestAppraisalCommands draws a sampling round of the demo township from
// the command line, lists it, prints and writes its field sheet (with and
// without --mask) and its rates, checking the figures against the store.
func TestAppraisalCommands(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "rounds.db")
	if code := run(context.Background(), []string{"demo", "--db", dbPath, "--households", "120", "--seed", "3"}, noEnv, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	cmd := func(want int, args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), append(append([]string{"appraisal"}, args...), "--db", dbPath), noEnv, nil, &o, &e); code != want {
			t.Fatalf("appraisal %v: exit %d, want %d: %s%s", args, code, want, o.String(), e.String())
		}
		return o.String() + e.String()
	}
	out := cmd(0, "draw", "--area", "500236266", "--year", "2025", "--villages", "2", "--registered", "3", "--others", "1", "--seed", "42", "--name", "县级抽查")
	m := regexp.MustCompile(`抽查轮次 #(\d+)「县级抽查」.*随机种子 42，共抽中 (\d+) 户`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("draw: %q", out)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	db, err := sqlstore.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	sys := fupin.SystemActor("测试")
	sheet, err := db.RoundSheet(context.Background(), sys, id)
	if err != nil {
		t.Fatal(err)
	}
	if m[2] != strconv.Itoa(len(sheet)) || len(sheet) == 0 {
		t.Fatalf("draw says %s households, the store has %d", m[2], len(sheet))
	}
	if _, err := db.RecordResult(context.Background(), sys, id, sheet[0].HouseholdID, sqlstore.ResultIn{Result: appraisal.Result{Note: "核实无误"}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if out := cmd(0, "rounds"); !strings.Contains(out, "县级抽查") || !strings.Contains(out, "2/3/1") {
		t.Fatalf("rounds: %q", out)
	}
	if out := cmd(0, "sheet", m[1]); strings.Count(out, "\n") != len(sheet)+2 || !strings.Contains(out, sheet[0].HeadIDNumber) {
		t.Fatalf("sheet: %q", out)
	}
	if out := cmd(0, "rates", m[1]); !strings.Contains(out, "错退率") || !strings.Contains(out, "错退户数 ÷ 抽查的已退出户数") {
		t.Fatalf("rates: %q", out)
	}
	for _, mask := range []bool{false, true} {
		file := filepath.Join(t.TempDir(), "round.xlsx")
		args := []string{"sheet", m[1], "--out", file}
		if mask {
			args = append(args, "--mask")
		}
		out := cmd(0, args...)
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// No survey was set for the round, so there is no 群众认可度 sheet.
		if got := strings.Join(f.GetSheetList(), ","); got != "抽查轮次,现场核查表,抽查结果" || !strings.Contains(out, "3 张表") {
			t.Errorf("sheets %s, said %q", got, out)
		}
		rows, _ := f.GetRows("现场核查表")
		f.Close()
		if len(rows) != len(sheet)+1 || rows[1][3] != sheet[0].HeadName || rows[1][7] != "是" {
			t.Fatalf("现场核查表 %q", rows)
		}
		if shown := rows[1][4] == sheet[0].HeadIDNumber; shown == mask || rows[1][4] == "" {
			t.Errorf("--mask=%v: ID number cell %q (stored %s)", mask, rows[1][4], sheet[0].HeadIDNumber)
		}
	}
	if out := cmd(1, "draw", "--area", "500236266", "--year", "1999", "--seed", "1"); !strings.Contains(out, "year") {
		t.Fatalf("bad year: %q", out)
	}
	if out := cmd(1, "sheet", "x"); !strings.Contains(out, "抽查轮次编号") {
		t.Fatalf("bad id: %q", out)
	}
}
