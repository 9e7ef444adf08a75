package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fupin/internal/criteria"
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
//   - its stored verdicts, as the counts read them, are the same as the
//     ones the write's reassessment stores: a household whose verdicts were
//     stale (a policy change not yet recomputed) gets new ones here, and
//     those are counted.

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

// countedVerdicts reads what the counts read of a household's stored
// verdicts (dashboard_verdicts.go, monitor_uncovered.go), a line per year.
func (tx *Tx) countedVerdicts(ctx context.Context, householdID int64) (map[int]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT year, village_code, CASE WHEN pass THEN 1 ELSE 0 END, problems, unknowns,
		CASE WHEN income_risk THEN 1 ELSE 0 END, `+verdictStatuses+`, COALESCE(CAST(per_capita AS TEXT), '')
		FROM verdicts WHERE household_id = $1`, householdID)
	if err != nil {
		return nil, fmt.Errorf("stored verdicts: %w", err)
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var year int
		var village, pass, problems, unknowns, risk, statuses, perCapita string
		if err := rows.Scan(&year, &village, &pass, &problems, &unknowns, &risk, &statuses, &perCapita); err != nil {
			return nil, fmt.Errorf("stored verdicts: %w", err)
		}
		out[year] = strings.Join([]string{village, pass, problems, unknowns, risk, statuses, perCapita}, "|")
	}
	return out, rows.Err()
}

// sameCounted reports whether the verdicts a reassessment of h stored read,
// to the counts, as stored, the lines countedVerdicts read before it.
func sameCounted(stored map[int]string, h *fupin.Household, vs []criteria.Verdict) bool {
	bit := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	for i := range vs {
		v := &vs[i]
		perCapita := ""
		if v.PerCapita != nil {
			perCapita = strconv.FormatInt(int64(*v.PerCapita), 10)
		}
		line := strings.Join([]string{h.VillageCode, bit(v.Pass), strconv.Itoa(v.Problems), strconv.Itoa(v.Unknowns),
			bit(v.IncomeRisk), statusesOf(v), perCapita}, "|")
		if stored[v.Year] != line {
			return false
		}
	}
	return true
}
