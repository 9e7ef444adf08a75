package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// AuditEntry is one recorded write: who, when, what, and the record before
// and after (JSON), with the top-level fields that changed.
type AuditEntry struct {
	ID          int64           `json:"id"`
	At          time.Time       `json:"at"`
	Actor       string          `json:"actor"`
	ActorName   string          `json:"actor_name,omitempty" description:"操作人姓名（账号的显示名）"`
	Action      string          `json:"action"`
	Entity      string          `json:"entity"`
	EntityID    string          `json:"entity_id"`
	HouseholdID int64           `json:"household_id,omitempty"`
	Changed     []string        `json:"changed"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	// Summary and ImportID are set on an import's entry: "由导入任务 #N
	// 新增（文件名，第 R 行）".
	Summary  string `json:"summary,omitempty"`
	ImportID int64  `json:"import_id,omitempty"`
}

// audit records a write about a household (or bulk load) in the same
// transaction as the write itself.
func (tx *Tx) audit(ctx context.Context, action, entity string, entityID, householdID int64, before, after any) error {
	r, err := newAuditRow(action, entity, entityID, householdID, before, after)
	if err != nil {
		return err
	}
	return tx.appendAudit(ctx, r)
}

// newAuditRow is the entry tx.audit queues, for callers that mark it further.
func newAuditRow(action, entity string, entityID, householdID int64, before, after any) (auditRow, error) {
	b, err := jsonOrNil(before)
	if err != nil {
		return auditRow{}, err
	}
	a, err := jsonOrNil(after)
	if err != nil {
		return auditRow{}, err
	}
	return auditRow{action: action, entity: entity, entityID: strconv.FormatInt(entityID, 10),
		householdID: householdID, before: b, after: a}, nil
}

// auditRow is the content of one audit entry, before chaining.
type auditRow struct {
	action, entity, entityID string
	householdID              int64
	before, after            any // string or nil
	// actor is the entry's actor, taken from tx.actor when it was queued.
	actor string
	// uncounted: the write changed nothing a per-village count reads
	// (uncounted.go), so it advances no village version.
	uncounted bool
}

// appendAudit queues an audit entry; flushAudit (audit_chain.go) chains and
// inserts the queued entries right before the transaction commits, so that
// the chain's serialisation (the advisory lock on PostgreSQL) is held from
// there to the commit only, not through the rest of the write. The change
// counters the entry advances are marked here and written by the flush too.
func (tx *Tx) appendAudit(ctx context.Context, r auditRow) error {
	r.actor = tx.actor.Name
	tx.pending = append(tx.pending, r)
	switch {
	case changesData(r.action):
		tx.markChanged()
	case strings.HasPrefix(r.action, "aid."):
		tx.markAidChanged()
	default:
		return nil
	}
	return tx.markTodo(ctx, r)
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// auditHash is SHA-256 over the previous hash and the entry's content, each
// field length-prefixed so that no two contents encode alike; HMAC-SHA256
// under key when the log is sealed (key not nil).
func auditHash(key []byte, prev string, at time.Time, actor, action, entity, entityID string, householdID int64, before, after string) string {
	hsh := sha256.New()
	if key != nil {
		hsh = hmac.New(sha256.New, key)
	}
	for _, f := range []string{prev, at.UTC().Format(time.RFC3339Nano), actor, action, entity, entityID,
		strconv.FormatInt(householdID, 10), before, after} {
		fmt.Fprintf(hsh, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(hsh.Sum(nil))
}

// AuditProblem describes the first entry where the audit chain breaks.
type AuditProblem struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// VerifyAudit walks the audit log in id order and reports the first entry
// that was changed (its hash does not match its content), or whose
// predecessor was deleted or moved (its prev_hash is not the hash of the
// entry before it). When the log is sealed (SealAudit), entries after the
// boundary must carry the keyed hash, and every checkpoint in the file must
// still hold: its entry present with its hash and the same number of entries
// up to it, so deleted newest entries and a deleted log are reported too. It
// returns the number of entries checked and nil when all holds.
func (db *DB) VerifyAudit(ctx context.Context) (int, *AuditProblem, error) {
	v, err := db.newAuditVerifier(ctx)
	if err != nil || v.problem != nil {
		return 0, v.problem, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, at, actor, action, entity, entity_id,
		COALESCE(household_id, 0), COALESCE(before_json, ''), COALESCE(after_json, ''), prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	n, last := 0, ""
	for rows.Next() {
		var id, hid int64
		var at time.Time
		var actor, action, entity, entityID, before, after, prev, hash string
		if err := rows.Scan(&id, &at, &actor, &action, &entity, &entityID, &hid, &before, &after, &prev, &hash); err != nil {
			return n, nil, fmt.Errorf("read audit log: %w", err)
		}
		n++
		if prev != last {
			return n, &AuditProblem{ID: id, Reason: "与前一条记录的链接断开：前一条记录被删除、插入或调换了顺序"}, nil
		}
		if auditHash(v.keyFor(id), prev, at, actor, action, entity, entityID, hid, before, after) != hash {
			return n, &AuditProblem{ID: id, Reason: "记录内容被修改（哈希不符）"}, nil
		}
		if p := v.entry(id, int64(n), hash); p != nil {
			return n, p, nil
		}
		last = hash
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	return n, v.end(int64(n)), nil
}

func jsonOrNil(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case *fupin.Household:
		if x == nil {
			return nil, nil
		}
	case *fupin.Member:
		if x == nil {
			return nil, nil
		}
	case *fupin.IncomeYear:
		if x == nil {
			return nil, nil
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit json: %w", err)
	}
	return string(b), nil
}

// HouseholdHistory lists the audit entries of a household, newest first.
func (db *DB) HouseholdHistory(ctx context.Context, actor fupin.Actor, id int64) ([]AuditEntry, error) {
	var out []AuditEntry
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = nil
		if _, err := tx.household(ctx, id, false); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, action, entity, entity_id,
			COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log
			WHERE household_id = $1 ORDER BY id DESC LIMIT 500`, id)
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		defer rows.Close()
		out = []AuditEntry{}
		for rows.Next() {
			e := AuditEntry{HouseholdID: id}
			var b, a string
			if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &b, &a); err != nil {
				return fmt.Errorf("scan history: %w", err)
			}
			e.At = e.At.UTC()
			e.Before, e.After, e.Changed = rawOrNull(b), rawOrNull(a), changedKeys(b, a)
			out = append(out, e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		imports, err := tx.importHistory(ctx, id)
		out = withImports(out, imports)
		return err
	})
	return out, err
}

func rawOrNull(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

// changedKeys lists the top-level JSON keys whose values differ.
func changedKeys(before, after string) []string {
	var b, a map[string]json.RawMessage
	json.Unmarshal([]byte(before), &b)
	json.Unmarshal([]byte(after), &a)
	keys := []string{}
	skip := map[string]bool{"version": true, "updated_at": true}
	for k, v := range a {
		if !skip[k] && string(b[k]) != string(v) {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && !skip[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// AuditActionCounts counts audit entries per action (for reports and tests).
func (db *DB) AuditActionCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT action, COUNT(*) FROM audit_log GROUP BY action`)
	if err != nil {
		return nil, fmt.Errorf("audit counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, err
		}
		out[a] = n
	}
	return out, rows.Err()
}
