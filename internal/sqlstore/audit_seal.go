package sqlstore

import (
	"bufio"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AuditSeal protects the audit log against someone who can write the database but not the
// server's files: entries are chained with HMAC-SHA256 under Key (kept outside the
// database), so a changed entry cannot be given a matching hash, and checkpoints (the
// number of entries and the newest entry's id and hash) are appended to the Checkpoints
// file, so that deleting the newest entries, or the whole log, is found by VerifyAudit.
type AuditSeal struct {
	// Key is the HMAC key, at least 16 bytes.
	Key []byte
	// Checkpoints is the path of the append-only checkpoint file.
	Checkpoints string
	// Interval is how often new entries are checkpointed (default 30 s); Close also
	// writes one.
	Interval time.Duration
}

// auditSeal is the sealing state of an open DB.
type auditSeal struct {
	AuditSeal
	// boundary is the id of the newest entry written before the log was sealed: entries
	// up to it keep their unkeyed SHA-256 chain, later ones are keyed.
	boundary int64
	mu       sync.Mutex
	lastID   int64 // newest entry id checkpointed by this process (or read from the file)
	stop     chan struct{}
	done     chan struct{}
}

// auditCheckpoint is one line of the checkpoint file.
type auditCheckpoint struct {
	line            int
	boundary, id, n int64
	hash            string
}

const auditKeyCheck = "fupin audit key check"

// keyCheck identifies a key without revealing it.
func keyCheck(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(auditKeyCheck))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// SealAudit keys the audit chain from now on and starts publishing checkpoints. Call it once,
// right after Migrate and before any write. On the first sealing of a database the newest
// existing entry becomes the boundary (older entries keep their unkeyed chain, and are pinned
// by the first keyed entry and the first checkpoint); the boundary and a check value of the
// key are recorded in the database (audit_meta) and in every checkpoint line. A key other
// than the one the database was sealed with is refused.
func (db *DB) SealAudit(ctx context.Context, s AuditSeal) error {
	if len(s.Key) < 16 {
		return errors.New("审计密钥至少 16 字节")
	}
	if s.Interval <= 0 {
		s.Interval = 30 * time.Second
	}
	meta, err := db.auditMeta(ctx)
	if err != nil {
		return err
	}
	if check, ok := meta["key_check"]; ok && check != keyCheck(s.Key) {
		return errors.New("审计密钥与此数据库记录时所用的密钥不同：请使用原密钥文件或 FUPIN_AUDIT_KEY")
	}
	cps, err := readCheckpoints(s.Checkpoints, s.Key)
	if err != nil {
		return err
	}
	seal := &auditSeal{AuditSeal: s, stop: make(chan struct{}), done: make(chan struct{})}
	b, haveMeta := meta["unkeyed_through"]
	if haveMeta && len(cps) == 0 {
		var keyed bool
		if err := db.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log WHERE id > $1)`, b).Scan(&keyed); err != nil {
			return fmt.Errorf("audit seal: %w", err)
		}
		if keyed {
			return fmt.Errorf("审计检查点文件 %s 缺失，而审计日志已有密钥保护的记录：请从备份恢复该文件（它应与数据库一同备份）", s.Checkpoints)
		}
	}
	switch {
	case len(cps) > 0: // the file outside the database is the authority
		seal.boundary = cps[0].boundary
		for _, c := range cps {
			seal.lastID = max(seal.lastID, c.id)
		}
	case haveMeta:
		if seal.boundary, err = strconv.ParseInt(b, 10, 64); err != nil {
			return fmt.Errorf("audit_meta unkeyed_through %q: %w", b, err)
		}
	default:
		if err := db.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&seal.boundary); err != nil {
			return fmt.Errorf("audit seal: %w", err)
		}
	}
	if !haveMeta {
		if _, err := db.write.ExecContext(ctx, `INSERT INTO audit_meta (key, value) VALUES ('unkeyed_through', $1), ('key_check', $2)`,
			strconv.FormatInt(seal.boundary, 10), keyCheck(s.Key)); err != nil {
			return fmt.Errorf("audit seal: %w", err)
		}
	}
	db.seal = seal
	if len(cps) == 0 {
		seal.lastID = -1 // the first checkpoint is written even for an empty log
	}
	if err := db.AuditCheckpoint(ctx); err != nil {
		db.seal = nil
		return err
	}
	go seal.run(db)
	return nil
}

func (db *DB) auditMeta(ctx context.Context) (map[string]string, error) {
	rows, err := db.write.QueryContext(ctx, `SELECT key, value FROM audit_meta`)
	if err != nil {
		return nil, fmt.Errorf("audit meta: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("audit meta: %w", err)
		}
		m[k] = v
	}
	return m, rows.Err()
}

func (s *auditSeal) run(db *DB) {
	defer close(s.done)
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			db.AuditCheckpoint(context.Background()) // a failure is retried at the next tick and at Close
		}
	}
}

// unseal stops the checkpoint loop and writes a last checkpoint.
func (db *DB) unseal() error {
	s := db.seal
	if s == nil {
		return nil
	}
	close(s.stop)
	<-s.done
	err := db.AuditCheckpoint(context.Background())
	db.seal = nil
	return err
}

// AuditCheckpoint appends a checkpoint of the audit log to the checkpoint file when entries
// were added since the last one. It does nothing when the log is not sealed.
func (db *DB) AuditCheckpoint(ctx context.Context) error {
	s := db.seal
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&id, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	if id == s.lastID {
		return nil
	}
	var n int64
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE id <= $1`, id).Scan(&n); err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	f, err := os.OpenFile(s.Checkpoints, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("审计检查点文件：%w", err)
	}
	// The checkpoint records when it was written by the machine's clock, not
	// the store's (DB.Now): the demo loader moves the store's clock back while
	// this runs on its own goroutine, and a checkpoint dated in the past would
	// misstate when the seal was taken.
	body := fmt.Sprintf("cp1 %d %d %d %s %s", s.boundary, id, n, orDash(hash), time.Now().UTC().Format(time.RFC3339))
	_, err = fmt.Fprintf(f, "%s %s\n", body, lineMAC(s.Key, body))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("审计检查点文件：%w", err)
	}
	s.lastID = id
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func lineMAC(key []byte, body string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// readCheckpoints reads the checkpoint file (none when it does not exist). A line whose MAC
// does not match was not written with this key: an error.
func readCheckpoints(path string, key []byte) ([]auditCheckpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("审计检查点文件：%w", err)
	}
	defer f.Close()
	var out []auditCheckpoint
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		bad := fmt.Errorf("审计检查点文件 %s 第 %d 行无效或校验失败（文件被修改，或密钥不是记录时所用的）", path, line)
		if len(fields) != 7 || fields[0] != "cp1" {
			return nil, bad
		}
		body := strings.Join(fields[:6], " ")
		if !hmac.Equal([]byte(fields[6]), []byte(lineMAC(key, body))) {
			return nil, bad
		}
		c := auditCheckpoint{line: line, hash: strings.TrimPrefix(fields[4], "-")}
		var e1, e2, e3 error
		c.boundary, e1 = strconv.ParseInt(fields[1], 10, 64)
		c.id, e2 = strconv.ParseInt(fields[2], 10, 64)
		c.n, e3 = strconv.ParseInt(fields[3], 10, 64)
		if e1 != nil || e2 != nil || e3 != nil {
			return nil, bad
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("审计检查点文件：%w", err)
	}
	return out, nil
}

