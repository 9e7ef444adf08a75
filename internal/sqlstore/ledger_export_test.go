package sqlstore

import (
	"context"
	"fmt"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// SeedFindings inserts n findings of an inspection spread over villages,
// with deadlines from 30 days before to 60 days after today and every
// status, in one transaction (benchmarks only).
func (db *DB) SeedFindings(ctx context.Context, inspection int64, villages []string, n int) error {
	statuses := []string{"not_started", "in_progress", "pending", "closed", "long_term"}
	return db.update(ctx, fupin.SystemActor("bench"), func(tx *Tx) error {
		today := tx.today().Time()
		for i := 0; i < n; i++ {
			d := fupin.DateOf(today.Add(time.Duration(i%90-30) * 24 * time.Hour))
			if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_findings (inspection_id, number, category, description, area_code,
				lead_unit, responsible_units, measures, deadline, kind, status, created_at, updated_at)
				VALUES ($1, $2, 'water', $3, $4, $5, '村委会', '逐户排查，限期整改', $6, 'deadline', $7, $8, $8)`,
				inspection, fmt.Sprint(i+1), fmt.Sprintf("第 %d 个问题：部分农户饮水不稳定", i+1), villages[i%len(villages)],
				fmt.Sprintf("单位%02d", i%22), d, statuses[i%len(statuses)], tx.now); err != nil {
				return err
			}
		}
		if tx.dialect == Postgres {
			// As autovacuum would after a load of this size.
			if _, err := tx.ExecContext(ctx, `ANALYZE ledger_findings`); err != nil {
				return err
			}
		}
		tx.markChanged()
		return nil
	})
}

// LedgerCountCells counts the filter's findings per status and deadline
// bucket ("status/bucket", as countCells numbers buckets) twice: from the
// kept counts (ledger_finding_counts) and from the findings themselves;
// empty reports the kept rows left at zero or below (tests only). The
// actor's areas must be townships or wider.
func (db *DB) LedgerCountCells(ctx context.Context, actor fupin.Actor, f FindingFilter) (kept, fresh map[string]int, empty int, err error) {
	if err := f.validate(); err != nil {
		return nil, nil, 0, err
	}
	today := fupin.DateOf(db.Now().In(chinaTime))
	last10, last20 := ledger.BucketBounds(today.Time(), db.WorkingDays)
	q := findingQuery{today: today, last10: fupin.DateOf(last10), last20: fupin.DateOf(last20)}
	q.build(actor, f)
	if !q.wide {
		return nil, nil, 0, fmt.Errorf("not a township or wider: %v", actor.Areas)
	}
	flat := func(c ledgerCells) map[string]int {
		m := map[string]int{}
		for cell, n := range c {
			if n != 0 {
				m[fmt.Sprintf("%s/%d", cell.status, cell.bucket)] = n
			}
		}
		return m
	}
	err = db.view(ctx, actor, func(tx *Tx) error {
		k, err := tx.countCells(ctx, q)
		if err != nil {
			return err
		}
		fr, err := tx.countCellsOn(ctx, q, "ledger_findings", "f.deadline IS NULL", "COUNT(*)")
		if err != nil {
			return err
		}
		kept, fresh = flat(k), flat(fr)
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_finding_counts WHERE n <= 0`).Scan(&empty)
	})
	return kept, fresh, empty, err
}
