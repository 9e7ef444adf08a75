package sqlstore

import (
	"context"

	"fupin/internal/fupin"
)

// DashboardFresh is Dashboard counted afresh, without the memos (and
// leaving them as they are).
func (db *DB) DashboardFresh(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
	return db.dashboard(ctx, actor, area, year)
}

// HouseholdTotalFresh counts the households matching f for actor, without
// the memos.
func (db *DB) HouseholdTotalFresh(ctx context.Context, actor fupin.Actor, f fupin.HouseholdFilter) (int, error) {
	var n int
	where, args := householdWhere(actor, f)
	err := db.view(ctx, actor, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM households h WHERE `+where, args...).Scan(&n)
	})
	return n, err
}

// OnVillageCount sets a function that receives, for each recount of the
// per-village memos, the memo's name (households, verdicts, totals) and the
// villages recounted, or the area's prefixes for a whole area.
func (db *DB) OnVillageCount(f func(memo string, villages []string)) {
	db.dashHouseholds.counted = func(v []string) { f("households", v) }
	db.dashVerdicts.counted = func(v []string) { f("verdicts", v) }
	db.listTotals.counted = func(v []string) { f("totals", v) }
}