// auditVerifier holds what VerifyAudit checks beyond the chain itself.
type auditVerifier struct {
	sealed   bool
	key      []byte
	boundary int64
	cps      []auditCheckpoint // by id
	j        int               // next checkpoint to meet
	problem  *AuditProblem     // found before the walk
}

func (db *DB) newAuditVerifier(ctx context.Context) (*auditVerifier, error) {
	v := &auditVerifier{}
	s := db.seal
	if s == nil {
		return v, nil
	}
	v.sealed, v.key, v.boundary = true, s.Key, s.boundary
	cps, err := readCheckpoints(s.Checkpoints, s.Key)
	if err != nil {
		v.problem = &AuditProblem{Reason: err.Error()}
		return v, nil
	}
	meta, err := db.auditMeta(ctx)
	if err != nil {
		return v, err
	}
	if got := meta["unkeyed_through"]; got != strconv.FormatInt(v.boundary, 10) {
		v.problem = &AuditProblem{Reason: fmt.Sprintf("数据库中记录的密钥保护起点（audit_meta）被修改：检查点文件记为第 %d 条之后，数据库中为「%s」", v.boundary, got)}
		return v, nil
	}
	for _, c := range cps {
		if c.boundary != v.boundary {
			v.problem = &AuditProblem{Reason: fmt.Sprintf("检查点文件第 %d 行的密钥保护起点与第 1 行不同", c.line)}
			return v, nil
		}
	}
	slices.SortStableFunc(cps, func(a, b auditCheckpoint) int { return cmp.Compare(a.id, b.id) })
	v.cps = cps
	return v, nil
}

// keyFor is the key entry id was chained with: nil for entries before the seal.
func (v *auditVerifier) keyFor(id int64) []byte {
	if v.sealed && id > v.boundary {
		return v.key
	}
	return nil
}

// entry checks the checkpoints up to entry id, the n-th, whose hash is hash.
func (v *auditVerifier) entry(id, n int64, hash string) *AuditProblem {
	for ; v.j < len(v.cps) && v.cps[v.j].id <= id; v.j++ {
		c := v.cps[v.j]
		switch {
		case c.id == 0: // checkpoint of an empty log
		case c.id < id:
			return &AuditProblem{ID: c.id, Reason: fmt.Sprintf("检查点（文件第 %d 行）记录的第 %d 条记录已被删除", c.line, c.id)}
		case c.hash != hash:
			return &AuditProblem{ID: id, Reason: fmt.Sprintf("哈希与检查点（文件第 %d 行）不符：记录被改写并重算了哈希链", c.line)}
		case c.n != n:
			return &AuditProblem{ID: id, Reason: fmt.Sprintf("到此为止的记录数与检查点（文件第 %d 行）不符：检查点记为 %d 条，现有 %d 条（更早的记录被删除或插入）", c.line, c.n, n)}
		}
	}
	return nil
}

// end checks the checkpoints after the last of the n entries: any is a deletion.
func (v *auditVerifier) end(n int64) *AuditProblem {
	for ; v.j < len(v.cps); v.j++ {
		c := v.cps[v.j]
		switch {
		case c.id == 0:
		case n == 0:
			return &AuditProblem{ID: c.id, Reason: fmt.Sprintf("审计日志已被清空：检查点（文件第 %d 行）记录有 %d 条，数据库中没有任何记录", c.line, c.n)}
		default:
			return &AuditProblem{ID: c.id, Reason: fmt.Sprintf("最新的记录被删除：检查点（文件第 %d 行）记录到第 %d 条、共 %d 条，数据库中只剩 %d 条", c.line, c.id, c.n, n)}
		}
	}
	return nil
}
