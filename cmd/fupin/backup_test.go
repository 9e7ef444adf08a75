package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// cliFor runs fupin commands against one SQLite file.
func cliFor(dbPath string) func(stdin string, args ...string) (int, string) {
	return func(stdin string, args ...string) (int, string) {
		var out bytes.Buffer
		code := run(context.Background(), append(args, "--db", dbPath), noEnv, strings.NewReader(stdin), &out, &out)
		return code, out.String()
	}
}

func countRows(t *testing.T, path, table string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s in %s: %v", table, path, err)
	}
	return n
}

// A backup taken while another connection keeps writing is one consistent snapshot:
// integrity holds, the audit chain verifies, and every user row has its audit entry.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	cli := cliFor(dbPath)
	if code, out := cli("Vivid-Harbor-2047x\n", "user", "add", "first", "--role", "township", "--area", "500236266", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s", code, out)
	}
	ctx := context.Background()
	db, err := openQuiet(withEnv(ctx, noEnv), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			if _, err := db.CreateUser(ctx, fupin.Actor{Name: "cli", Areas: []string{""}}, sqlstore.User{Username: fmt.Sprintf("u%04d", i), Role: "township", Areas: []string{"500236266"}}, "x"); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
			written.Add(1)
		}
	}()
	for deadline := time.Now().Add(time.Minute); written.Load() < 5 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // let the writer get going
	}
	out := filepath.Join(dir, "copy.db")
	if code, msg := cli("", "backup", "--out", out); code != 0 || !strings.Contains(msg, "备份完成") {
		t.Fatalf("backup: %d %s", code, msg)
	}
	stop.Store(true)
	wg.Wait()
	db.Close()
	if written.Load() < 6 {
		t.Fatalf("the writer did not keep writing during the backup (%d writes)", written.Load())
	}
	users, audits := countRows(t, out, "users"), countRows(t, out, "audit_log WHERE action = 'user.create'")
	if users != audits {
		t.Errorf("backup is not one snapshot: %d users but %d user.create audit entries", users, audits)
	}
	if users < 2 || users > countRows(t, dbPath, "users") {
		t.Errorf("backup has %d users, live database %d", users, countRows(t, dbPath, "users"))
	}
	// An existing file is never overwritten.
	if code, msg := cli("", "backup", "--out", out); code != 1 || !strings.Contains(msg, "已存在") {
		t.Errorf("backup over an existing file: %d %s", code, msg)
	}
}

