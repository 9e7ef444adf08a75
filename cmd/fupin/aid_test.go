package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestAidDemoAndCommands loads the demo (with its aid forces) and runs the
// aid batch commands on it.
func TestAidDemoAndCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "aid.db")
	var out bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--db", db, "--households", "300", "--seed", "3"}, noEnv, nil, &out, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	if !strings.Contains(out.String(), "帮扶力量已写入：22 个成员单位") {
		t.Errorf("demo output lacks the aid forces: %q", out.String())
	}
	aid := func(args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), append(append([]string{"aid"}, args...), "--db", db), noEnv, nil, &o, &e); code != 0 {
			t.Fatalf("aid %v: exit %d %s", args, code, e.String())
		}
		return o.String()
	}
	if s := aid("unpaired", "--area", "500236266"); !strings.Contains(s, "未结对 0 户") {
		t.Errorf("every helped household of the demo is paired:\n%s", s)
	}
	if s := aid("alerts"); !strings.Contains(s, "驻乡工作队队长") {
		t.Errorf("the township team's term ends soon in the demo:\n%s", s)
	}
	if s := aid("report"); !strings.Contains(s, "驻村工作队") {
		t.Errorf("report:\n%s", s)
	}
	sheet := filepath.Join(dir, "交接清单.xlsx")
	aid("handover-sheet", "1", "--out", sheet)
	f, err := excelize.OpenFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("交接清单")
	if !strings.Contains(rows[0][0], "平安乡") || !strings.Contains(strings.Join(flatten(rows), " "), "结对农户") {
		t.Errorf("sheet rows = %v", rows)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
