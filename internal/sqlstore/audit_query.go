package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// AuditFilter selects audit log entries for the audit page; every field is
// optional. From and To bound the time (To exclusive).
type AuditFilter struct {
	Actor       string // account name, exact
	Action      string // action, or its prefix ending in "." (aid.)
	HouseholdID int64
	From, To    time.Time
	Offset      int
	Limit       int // 1–200, default 50
}

// AuditPage is one page of the audit log, newest first. More is set when
// further entries match (the log is not counted: it only grows).
type AuditPage struct {
	Items []AuditEntry `json:"items"`
	More  bool         `json:"more"`
}

// AuditLog lists audit entries matching f within the actor's areas, newest
// first, with the actors' display names. The route decides which roles may
// read it at all; see auditAreaCond for what "within" means.
func (db *DB) AuditLog(ctx context.Context, actor fupin.Actor, f AuditFilter) (AuditPage, error) {
	if err := f.validate(); err != nil {
		return AuditPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	conds := []string{auditAreaCond(actor.Areas, arg)}
	if f.Actor != "" {
		conds = append(conds, "actor = "+arg(f.Actor))
	}
	if strings.HasSuffix(f.Action, ".") {
		conds = append(conds, "action >= "+arg(f.Action)+" AND action < "+arg(f.Action[:len(f.Action)-1]+"/"))
	} else if f.Action != "" {
		conds = append(conds, "action = "+arg(f.Action))
	}
	if f.HouseholdID != 0 {
		conds = append(conds, "household_id = "+arg(f.HouseholdID))
	}
	if !f.From.IsZero() {
		conds = append(conds, "at >= "+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		conds = append(conds, "at < "+arg(f.To.UTC()))
	}
	q := `SELECT id, at, actor, action, entity, entity_id, COALESCE(household_id, 0),
		COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_log WHERE ` + strings.Join(conds, " AND ") +
		` ORDER BY id DESC LIMIT ` + arg(f.Limit+1) + ` OFFSET ` + arg(f.Offset)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return AuditPage{}, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	page := AuditPage{Items: []AuditEntry{}}
	for rows.Next() {
		var e AuditEntry
		var b, a string
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.HouseholdID, &b, &a); err != nil {
			return AuditPage{}, fmt.Errorf("scan audit log: %w", err)
		}
		e.At = e.At.UTC()
		e.Before, e.After, e.Changed = rawOrNull(b), rawOrNull(a), changedKeys(b, a)
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return AuditPage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items, page.More = page.Items[:f.Limit], true
	}
	return page, db.NameActors(ctx, page.Items)
}

// auditAreaCond limits audit entries to areas (division-code prefixes):
//   - an entry about a household (household_id set) is in the areas when the
//     household's village is, whoever made it;
//   - an export or other entry about an area (entity "area") when that area
//     lies within them;
//   - an entry about an account (entity "user": sign-in failures, user
//     management) when every area of that account lies within them;
//   - any other entry when every area of the account that made it does.
//
// An account without areas, an API token or the CLI is within no area, so
// its entries other than household entries stay the administrator's. Each
// test is a primary-key or unique-key lookup per entry, so the newest-first
// scan stays cheap while entries of the areas are common.
func auditAreaCond(areas []string, arg func(any) string) string {
	cover := areaCond("h.village_code", areas, arg)
	if cover == "1 = 1" {
		return cover
	}
	within := func(col string) string {
		return col + ` IN (SELECT u.username FROM users u WHERE EXISTS (SELECT 1 FROM user_areas a WHERE a.user_id = u.id)
			AND NOT EXISTS (SELECT 1 FROM user_areas a WHERE a.user_id = u.id AND NOT ` + areaCond("a.area", areas, arg) + `))`
	}
	return `(CASE WHEN household_id IS NOT NULL THEN EXISTS (SELECT 1 FROM households h WHERE h.id = audit_log.household_id AND ` + cover + `)
		WHEN entity = 'area' THEN ` + areaCond("entity_id", areas, arg) + `
		WHEN entity = 'user' THEN ` + within("entity_id") + `
		ELSE ` + within("actor") + ` END)`
}

// NameActors fills ActorName of each entry with the display name of the
// account that wrote it (left empty for system and unknown actors).
func (db *DB) NameActors(ctx context.Context, entries []AuditEntry) error {
	accounts := make([]string, len(entries))
	for i, e := range entries {
		accounts[i] = e.Actor
	}
	names, err := db.DisplayNames(ctx, accounts)
	for i := range entries {
		entries[i].ActorName = names[entries[i].Actor]
	}
	return err
}

// DisplayNames maps the accounts (usernames) among the first 500 distinct
// non-empty ones to their users' display names; accounts without a user
// (tokens, the CLI) are left out.
func (db *DB) DisplayNames(ctx context.Context, accounts []string) (map[string]string, error) {
	names := map[string]string{}
	seen := map[string]bool{}
	var args []any
	var marks []string
	for _, a := range accounts {
		if a != "" && !seen[a] && len(args) < 500 {
			seen[a] = true
			args = append(args, a)
			marks = append(marks, "$"+itoa(len(args)))
		}
	}
	if len(args) == 0 {
		return names, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT username, display_name FROM users WHERE username IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return names, fmt.Errorf("display names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, d string
		if err := rows.Scan(&u, &d); err != nil {
			return names, err
		}
		if d != "" {
			names[u] = d
		}
	}
	return names, rows.Err()
}

// validate reports bad filter values with their field names.
func (f AuditFilter) validate() error {
	errs := fupin.FieldErrors{}
	if len(f.Actor) > 64 {
		errs.Add("actor", "账号名过长")
	}
	if len(f.Action) > 64 {
		errs.Add("action", "操作名过长")
	}
	if f.Offset < 0 || f.Offset > 1_000_000 {
		errs.Add("offset", "应在 0 到 1000000 之间")
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs.Add("to", "结束日期应晚于开始日期")
	}
	return errs.Err()
}
