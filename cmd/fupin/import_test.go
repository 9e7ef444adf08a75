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
)

// Flags go before or after FILE; --help names FILE and the exit codes; a
// dry run that finds errors exits 2 like a rejected import.
func TestImportCommandLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := func(k string) string {
		if k == "FUPIN_DB" {
			return filepath.Join(dir, "f.db")
		}
		return ""
	}
	good := filepath.Join(dir, "good.csv")
	if code := run(ctx, []string{"demo", "--households", "8", "--out", good}, env, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("demo --out: %d", code)
	}
	var help bytes.Buffer
	if code := run(ctx, []string{"import", "--help"}, env, nil, io.Discard, &help); code != 0 || !strings.Contains(help.String(), "FILE") ||
		!strings.Contains(help.String(), "退出码") {
		t.Errorf("import --help: %d %q", code, help.String())
	}
	for _, args := range [][]string{
		{"import", "--dry-run", good},
		{"import", good, "--dry-run"},
		{"import", "--area", "500236266", "--dry-run", good},
		{"import", "--dry-run", good, "--area", "500236266"},
	} {
		var out, errOut bytes.Buffer
		if code := run(ctx, args, env, nil, &out, &errOut); code != 0 || !strings.Contains(out.String(), "仅检查") {
			t.Errorf("%q: exit %d, %s %s", args, code, out.String(), errOut.String())
		}
	}
	if code := run(ctx, []string{"import", good, "other.csv"}, env, nil, io.Discard, io.Discard); code != 2 {
		t.Errorf("two files: exit %d, want 2", code)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(raw), "\n", 3)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(lines[0]+"\n"+strings.Replace(lines[1], ",户主,", ",乱写,", 1)+"\n"+lines[2]), 0o600)
	for _, args := range [][]string{{"import", "--dry-run", bad}, {"import", bad}} {
		var out bytes.Buffer
		if code := run(ctx, args, env, nil, &out, io.Discard); code != 2 || !strings.Contains(out.String(), "[错误]") {
			t.Errorf("%q: exit %d, want 2: %s", args, code, out.String())
		}
	}
	var out bytes.Buffer
	if code := run(ctx, []string{"import", good}, env, nil, &out, io.Discard); code != 0 || !strings.Contains(out.String(), "新增 8 户") {
		t.Errorf("import: %d %s", code, out.String())
	}
	// The command's jobs are recorded with their final state.
	db, err := openQuiet(ctx, env("FUPIN_DB"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	jobs, err := db.ImportJobs(ctx, fupin.SystemActor("t"), "cli")
	if err != nil || len(jobs) != 7 || jobs[0].State != "done" || jobs[0].Written != 8 || jobs[1].State != "rejected" || jobs[2].State != "done" || !jobs[2].DryRun {
		t.Errorf("jobs: %+v %v", jobs, err)
	}
}
