package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAreaArgOneCheck runs every command that checks --area itself with a
// bad value: each refuses it with the one message naming the flag, before
// the database is opened (no file is made). A good value passes the check
// and the command reaches its database.
func TestAreaArgOneCheck(t *testing.T) {
	const msg = "--area 应为统计用区划代码或其前缀（只含数字，至多 12 位）"
	commands := [][]string{
		{"appraisal", "rounds"},
		{"appraisal", "draw", "--year", "2025"},
		{"ledger", "overdue"},
		{"ledger", "report", "--out", "x.xlsx"},
		{"snapshot", "--year", "2025"},
		{"snapshot", "list"},
	}
	for _, c := range commands {
		for _, area := range []string{"50023a", "5002362662010", "500 236", "５００２３６"} {
			t.Run(strings.Join(c, " ")+"/"+area, func(t *testing.T) {
				dbPath := filepath.Join(t.TempDir(), "area.db")
				var o, e bytes.Buffer
				args := append(append([]string{}, c...), "--area", area, "--db", dbPath)
				if code := run(context.Background(), args, noEnv, nil, &o, &e); code != 1 {
					t.Fatalf("exit %d, want 1: %s%s", code, o.String(), e.String())
				}
				if got := strings.TrimSpace(e.String()); got != "错误： "+msg {
					t.Fatalf("stderr %q, want the one --area message", got)
				}
				if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
					t.Fatalf("the database was opened before --area was checked (stat: %v)", err)
				}
			})
		}
	}
	for _, area := range []string{"", "50", "500236", "500236266201"} {
		if err := areaArg(area); err != nil {
			t.Errorf("areaArg(%q) = %v, want nil", area, err)
		}
	}
	// A good value gets past the check: the list opens (and makes) the database.
	dbPath := filepath.Join(t.TempDir(), "ok.db")
	var o, e bytes.Buffer
	if code := run(context.Background(), []string{"snapshot", "list", "--area", "500236", "--db", dbPath}, noEnv, nil, &o, &e); code != 0 {
		t.Fatalf("snapshot list --area 500236: exit %d: %s%s", code, o.String(), e.String())
	}
}
