package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// caseFromVisit is 干部排查: a visit that raised risks opens a case at 入户核查
// for the household (path cadre, the transition-period category its type
// allows), or answers the case it already has open. It runs in the
// visit's transaction, so a refused case leaves no visit behind.
func (tx *Tx) caseFromVisit(ctx context.Context, h *fupin.Household, visitID int64, v *aid.Visit) (*int64, error) {
	var open int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM monitor_cases WHERE household_id = $1
		AND stage NOT IN ('rejected', 'eliminated')`, h.ID).Scan(&open)
	if err == nil {
		return &open, nil
	} else if !isNoRows(err) {
		return nil, fmt.Errorf("open case of household: %w", err)
	}
	category := "marginal"
	if h.Type == "ex_poor" {
		category = "unstable"
	}
	note := []rune("走访记录 #" + strconv.FormatInt(visitID, 10) + "（" + v.VisitedOn.String() + "）：" + v.Findings)
	c, err := tx.openCase(ctx, NewCase{HouseholdID: h.ID, Path: "cadre", Category: category, Risks: v.RaiseRisks,
		Facts: MonitorFacts{FailingItems: []string{}, Note: string(note[:min(len(note), 1000)])}}, nil)
	if err != nil {
		return nil, withField(err, "raise_risks")
	}
	return &c.ID, nil
}
