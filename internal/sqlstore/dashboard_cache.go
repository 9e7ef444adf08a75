package sqlstore

import (
	"context"
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// Dashboards are memoised (db.dash, a memo) because a county of a million
// people takes about 0.2 s to count and the 总览 is opened far more often
// than the data changes. An entry is valid while the data token it was
// computed under still holds: every write to households, members,
// incomes, verdicts or parameters advances the data-change counter in its
// transaction (reads such as a household view do not), and every finished
// recomputation marks its queue row, so the token changes with any change
// the dashboard could show, whichever process made it. Concurrent requests
// for the same dashboard share one computation.
const (
	dashMaxEntries = 64
	// dashMaxAge bounds staleness from writes that bypass the store (SQL
	// run by hand).
	dashMaxAge = 10 * time.Minute
)

// cachedDashboard returns the memoised dashboard of area and year for actor.
func (db *DB) cachedDashboard(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
	token, err := db.reportToken(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	key := fmt.Sprintf("%d|%q|%q", year, area, actor.Narrow(area)) // %q: nil and [""] (national) differ
	return db.dash.get(ctx, key, token, func(ctx context.Context) (Dashboard, error) {
		return db.dashboard(ctx, actor, area, year)
	})
}

const dataTokenSQL = `SELECT (SELECT n FROM data_changes WHERE id = 1),
		(SELECT COALESCE(MAX(id), 0) FROM recompute_queue), (SELECT COUNT(*) FROM recompute_queue WHERE done_at IS NOT NULL)`

// dataToken names the state of the data: the data-change counter (advanced
// by every write a dashboard or list could show, not by reads) and the
// recomputations queued and finished.
func (db *DB) dataToken(ctx context.Context) (string, error) {
	var changes, queued, done int64
	if err := db.readRow(ctx, dataTokenSQL, nil, &changes, &queued, &done); err != nil {
		return "", fmt.Errorf("dashboard data token: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", changes, queued, done), nil
}