// restore checks a backup before replacing anything: a damaged file, a file from a newer
// version, a rewritten audit log and a running server each leave the database untouched.
func TestRestoreChecksBeforeReplacing(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "main.db")
	cli := cliFor(dbPath)
	for _, name := range []string{"zhang", "wang"} {
		if code, out := cli("Vivid-Harbor-2047x\n", "user", "add", name, "--role", "township", "--area", "500236266", "--password-stdin"); code != 0 {
			t.Fatalf("user add: %d %s", code, out)
		}
	}
	good := filepath.Join(dir, "good.bak")
	if code, out := cli("", "backup", "--out", good); code != 0 {
		t.Fatalf("backup: %d %s", code, out)
	}
	// Work after the backup: a restore brings the database back to the backup.
	if code, out := cli("Vivid-Harbor-2047x\n", "user", "add", "li", "--role", "township", "--area", "500236266", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s", code, out)
	}
	db, err := openQuiet(withEnv(context.Background(), noEnv), dbPath) // writes a checkpoint for li
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	liveUsers := countRows(t, dbPath, "users")

	copyTo := func(name string, edit func(raw *sql.DB)) string {
		p := filepath.Join(dir, name)
		if err := copyFile(good, p); err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			raw, err := sql.Open("sqlite", p)
			if err != nil {
				t.Fatal(err)
			}
			edit(raw)
			raw.Close()
		}
		return p
	}
	garbage := filepath.Join(dir, "garbage.bak")
	os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 1000), 0o600)
	truncated := filepath.Join(dir, "truncated.bak")
	b, _ := os.ReadFile(good)
	os.WriteFile(truncated, b[:len(b)/2], 0o600)
	newer := copyTo("newer.bak", func(raw *sql.DB) {
		raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', '2030-01-01T00:00:00Z')`)
	})
	rewritten := copyTo("rewritten.bak", func(raw *sql.DB) {
		if _, err := raw.Exec(`UPDATE audit_log SET actor = 'someone-else' WHERE id = (SELECT MAX(id) FROM audit_log)`); err != nil {
			t.Fatal(err)
		}
	})
	cases := []struct{ name, file, want string }{
		{"not a database", garbage, "完整性检查"},
		{"cut in half", truncated, "备份未通过检查"},
		{"newer version", newer, "更新版本"},
		{"audit rewritten", rewritten, "审计日志"},
		{"missing file", filepath.Join(dir, "none.bak"), "读取备份"},
	}
	for _, c := range cases {
		code, out := cli("", "restore", "--from", c.file)
		if code != 1 || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d, %s (want exit 1 with %q)", c.name, code, out, c.want)
		}
		if n := countRows(t, dbPath, "users"); n != liveUsers {
			t.Errorf("%s: database changed by a refused restore: %d users, want %d", c.name, n, liveUsers)
		}
	}
	if matches, _ := filepath.Glob(dbPath + ".restore-*"); len(matches) > 0 {
		t.Errorf("refused restores left files: %v", matches)
	}

	// A running server (the shared lock serve takes) blocks a restore.
	unlock, err := lockDatabase(dbPath, false)
	if err != nil {
		t.Fatal(err)
	}
	if code, out := cli("", "restore", "--from", good); code != 1 || !strings.Contains(out, "正在被 fupin serve 使用") {
		t.Errorf("restore under a running server: %d %s", code, out)
	}
	unlock()

	code, out := cli("", "restore", "--from", good)
	if code != 0 || !strings.Contains(out, "恢复完成") || !strings.Contains(out, "较新的检查点") {
		t.Fatalf("restore: %d %s", code, out)
	}
	if n := countRows(t, dbPath, "users"); n != liveUsers-1 {
		t.Errorf("restored database has %d users, want %d (the backup's)", n, liveUsers-1)
	}
	for _, p := range []string{dbPath, dbPath + ".audit-checkpoints"} {
		if matches, _ := filepath.Glob(p + ".before-restore-*"); len(matches) != 1 {
			t.Errorf("replaced %s kept aside: %v", p, matches)
		}
	}
	if code, out := cli("", "audit", "verify"); code != 0 || !strings.Contains(out, "审计日志完整") {
		t.Errorf("audit verify after restore: %d %s", code, out)
	}
	// And the restored database works.
	if code, out := cli("Vivid-Harbor-2047x\n", "user", "add", "zhao", "--role", "township", "--area", "500236266", "--password-stdin"); code != 0 {
		t.Errorf("user add after restore: %d %s", code, out)
	}
	if code, out := cli("", "audit", "verify"); code != 0 {
		t.Errorf("audit verify after a write on the restored database: %d %s", code, out)
	}
}

// migrate --plan lists what would run; migrating a database that holds data copies it
// first; a database migrated by a newer version is refused.
func TestMigratePlanAndBackupBeforeMigrations(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "m.db")
	cli := cliFor(dbPath)
	if code, out := cli("Vivid-Harbor-2047x\n", "user", "add", "zhang", "--role", "township", "--area", "500236266", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s", code, out)
	}
	if code, out := cli("", "migrate", "--plan"); code != 0 || !strings.Contains(out, "没有待执行的迁移") {
		t.Errorf("plan on a current database: %d %s", code, out)
	}
	names, err := sqlstore.MigrationNames(sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	last := names[len(names)-1]
	raw, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	// Pretend the newest migration has not run yet (its statements are idempotent or not:
	// the plan and the copy are what is checked, not the migration itself).
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE name = $1`, last); err != nil {
		t.Fatal(err)
	}
	code, out := cli("", "migrate", "--plan")
	if code != 0 || !strings.Contains(out, "将执行 1 个迁移") || !strings.Contains(out, last) {
		t.Errorf("plan with one pending: %d %s", code, out)
	}
	bak := dbPath + ".before-" + strings.TrimSuffix(last, ".sql") + ".bak"
	if _, err := os.Stat(bak); err == nil {
		t.Fatal("--plan must not copy anything")
	}
	ctx := withEnv(context.Background(), noEnv)
	db, err := sqlstore.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := backupBeforeMigrations(ctx, db, dbPath, slog.New(slog.NewJSONHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if n := countRows(t, bak, "users"); n != 1 {
		t.Errorf("copy before migrating has %d users, want 1", n)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if code, out := cli("", "user", "list"); code != 1 || !strings.Contains(out, "更新版本") {
		t.Errorf("opening a database from a newer version: %d %s", code, out)
	}
}
