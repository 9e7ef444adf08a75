package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// ProcessRecomputeQueue works off every pending recomputation request (from
// parameter changes): for each, it reassesses the area for the request's
// year and every later stored or default year, then marks it done. It
// returns how many requests it completed.
//
// On PostgreSQL several servers share the queue: one at a time works it (the holder of
// session advisory lock recomputeLeaderLock with the schema); the others return 0 at once and try again at
// their next wake-up.
func (db *DB) ProcessRecomputeQueue(ctx context.Context, log *slog.Logger) (int, error) {
	if db.dialect == Postgres {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("recompute queue: %w", err)
		}
		defer conn.Close()
		var leader bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashtext(current_schema()))`, recomputeLeaderLock).Scan(&leader); err != nil {
			return 0, fmt.Errorf("recompute queue: %w", err)
		}
		if !leader {
			return 0, nil
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, recomputeLeaderLock)
	}
	done := 0
	for {
		var id int64
		var area string
		var from int
		err := db.read.QueryRowContext(ctx, `SELECT id, area, from_year FROM recompute_queue
			WHERE done_at IS NULL ORDER BY id LIMIT 1`).Scan(&id, &area, &from)
		if errors.Is(err, sql.ErrNoRows) {
			return done, nil
		} else if err != nil {
			return done, fmt.Errorf("recompute queue: %w", err)
		}
		years, err := db.yearsFrom(ctx, area, from)
		if err != nil {
			return done, err
		}
		actor := fupin.SystemActor("参数变更重算")
		for _, y := range years {
			start := time.Now()
			st, err := db.Assess(ctx, actor, area, y, nil)
			if err != nil {
				return done, fmt.Errorf("recompute %s/%d: %w", area, y, err)
			}
			log.Info("recomputed verdicts", "area", area, "year", y, "households", st.Households,
				"changed", st.Changed, "ms", time.Since(start).Milliseconds())
		}
		if _, err := db.write.ExecContext(ctx, `UPDATE recompute_queue SET done_at = $1 WHERE id = $2`, db.Now().UTC(), id); err != nil {
			return done, fmt.Errorf("recompute queue: %w", err)
		}
		done++
	}
}

// recomputeLeaderLock is the PostgreSQL advisory lock key of the recompute queue's worker;
// the second key is the schema's hash, so that deployments (or tests) in other schemas of the
// same database do not wait for each other.
const recomputeLeaderLock = 4242002

// yearsFrom lists the years at or after from that have stored verdicts in
// the area, plus the default assessment year when it is not before from.
func (db *DB) yearsFrom(ctx context.Context, area string, from int) ([]int, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT year FROM verdicts WHERE year >= `+arg(from)+
		` AND `+areaCond("village_code", []string{area}, arg)+` ORDER BY year`, args...)
	if err != nil {
		return nil, fmt.Errorf("verdict years: %w", err)
	}
	defer rows.Close()
	def := fupin.AssessmentYear(fupin.DateOf(db.Now().In(chinaTime)))
	var years []int
	seen := false
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		seen = seen || y == def
		years = append(years, y)
	}
	if !seen && def >= from {
		years = append(years, def)
	}
	return years, rows.Err()
}

// RunRecomputeQueue processes the queue at start, whenever wake receives,
// and every interval, until ctx ends; errors are logged and retried.
func (db *DB) RunRecomputeQueue(ctx context.Context, log *slog.Logger, interval time.Duration, wake <-chan struct{}) {
	for {
		if _, err := db.ProcessRecomputeQueue(ctx, log); err != nil && ctx.Err() == nil {
			log.Error("recompute queue", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-time.After(interval):
		}
	}
}

// HouseholdAssessment is a household's verdict for a year evaluated now
// from its current record under that year's parameters, with the stored
// verdicts that preceded it.
type HouseholdAssessment struct {
	Verdict criteria.Verdict `json:"verdict"`
	History []VerdictHistory `json:"history"`
}

// VerdictHistory is an earlier verdict of a household for a year.
type VerdictHistory struct {
	PolicyVersion string    `json:"policy_version"`
	Pass          bool      `json:"pass"`
	Problems      int       `json:"problems"`
	Statuses      string    `json:"statuses" description:"各项结论，顺序同 items，逗号分隔"`
	Reasons       string    `json:"reasons"`
	ComputedAt    time.Time `json:"computed_at"`
	ReplacedAt    time.Time `json:"replaced_at"`
}

// AssessHousehold evaluates one household for a year (the default year when
// year is 0), returning every item with its reason, facts and parameters.
func (db *DB) AssessHousehold(ctx context.Context, actor fupin.Actor, id int64, year int) (*HouseholdAssessment, error) {
	var out *HouseholdAssessment
	err := db.view(ctx, actor, func(tx *Tx) error {
		h, err := tx.household(ctx, id, true)
		if err != nil {
			return err
		}
		if year == 0 {
			year = fupin.AssessmentYear(tx.today())
		}
		rows, err := tx.paramRows(ctx)
		if err != nil {
			return err
		}
		p, err := criteria.Resolve(rows, h.VillageCode, year)
		if err != nil {
			return err
		}
		v := criteria.Evaluate(h, year, fupin.Date{}, p)
		v.Render()
		out = &HouseholdAssessment{Verdict: v, History: []VerdictHistory{}}
		hr, err := tx.QueryContext(ctx, `SELECT policy_version, pass, problems, statuses, reasons, computed_at, replaced_at
			FROM verdict_history WHERE household_id = $1 AND year = $2 ORDER BY id DESC LIMIT 50`, id, year)
		if err != nil {
			return fmt.Errorf("verdict history: %w", err)
		}
		defer hr.Close()
		for hr.Next() {
			var e VerdictHistory
			if err := hr.Scan(&e.PolicyVersion, &e.Pass, &e.Problems, &e.Statuses, &e.Reasons, &e.ComputedAt, &e.ReplacedAt); err != nil {
				return err
			}
			out.History = append(out.History, e)
		}
		return hr.Err()
	})
	return out, err
}
