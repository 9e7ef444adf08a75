package sqlstore

import (
	"context"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// AidSummaryOf counts, for area, the violations and alerts a command post
// watches: unpaired households, overdue visits, terms ending or past.
func (db *DB) AidSummaryOf(ctx context.Context, actor fupin.Actor, area string) (*aid.Summary, error) {
	s := &aid.Summary{Area: area}
	groups, err := db.ListAidGroups(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	s.Groups = len(groups)
	up, err := db.Unpaired(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	s.NeedHelper, s.Unpaired = up.Need, up.Total
	// The overdue-visit count is the 待办 panel's, memoised per village
	// (todo_cache.go) and equal to len(ListOverdueVisits) (TestTodoCountsEqualLists);
	// building the list to count it took 10–16 s on a 10-million-person county.
	todo, err := db.cachedTodoArea(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	s.OverdueVisits = todo.OverdueVisits
	alerts, err := db.ListTermAlerts(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	for _, a := range alerts {
		if a.Kind == "overdue" {
			s.TermsOverdue++
		} else {
			s.TermsEnding++
		}
	}
	ps, err := db.ListPostings(ctx, actor, area, false)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, p := range ps {
		seen[p.CadreID] = true
	}
	s.CadresOnPost = len(seen)
	rs, err := db.ListRotations(ctx, actor, area, "planned")
	s.Rotations = len(rs)
	return s, err
}
