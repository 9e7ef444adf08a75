package sqlstore

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// ErrBackupPostgres is returned by Backup on PostgreSQL, which is backed up by its own
// tools (pgBackRest with point-in-time recovery; see deploy/ in the repository).
var ErrBackupPostgres = errors.New("PostgreSQL 数据库请用 pgBackRest 或 pg_dump 备份（见 deploy/pgbackrest.conf.example），fupin backup 只用于 SQLite 文件")

// Backup writes a consistent copy of an SQLite database to path while the database keeps
// serving: VACUUM INTO reads one snapshot (a read transaction), so writers continue and the
// copy is exactly the database as of one commit. The copy is compact and has no WAL. path
// must not exist.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("备份文件 %s 已存在：请换一个文件名", path)
	}
	// A read connection: the writer is not held while the copy is made.
	if _, err := db.read.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		os.Remove(path)
		if IsDiskFull(err) {
			return fmt.Errorf("备份失败：磁盘空间不足（%s）", path)
		}
		return fmt.Errorf("备份失败：%w", err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity and foreign-key checks and reports the first
// problems found; on PostgreSQL it only checks that the database answers.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.dialect != SQLite {
		return db.read.PingContext(ctx)
	}
	rows, err := db.read.QueryContext(ctx, `PRAGMA integrity_check(20)`)
	if err != nil {
		return fmt.Errorf("完整性检查失败（文件不是 SQLite 数据库或已损坏）：%w", err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("完整性检查：%w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("完整性检查失败（文件不是 SQLite 数据库或已损坏）：%w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("完整性检查发现问题：%s", strings.Join(problems, "；"))
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&n); err != nil {
		return fmt.Errorf("外键检查：%w", err)
	}
	if n > 0 {
		return fmt.Errorf("外键检查发现 %d 处引用了不存在的记录", n)
	}
	return nil
}

// AppliedMigrations lists the migrations recorded in the database (none for a database
// that was never migrated).
func (db *DB) AppliedMigrations(ctx context.Context) ([]string, error) {
	var exists bool
	var q string
	if db.dialect == Postgres {
		q = `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations')`
	} else {
		q = `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')`
	}
	if err := db.read.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	if !exists {
		return nil, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MigrationPlan is what Migrate would do: the migrations not yet applied, and those the
// database has that this program does not know (it was made by a newer version).
type MigrationPlan struct {
	Applied []string
	Pending []string
	Unknown []string
}

// PlanMigrations compares the database's applied migrations with this program's.
func (db *DB) PlanMigrations(ctx context.Context) (MigrationPlan, error) {
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		return MigrationPlan{}, err
	}
	known, err := MigrationNames(db.dialect)
	if err != nil {
		return MigrationPlan{}, err
	}
	p := MigrationPlan{Applied: applied}
	for _, k := range known {
		if !slices.Contains(applied, k) {
			p.Pending = append(p.Pending, k)
		}
	}
	for _, a := range applied {
		if !slices.Contains(known, a) {
			p.Unknown = append(p.Unknown, a)
		}
	}
	return p, nil
}

// AuditHead returns the newest audit entry's id and the number of entries (0, 0 when the
// log is empty).
func (db *DB) AuditHead(ctx context.Context) (id, n int64, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0), COUNT(*) FROM audit_log`).Scan(&id, &n)
	if err != nil {
		return 0, 0, fmt.Errorf("read audit log: %w", err)
	}
	return id, n, nil
}

// TrimAuditCheckpoints writes to dst the lines of the checkpoint file src that cover audit
// entries up to id through (all of them verified with key), for a database restored from a
// copy that ends at that entry; the lines about later entries are left out and counted.
// src is not changed. A missing src gives an empty dst.
func TrimAuditCheckpoints(src, dst string, key []byte, through int64) (kept, dropped int, err error) {
	cps, err := readCheckpoints(src, key)
	if err != nil {
		return 0, 0, err
	}
	keep := map[int]bool{}
	for _, c := range cps {
		if c.id <= through {
			keep[c.line] = true
			kept++
		} else {
			dropped++
		}
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, 0, fmt.Errorf("审计检查点文件：%w", err)
	}
	w := bufio.NewWriter(out)
	if len(keep) > 0 {
		in, err := os.Open(src)
		if err != nil {
			out.Close()
			return 0, 0, fmt.Errorf("审计检查点文件：%w", err)
		}
		sc := bufio.NewScanner(in)
		for line := 1; sc.Scan(); line++ {
			if keep[line] {
				w.WriteString(sc.Text())
				w.WriteByte('\n')
			}
		}
		err = sc.Err()
		in.Close()
		if err != nil {
			out.Close()
			return 0, 0, fmt.Errorf("审计检查点文件：%w", err)
		}
	}
	err = w.Flush()
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("审计检查点文件：%w", err)
	}
	return kept, dropped, nil
}

// CheckpointWAL copies an SQLite database's write-ahead log into the main file and empties
// the log; nothing on PostgreSQL.
func (db *DB) CheckpointWAL(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	_, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// Pools returns the connection pools by name for metrics: "write" and, on SQLite, "read"
// and "scan".
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"write": db.write}
	}
	return map[string]*sql.DB{"write": db.write, "read": db.read, "scan": db.scan}
}

// RecomputeBacklog is the number of verdict recomputations waiting in the queue.
func (db *DB) RecomputeBacklog(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM recompute_queue WHERE done_at IS NULL`).Scan(&n)
	return n, err
}
