package sqlstore

import (
	"context"
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// The area counts of the 待办 panel are memoised, for the panel is on the
// first page everyone opens: the costly ones (unpaired households, overdue
// visits, 应纳未纳; a township of 300,000 households takes about 0.2 s)
// per village (todo_village.go), the others (monitoring steps, alerts,
// findings: a few milliseconds) per area in db.todo. An entry there holds
// while the day, the data-change counter (registry, verdicts, monitoring,
// ledger) and the aid-change counter (migration 0014) it was computed under
// hold; every memo entry holds for at most todoMaxAge (writes that bypass
// the store). Concurrent requests for the same area share one computation.
const (
	todoMaxEntries = 256
	todoMaxAge     = 10 * time.Minute
)

// markAidChanged marks the transaction to advance the aid-change counter
// once, when it commits (flushAudit).
func (tx *Tx) markAidChanged() { tx.aidChanged = true }

// todoToken names the state the area counts depend on: the day (deadlines
// and overdue visits move with it) and both change counters.
func (db *DB) todoToken(ctx context.Context) (string, error) {
	data, err := db.dataToken(ctx)
	if err != nil {
		return "", err
	}
	var n int64
	if err := db.readRow(ctx, `SELECT n FROM aid_changes WHERE id = 1`, nil, &n); err != nil {
		return "", fmt.Errorf("todo token: %w", err)
	}
	return fmt.Sprintf("%s/%d/%s", data, n, fupin.DateOf(db.Now().In(chinaTime))), nil
}

// cachedTodoArea returns the memoised area counts of area for actor.
func (db *DB) cachedTodoArea(ctx context.Context, actor fupin.Actor, area string) (Todo, error) {
	token, err := db.todoToken(ctx)
	if err != nil {
		return Todo{}, err
	}
	key := fmt.Sprintf("%q|%q", area, actor.Narrow(area))
	t, err := db.todo.get(ctx, key, token, func(ctx context.Context) (Todo, error) {
		return db.todoArea(ctx, actor, area)
	})
	if err != nil {
		return Todo{}, err
	}
	v, err := db.cachedTodoVillages(ctx, actor, area)
	t.Uncovered, t.Unpaired, t.OverdueVisits = v.Uncovered, v.Unpaired, v.OverdueVisits
	t.TermsEnding, t.TermsOverdue = v.TermsEnding, v.TermsOverdue
	return t, err
}
