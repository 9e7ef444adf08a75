package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// A household.update that changes only what no per-village count reads (a
// phone number, an address, a note) advances no village version
// (todo_changes, migration 0030), so the dashboard, the list totals and the
// 待办 panel keep that village's counts (village_memo.go, todo_village.go).
// It still advances the data-change counter: list pages and anything else
// that shows the changed fields are kept under that.
//
// Two things have to hold, both checked in the write's transaction:
//   - the household's stored record, read before and after the write, is
//     the same but for uncountedFields (and its version and update time);
//     a field added to fupin.Household later counts until it is listed;
//   - its stored verdicts are the same before and after the reassessment
//     the write runs: a household whose verdicts were stale (a policy
//     change not yet recomputed) gets new ones here, and those are counted.

// uncountedFields are the fields of fupin.Household no per-village count
// reads: the dashboard and list totals read the village, deletion, type,
// poverty attribute, monitoring type and size, and the stored verdicts; the
// 待办 panel also the identification and risk-elimination dates, pairings
// and visits.
var uncountedFields = []string{"NaturalVillage", "Address", "Phone", "Land", "Basics.Note"}

// countedSame reports whether before and after differ at most in
// uncountedFields, the version and the update time.
func countedSame(before, after *fupin.Household) bool {
	if before == nil || after == nil {
		return false
	}
	b, a := *before, *after
	for _, h := range []*fupin.Household{&b, &a} {
		h.Version, h.UpdatedAt = 0, time.Time{}
		v := reflect.ValueOf(h).Elem()
		for _, name := range uncountedFields {
			f := v
			for _, part := range strings.Split(name, ".") {
				f = f.FieldByName(part)
			}
			f.Set(reflect.Zero(f.Type()))
		}
	}
	return reflect.DeepEqual(b, a)
}

// verdictState is what the counts could read of a household's stored
// verdicts: every column but the times and the policy and rules versions.
func (tx *Tx) verdictState(ctx context.Context, householdID int64) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT year, village_code, pass, problems, unknowns, income_risk,
		s_food, s_clothing, s_education, s_medical, s_housing, s_water, s_standard, s_income, reasons, signals
		FROM verdicts WHERE household_id = $1 ORDER BY year`, householdID)
	if err != nil {
		return "", fmt.Errorf("stored verdicts: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	cols := make([]any, 16)
	vals := make([]string, 16)
	for i := range cols {
		cols[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(cols...); err != nil {
			return "", fmt.Errorf("stored verdicts: %w", err)
		}
		for _, v := range vals {
			b.WriteString(v)
			b.WriteByte(0)
		}
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}
