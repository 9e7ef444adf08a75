package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The CLI seals the audit log of a new database: a key file (0600) and a checkpoint file
// appear beside it, and `audit verify` reports deleted newest entries and a deleted log.
func TestAuditVerifyCatchesTruncation(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "a.db")
	cli := func(stdin string, args ...string) (int, string) {
		var out bytes.Buffer
		code := run(context.Background(), append(args, "--db", dbPath), noEnv, strings.NewReader(stdin), &out, &out)
		return code, out.String()
	}
	for _, name := range []string{"zhang", "wang", "li"} {
		if code, out := cli("Vivid-Harbor-2047x\n", "user", "add", name, "--role", "township", "--area", "500236266", "--password-stdin"); code != 0 {
			t.Fatalf("user add: %d %s", code, out)
		}
	}
	if code, out := cli("", "audit", "verify"); code != 0 || !strings.Contains(out, "审计日志完整") {
		t.Fatalf("verify: %d %s", code, out)
	}
	st, err := os.Stat(dbPath + ".audit-key")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	if _, err := os.Stat(dbPath + ".audit-checkpoints"); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)`); err != nil {
		t.Fatal(err)
	}
	if code, out := cli("", "audit", "verify"); code != 1 || !strings.Contains(out, "最新的记录被删除") {
		t.Errorf("verify after deleting the newest entry: %d %s", code, out)
	}
	if _, err := raw.Exec(`DELETE FROM audit_log`); err != nil {
		t.Fatal(err)
	}
	if code, out := cli("", "audit", "verify"); code != 1 || !strings.Contains(out, "审计日志已被清空") {
		t.Errorf("verify after deleting the log: %d %s", code, out)
	}
	// A world-readable key file is refused.
	os.Chmod(dbPath+".audit-key", 0o644)
	if code, out := cli("", "audit", "verify"); code != 1 || !strings.Contains(out, "权限过宽") {
		t.Errorf("verify with a readable key file: %d %s", code, out)
	}
}
