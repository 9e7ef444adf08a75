package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"fupin/internal/fupin"
)

// AuditEntry is one recorded write: who, when, what, and the record before
// and after (JSON), with the top-level fields that changed.
type AuditEntry struct {
	ID          int64           `json:"id"`
	At          time.Time       `json:"at"`
	Actor       string          `json:"actor"`
	Action      string          `json:"action"`
	Entity      string          `json:"entity"`
	EntityID    string          `json:"entity_id"`
	HouseholdID int64           `json:"household_id,omitempty"`
	Changed     []string        `json:"changed"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
}

// audit records a write in the same transaction as the write itself.
func (tx *Tx) audit(ctx context.Context, action, entity string, entityID, householdID int64, before, after any) error {
	b, err := jsonOrNil(before)
	if err != nil {
		return err
	}
	a, err := jsonOrNil(after)
	if err != nil {
		return err
	}
	var hid any
	if householdID != 0 {
		hid = householdID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, entity, entity_id,
		household_id, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		tx.now, tx.actor.Name, action, entity, strconv.FormatInt(entityID, 10), hid, b, a)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
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
		return rows.Err()
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
