package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"time"

	"fupin/internal/sqlstore"
)

// cmdBackup takes a consistent copy of an SQLite database while it serves.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("backup", "在服务运行时为 SQLite 数据库做一致的在线备份（VACUUM INTO：一个读事务内的快照，不阻塞写入）。\n审计密钥文件和检查点文件（fupin.db.audit-key、fupin.db.audit-checkpoints）须另行备份并与数据库分开保管。\nPostgreSQL 请用 pgBackRest（见 deploy/）。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件（FUPIN_DB）")
	out := fs.String("out", "", "备份文件路径（不能已存在）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "缺少 --out：备份文件路径")
		return errUsage
	}
	if sqlstore.IsPostgres(*dsn) {
		return sqlstore.ErrBackupPostgres
	}
	if _, err := os.Stat(*dsn); err != nil {
		return fmt.Errorf("数据库文件 %s 不存在", *dsn)
	}
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "备份完成：%s（%.1f MB，用时 %.1f 秒）\n", *out, float64(st.Size())/1e6, time.Since(start).Seconds())
	return nil
}

// cmdRestore replaces an SQLite database with a backup after checking the backup: SQLite
// integrity and foreign keys, migrations this program knows, and the audit chain under the
// target's key and checkpoints. Nothing is replaced when a check fails; the replaced files
// are kept beside the database.
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("restore", "用备份替换 SQLite 数据库。先检查备份（完整性与外键、迁移版本、审计哈希链与检查点），全部通过后才替换；\n被替换的数据库和检查点文件改名保留在原目录。须先停止使用该数据库的 fupin serve。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "要恢复的 SQLite 文件（FUPIN_DB）")
	from := fs.String("from", "", "备份文件（fupin backup 生成）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(stderr, "缺少 --from：备份文件路径")
		return errUsage
	}
	if sqlstore.IsPostgres(*dsn) {
		return errors.New("PostgreSQL 请用 pgBackRest 恢复（见 deploy/ 和 scripts/restore-drill.sh），fupin restore 只用于 SQLite 文件")
	}
	target := *dsn
	unlock, err := lockDatabase(target, true)
	if err != nil {
		return err
	}
	defer unlock()

	stamp := time.Now().UTC().Format("20060102T150405Z")
	tmp := target + ".restore-" + stamp
	if err := copyFile(*from, tmp); err != nil {
		return fmt.Errorf("读取备份 %s：%w", *from, err)
	}
	seal, err := auditSealFor(target, envFrom(ctx))
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("审计密钥：%w", err)
	}
	tmpCp := tmp + ".audit-checkpoints"
	rep, err := checkRestore(ctx, tmp, seal, tmpCp)
	if err != nil {
		os.Remove(tmp)
		os.Remove(tmpCp)
		return fmt.Errorf("备份未通过检查，数据库没有被替换：%w", err)
	}

	// Replace: the current database (after folding its WAL in) and checkpoint file are
	// renamed aside, then the checked copy and its trimmed checkpoints take their places.
	if _, err := os.Stat(target); err == nil {
		if err := checkpointWAL(ctx, target); err != nil {
			os.Remove(tmp)
			os.Remove(tmpCp)
			return err
		}
		aside := target + ".before-restore-" + stamp
		if err := os.Rename(target, aside); err != nil {
			os.Remove(tmp)
			os.Remove(tmpCp)
			return fmt.Errorf("替换数据库：%w", err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			os.Remove(target + suffix)
		}
		fmt.Fprintf(stdout, "原数据库已改名保留：%s\n", aside)
	}
	if _, err := os.Stat(seal.Checkpoints); err == nil {
		aside := seal.Checkpoints + ".before-restore-" + stamp
		if err := os.Rename(seal.Checkpoints, aside); err != nil {
			return fmt.Errorf("替换审计检查点文件：%w", err)
		}
		fmt.Fprintf(stdout, "原审计检查点文件已改名保留：%s\n", aside)
	}
	if err := os.Rename(tmpCp, seal.Checkpoints); err != nil {
		return fmt.Errorf("替换审计检查点文件：%w", err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("替换数据库：%w", err)
	}
	fmt.Fprintf(stdout, "恢复完成：%s ← %s\n", target, *from)
	fmt.Fprintf(stdout, "  完整性与外键检查通过；已执行迁移 %d 个，待执行 %d 个（下次启动时执行）\n", rep.applied, rep.pending)
	fmt.Fprintf(stdout, "  审计日志 %d 条，哈希链完整，与检查点一致", rep.audit)
	if rep.dropped > 0 {
		fmt.Fprintf(stdout, "；备份之后写入的审计记录不在恢复的数据库中（检查点文件中 %d 个较新的检查点已随原文件保留）", rep.dropped)
	}
	fmt.Fprintln(stdout)
	return nil
}

type restoreReport struct {
	applied, pending int
	audit            int
	dropped          int
}

// checkRestore checks the copy at path; cpOut receives the checkpoints that cover it.
func checkRestore(ctx context.Context, path string, seal sqlstore.AuditSeal, cpOut string) (restoreReport, error) {
	var rep restoreReport
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		return rep, fmt.Errorf("完整性检查：无法打开，文件不是 SQLite 数据库或已损坏（%w）", err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		return rep, err
	}
	plan, err := db.PlanMigrations(ctx)
	if err != nil {
		return rep, fmt.Errorf("读取迁移记录（文件不是 Fupin 数据库？）：%w", err)
	}
	if len(plan.Applied) == 0 {
		return rep, errors.New("文件中没有迁移记录：不是 Fupin 数据库")
	}
	if len(plan.Unknown) > 0 {
		return rep, fmt.Errorf("备份由更新版本的 Fupin 生成（本程序不认识迁移 %s）：请用该版本恢复", strings.Join(plan.Unknown, "、"))
	}
	rep.applied, rep.pending = len(plan.Applied), len(plan.Pending)
	head, _, err := db.AuditHead(ctx)
	if err != nil {
		return rep, err
	}
	_, rep.dropped, err = sqlstore.TrimAuditCheckpoints(seal.Checkpoints, cpOut, seal.Key, head)
	if err != nil {
		return rep, err
	}
	seal.Checkpoints = cpOut
	if err := db.SealAudit(ctx, seal); err != nil {
		return rep, fmt.Errorf("审计日志：%w（备份须用原数据库的审计密钥文件恢复）", err)
	}
	n, prob, err := db.VerifyAudit(ctx)
	if err != nil {
		return rep, err
	}
	if prob != nil {
		return rep, fmt.Errorf("审计日志第 %d 条（共检查 %d 条）：%s", prob.ID, n, prob.Reason)
	}
	rep.audit = n
	return rep, nil
}

// checkpointWAL folds an SQLite file's write-ahead log into the file, so that renaming the
// file alone keeps every committed write.
func checkpointWAL(ctx context.Context, path string) error {
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		return err
	}
	err = db.CheckpointWAL(ctx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("整理原数据库的预写日志：%w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}

// lockDatabase takes the lock file beside an SQLite database: shared for a server (several
// may share a file), exclusive for restore, which must not replace a file a server is using.
func lockDatabase(path string, exclusive bool) (func(), error) {
	if sqlstore.IsPostgres(path) {
		return func() {}, nil
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("数据库锁文件：%w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if exclusive {
			return nil, fmt.Errorf("数据库 %s 正在被 fupin serve 使用：请先停止服务再恢复", path)
		}
		return nil, fmt.Errorf("数据库 %s 正在恢复，请稍后再启动", path)
	}
	return func() { f.Close() }, nil
}

// backupBeforeMigrations copies an SQLite database that has pending migrations (and was
// migrated before, so holds data) to DB.before-NNNN_name.bak, so a failed or unwanted upgrade
// can be undone with fupin restore.
func backupBeforeMigrations(ctx context.Context, db *sqlstore.DB, dsn string, log *slog.Logger) error {
	if sqlstore.IsPostgres(dsn) {
		return nil
	}
	plan, err := db.PlanMigrations(ctx)
	if err != nil {
		return err
	}
	if len(plan.Unknown) > 0 {
		return fmt.Errorf("数据库由更新版本的 Fupin 迁移过（本程序不认识迁移 %s）：请使用该版本或更新的版本", strings.Join(plan.Unknown, "、"))
	}
	if len(plan.Applied) == 0 || len(plan.Pending) == 0 {
		return nil
	}
	out := dsn + ".before-" + strings.TrimSuffix(plan.Pending[0], ".sql") + ".bak"
	if _, err := os.Stat(out); err == nil {
		return nil // an earlier attempt of the same upgrade already saved the data
	}
	if err := db.Backup(ctx, out); err != nil {
		return fmt.Errorf("迁移前备份：%w", err)
	}
	log.Info("database copied before migrations", "backup", out, "pending", len(plan.Pending))
	return nil
}
