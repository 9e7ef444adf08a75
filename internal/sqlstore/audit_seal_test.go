package sqlstore_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// A sealed log: two entries written before sealing (an upgraded database), three after,
// checkpointed. Every way of tampering someone with write access to the database (but not to
// the key or checkpoint files) has is reported.
func TestSealedAuditCatchesTruncationAndRechaining(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for i := range 2 {
			if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 100+10*i)); err != nil {
				t.Fatal(err)
			}
		}
		seal := sqlstore.AuditSeal{Key: []byte("0123456789abcdef0123456789abcdef"), Checkpoints: filepath.Join(t.TempDir(), "audit-checkpoints")}
		if err := db.SealAudit(ctx, seal); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 200+10*i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AuditCheckpoint(ctx); err != nil {
			t.Fatal(err)
		}
		n, prob, err := db.VerifyAudit(ctx)
		if err != nil || prob != nil || n != 5 {
			t.Fatalf("clean sealed chain: %d entries, %+v, %v", n, prob, err)
		}
		tests := []struct {
			name   string
			tamper func() error
			wantID int64
			want   string
		}{
			{"newest entry deleted", func() error { return db.Exec(`DELETE FROM audit_log WHERE id = 5`) }, 5, "最新的记录被删除"},
			{"newest two deleted", func() error { return db.Exec(`DELETE FROM audit_log WHERE id >= 4`) }, 5, "最新的记录被删除"},
			{"whole log deleted", func() error { return db.Exec(`DELETE FROM audit_log`) }, 2, "审计日志已被清空"},
			{"keyed entry edited, chain recomputed without the key", func() error {
				if err := db.Exec(`UPDATE audit_log SET actor = '别人' WHERE id = 4`); err != nil {
					return err
				}
				return db.RechainAudit(ctx, nil)
			}, 3, "记录内容被修改"},
			{"keyed entry edited, chain recomputed with another key", func() error {
				if err := db.Exec(`UPDATE audit_log SET actor = '别人' WHERE id = 4`); err != nil {
					return err
				}
				return db.RechainAudit(ctx, []byte("a key that is not the server's"))
			}, 1, "记录内容被修改"},
			{"entry before the seal edited, chain recomputed", func() error {
				if err := db.Exec(`UPDATE audit_log SET actor = '别人' WHERE id = 1`); err != nil {
					return err
				}
				return db.RechainAudit(ctx, nil) // entry 2's hash is in the first checkpoint
			}, 2, "哈希与检查点（文件第 1 行）不符"},
			{"reordered", func() error {
				return db.Exec(`UPDATE audit_log SET id = 1000 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = 4;
					UPDATE audit_log SET id = 4 WHERE id = 1000`)
			}, 3, ""},
			{"seal boundary moved in the database", func() error {
				return db.Exec(`UPDATE audit_meta SET value = '1000' WHERE key = 'unkeyed_through'`)
			}, 0, "密钥保护起点（audit_meta）被修改"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := db.Exec(`CREATE TABLE audit_backup AS SELECT * FROM audit_log`); err != nil {
					t.Fatal(err)
				}
				defer func() {
					db.Exec(`DELETE FROM audit_log`)
					db.Exec(`INSERT INTO audit_log SELECT * FROM audit_backup`)
					db.Exec(`DROP TABLE audit_backup`)
					db.Exec(`UPDATE audit_meta SET value = '2' WHERE key = 'unkeyed_through'`)
				}()
				if err := tt.tamper(); err != nil {
					t.Fatal(err)
				}
				_, prob, err := db.VerifyAudit(ctx)
				if err != nil || prob == nil || prob.ID != tt.wantID || !strings.Contains(prob.Reason, tt.want) {
					t.Errorf("verify after %s: %+v, %v; want a problem at entry %d saying %q", tt.name, prob, err, tt.wantID, tt.want)
				}
			})
		}
		if _, prob, err := db.VerifyAudit(ctx); err != nil || prob != nil {
			t.Fatalf("restored log: %+v, %v", prob, err)
		}

		// Reopening: another key is refused; a lost checkpoint file is refused; a
		// forged checkpoint line is reported.
		if err := db.Unseal(); err != nil {
			t.Fatal(err)
		}
		other := seal
		other.Key = []byte("fedcba9876543210fedcba9876543210")
		if err := db.SealAudit(ctx, other); err == nil || !strings.Contains(err.Error(), "审计密钥与此数据库记录时所用的密钥不同") {
			t.Errorf("seal with another key: %v", err)
		}
		moved := seal
		moved.Checkpoints += ".missing"
		if err := db.SealAudit(ctx, moved); err == nil || !strings.Contains(err.Error(), "缺失") {
			t.Errorf("seal without its checkpoint file: %v", err)
		}
		f, err := os.OpenFile(seal.Checkpoints, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("cp1 2 1 1 - 2026-01-01T00:00:00Z 00000000000000000000000000000000\n")
		f.Close()
		if err := db.SealAudit(ctx, seal); err == nil || !strings.Contains(err.Error(), "校验失败") {
			t.Errorf("seal with a forged checkpoint line: %v", err)
		}
	})
}

// The checkpoint file is created 0600 and gets a line per change of the log's head.
func TestAuditCheckpointFile(t *testing.T) {
	db := dbtest.SQLite(t)
	path := filepath.Join(t.TempDir(), "cp")
	if err := db.SealAudit(ctx, sqlstore.AuditSeal{Key: []byte("0123456789abcdef"), Checkpoints: path}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 100)); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second finds nothing new
		if err := db.AuditCheckpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if st.Mode().Perm() != 0o600 || strings.Count(string(b), "\n") != 2 || !strings.HasPrefix(string(b), "cp1 0 0 0 - ") {
		t.Errorf("checkpoint file %v:\n%s", st.Mode(), b)
	}
}

// The checkpoint loop runs on its own goroutine while a loader moves the
// store's clock (the demo walks its monitoring cases through past days by
// setting DB.Now): checkpoints are dated by the machine's clock, so the loop
// never reads DB.Now (under -race this test reported a data race when it did)
// and a checkpoint written meanwhile is not dated in the past.
func TestCheckpointsBesideAMovingStoreClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		cps := filepath.Join(t.TempDir(), "audit-checkpoints")
		seal := sqlstore.AuditSeal{Key: []byte("0123456789abcdef0123456789abcdef"), Checkpoints: cps, Interval: time.Millisecond}
		if err := db.SealAudit(ctx, seal); err != nil {
			t.Fatal(err)
		}
		real := db.Now
		t.Cleanup(func() { db.Now = real })
		past := time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
		for i := range 20 {
			db.Now = func() time.Time { return past.AddDate(0, 0, i) }
			if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 300+10*i)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(2 * time.Millisecond)
		}
		db.Now = real
		if err := db.AuditCheckpoint(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(cps)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) < 3 {
			t.Fatalf("%d checkpoints written while the clock moved, want the loop's as well: %q", len(lines), b)
		}
		for _, l := range lines {
			if strings.Contains(l, " 2024-03-") {
				t.Errorf("checkpoint dated by the moved store clock: %s", l)
			}
		}
	})
}
