package sqlstore

import (
	"context"

	"fupin/internal/fupin"
)

// AidSummary is the dashboard count of the aid forces in an area.
type AidSummary struct {
	Area          string `json:"area"`
	Groups        int    `json:"groups" description:"帮扶集团数"`
	CadresOnPost  int    `json:"cadres_on_post" description:"在岗干部人数"`
	NeedHelper    int    `json:"need_helper" description:"须有帮扶责任人的户数"`
	Unpaired      int    `json:"unpaired" description:"违反每户一名帮扶责任人的户数（应为 0）"`
	OverdueVisits int    `json:"overdue_visits" description:"超期未走访户数"`
	TermsEnding   int    `json:"terms_ending" description:"任期即将届满人数"`
	TermsOverdue  int    `json:"terms_overdue" description:"任期已超期人数"`
	Rotations     int    `json:"rotations" description:"进行中的轮换"`
}

// AidSummaryOf counts, for area, the violations and alerts a command post
// watches: unpaired households, overdue visits, terms ending or past.
func (db *DB) AidSummaryOf(ctx context.Context, actor fupin.Actor, area string) (*AidSummary, error) {
	s := &AidSummary{Area: area}
	groups, err := db.AidGroups(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	s.Groups = len(groups)
	up, err := db.Unpaired(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	s.NeedHelper, s.Unpaired = up.Need, up.Total
	ov, err := db.OverdueVisits(ctx, actor, area)
	if err != nil {
		return nil, err
	}
	s.OverdueVisits = len(ov)
	alerts, err := db.TermAlerts(ctx, actor, area)
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
	ps, err := db.Postings(ctx, actor, area, false)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, p := range ps {
		seen[p.CadreID] = true
	}
	s.CadresOnPost = len(seen)
	rs, err := db.Rotations(ctx, actor, area, "planned")
	s.Rotations = len(rs)
	return s, err
}
