package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestSnapshotCommands takes two snapshots of the demo township, lists and
// compares them: nothing changed in between, so nothing moves and the second
// stores no new verdict version.
func TestSnapshotCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "snap.db")
	if code := run(context.Background(), []string{"demo", "--db", db, "--households", "120", "--seed", "3"}, noEnv, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	snap := func(want int, args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), append(append([]string{"snapshot"}, args...), "--db", db), noEnv, nil, &o, &e); code != want {
			t.Fatalf("snapshot %v: exit %d, want %d: %s", args, code, want, e.String())
		}
		return o.String() + e.String()
	}
	if out := snap(0, "--year", "2025", "--area", "500236266", "--name", "基数"); !strings.Contains(out, "快照 #1「基数」：500236266 2025 年度，120 户") ||
		!strings.Contains(out, "新写入 120 个核查结论版本") {
		t.Fatalf("first: %q", out)
	}
	if out := snap(0, "--year", "2025", "--area", "500236266"); !strings.Contains(out, "快照 #2") || !strings.Contains(out, "新写入 0 个") {
		t.Fatalf("second: %q", out)
	}
	if out := snap(0, "list"); !strings.Contains(out, "基数") || strings.Count(out, "500236266") != 2 {
		t.Fatalf("list: %q", out)
	}
	out := snap(0, "compare", "1", "2")
	if !strings.Contains(out, "全部农户") || !strings.Contains(out, "核查结论变化：0 户") {
		t.Fatalf("compare: %q", out)
	}
	if out := snap(1, "--year", "1999", "--area", "500236266"); !strings.Contains(out, "考核年度") {
		t.Fatalf("bad year: %q", out)
	}
}
