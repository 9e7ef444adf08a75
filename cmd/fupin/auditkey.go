package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fupin/internal/sqlstore"
)

// envKey carries run's getenv to openDB, which every command calls.
type envKey struct{}

func withEnv(ctx context.Context, getenv func(string) string) context.Context {
	return context.WithValue(ctx, envKey{}, getenv)
}

func envFrom(ctx context.Context) func(string) string {
	if f, ok := ctx.Value(envKey{}).(func(string) string); ok {
		return f
	}
	return func(string) string { return "" }
}

// auditSealFor finds the audit key and checkpoint file of a database. The key is
// FUPIN_AUDIT_KEY when set, else the key file, created with mode 0600 at first start. The
// files sit beside an SQLite file (fupin.db.audit-key, fupin.db.audit-checkpoints); for
// PostgreSQL in FUPIN_AUDIT_DIR (default the working directory) as fupin-audit-key and
// fupin-audit-checkpoints. Both must be kept (and backed up) apart from the database.
func auditSealFor(dsn string, getenv func(string) string) (sqlstore.AuditSeal, error) {
	base := dsn + ".audit-"
	if sqlstore.IsPostgres(dsn) {
		base = filepath.Join(envOr(getenv, "FUPIN_AUDIT_DIR", "."), "fupin-audit") + "-"
	}
	seal := sqlstore.AuditSeal{Checkpoints: base + "checkpoints"}
	if k := getenv("FUPIN_AUDIT_KEY"); k != "" {
		if len(k) < 32 {
			return seal, errors.New("FUPIN_AUDIT_KEY 至少 32 个字符")
		}
		seal.Key = []byte(k)
		return seal, nil
	}
	key, err := loadOrCreateKey(base + "key")
	seal.Key = key
	return seal, err
}

// loadOrCreateKey reads a hex key file that only its owner may read, or creates one.
func loadOrCreateKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("创建审计密钥文件：%w", err)
		}
		_, err = f.WriteString(hex.EncodeToString(key) + "\n")
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("创建审计密钥文件：%w", err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("读取审计密钥文件：%w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("审计密钥文件 %s 的权限过宽（%v），其他用户可以读取：请执行 chmod 600", path, st.Mode().Perm())
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("审计密钥文件 %s 内容无效", path)
	}
	return key, nil
}
