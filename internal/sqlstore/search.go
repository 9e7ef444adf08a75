package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// markChanged marks the transaction to advance the data-change counter
// (migration 0011) once, when it commits (flushAudit). Caches of derived
// answers (dashboards, list totals) key on it, so it must advance in the
// transaction of every write they could show, whichever process makes it.
func (tx *Tx) markChanged() { tx.changed = true }

// changesData reports whether an audited action may change what the
// dashboard or a list shows. Reads (a household's people viewed, an
// export, a list's 导出 Excel), accounts and sign-ins, tokens, aid work (which the
// dashboard does not show; an aid write that changes a household also
// audits household.update) and snapshots (which only add frozen copies; on
// PostgreSQL their REPEATABLE READ transaction must not update the counter
// that concurrent writers update) do not. Anything else does, so a new kind of
// write is never cached stale.
func changesData(action string) bool {
	for _, p := range []string{"person.", "registry.export", "list.export", "auth.", "user.", "token.", "aid.", "appraisal.snapshot."} {
		if strings.HasPrefix(action, p) {
			return false
		}
	}
	return true
}

// termsSelect selects the search terms (migration 0011) of the current
// members matching cond (on members m): each suffix of the name (a
// recursive step per character, so a name yields as many rows as it has
// characters), and '#' with the last six characters of the ID number
// reversed. Terms may repeat within a household: inserts skip conflicts.
func termsSelect(cond string) string {
	rev := make([]string, 6)
	for i := range rev {
		rev[i] = fmt.Sprintf("substr(m.id_number, length(m.id_number) - %d, 1)", i)
	}
	return `WITH RECURSIVE s(term, household_id) AS (
			SELECT m.name, m.household_id FROM members m WHERE m.is_current AND ` + cond + `
			UNION ALL SELECT substr(term, 2), household_id FROM s WHERE length(term) > 1)
		SELECT term, household_id FROM s
		UNION ALL
		SELECT '#' || ` + strings.Join(rev, " || ") + `, m.household_id FROM members m
			WHERE m.is_current AND ` + cond
}

// refreshTerms rewrites the search terms of one household from its current
// members; every transaction that changes a household's members calls it
// (through refreshHead) or DeleteHousehold.
func (tx *Tx) refreshTerms(ctx context.Context, householdID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM household_terms WHERE household_id = $1`, householdID); err != nil {
		return fmt.Errorf("search terms: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO household_terms (term, household_id) `+
		termsSelect("m.household_id = $1")+` ON CONFLICT DO NOTHING`, householdID); err != nil {
		return fmt.Errorf("search terms: %w", err)
	}
	return nil
}

// indexLoadedTerms adds the search terms of the households a bulk load
// inserted (ids from firstID on): from lt when the producer made them
// (SQLite), else in one INSERT … SELECT, sorted so that the table's primary
// key is appended to. Into an empty registry the per-household index is
// dropped and built after, once.
func (tx *Tx) indexLoadedTerms(ctx context.Context, firstID int64, empty bool, lt *loadTerms) error {
	if empty {
		if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS household_terms_household`); err != nil {
			return fmt.Errorf("search terms: %w", err)
		}
	}
	var err error
	if lt != nil {
		err = tx.insertLoadedTerms(ctx, lt)
	} else {
		err = tx.selectLoadedTerms(ctx, firstID)
	}
	if err != nil {
		return err
	}
	if empty {
		if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS household_terms_household ON household_terms(household_id)`); err != nil {
			return fmt.Errorf("search terms: %w", err)
		}
	}
	return nil
}

// selectLoadedTerms makes the terms of the households from firstID on in SQL.
func (tx *Tx) selectLoadedTerms(ctx context.Context, firstID int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO household_terms (term, household_id) `+
		termsSelect("m.household_id >= $1")+` ORDER BY 1, 2 ON CONFLICT DO NOTHING`, firstID); err != nil {
		return fmt.Errorf("search terms: %w", err)
	}
	return nil
}

// searchCond matches households by a part of any current member's name;
// when q is an ID-number fragment (digits, X), also by the last 4–6
// characters of a current member's ID number, or, from 10 characters on
// (region and birth year), by a prefix of the 户编号 or of any current or
// past member's ID number: shorter prefixes name a whole county. Every
// branch is a range scan of an index, and the matches drive the list
// query. deleted says whether the list is of deleted households (the
// 户编号 index holds live ones only).
func searchCond(q string, deleted, ids bool, arg func(any) string) string {
	matches := searchMatches(q, deleted, ids, arg)
	if matches == "" {
		return "1 = 0"
	}
	return "h.id IN (" + matches + ")"
}

// searchMatches is the statement listing the ids of the households that
// searchCond matches (with repeats), or "" when q can match none.
func searchMatches(q string, deleted, ids bool, arg func(any) string) string {
	var subs []string
	if !strings.HasPrefix(q, "#") { // "#…" terms are reversed ID digits, reached only below
		subs = append(subs, "SELECT household_id FROM household_terms WHERE term >= "+arg(q)+
			" AND term < "+arg(q+"\U0010FFFF")) // above every continuation of q in byte order
	}
	up := strings.ToUpper(q)
	if strings.Trim(up, "0123456789X") == "" {
		// Roles that see masked ID numbers may not search by their digits:
		// the last six would give back the birth day the mask hides.
		if n := len(up); ids && n >= 4 && n <= 6 {
			subs = append(subs, "SELECT household_id FROM household_terms WHERE term >= "+arg("#"+reverse(up))+
				" AND term < "+arg("#"+reverse(up)+"~"))
		}
		if len(up) >= 10 {
			plo, phi := arg(up), arg(up+"~")
			live := "deleted_at IS NULL AND household_no IS NOT NULL AND "
			if deleted {
				live = ""
			}
			subs = append(subs, "SELECT id FROM households WHERE "+live+"household_no >= "+plo+" AND household_no < "+phi)
			if ids {
				subs = append(subs, "SELECT household_id FROM members WHERE id_number >= "+plo+" AND id_number < "+phi)
			}
		}
	}
	return strings.Join(subs, " UNION ")
}

func reverse(s string) string {
	b := []byte(s) // digits and X only
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
