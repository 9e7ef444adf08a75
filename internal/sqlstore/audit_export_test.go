package sqlstore

import (
	"context"
	"time"
)

// Unseal stops the audit sealing as Close does, for tests that reopen a sealed log.
func (db *DB) Unseal() error { return db.unseal() }

// RechainAudit recomputes every entry's prev_hash and hash from its content in id order,
// with key (nil: the unkeyed SHA-256 of unsealed logs): what someone who can write the
// database does to hide an edit.
func (db *DB) RechainAudit(ctx context.Context, key []byte) error {
	type row struct {
		id, hid                                        int64
		at                                             time.Time
		actor, action, entity, entityID, before, after string
	}
	rows, err := db.write.QueryContext(ctx, `SELECT id, at, actor, action, entity, entity_id,
		COALESCE(household_id, 0), COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log ORDER BY id`)
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.at, &r.actor, &r.action, &r.entity, &r.entityID, &r.hid, &r.before, &r.after); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	prev := ""
	for _, r := range all {
		h := auditHash(key, prev, r.at, r.actor, r.action, r.entity, r.entityID, r.hid, r.before, r.after)
		if _, err := db.write.ExecContext(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3`, prev, h, r.id); err != nil {
			return err
		}
		prev = h
	}
	return nil
}
