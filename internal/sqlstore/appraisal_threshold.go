package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/appraisal"
	"fupin/internal/fupin"
)

// ThresholdRows lists every stored rate threshold (a short table: one row
// per area prefix, year and rate).
func (db *DB) ThresholdRows(ctx context.Context, actor fupin.Actor) ([]appraisal.ThresholdRow, error) {
	out := []appraisal.ThresholdRow{}
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.thresholdRows(ctx)
		return err
	})
	return out, err
}

func (tx *Tx) thresholdRows(ctx context.Context) ([]appraisal.ThresholdRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT area, year, rate, max_value, min_value, source FROM appraisal_thresholds
		ORDER BY area, year, rate LIMIT 10000`)
	if err != nil {
		return nil, fmt.Errorf("thresholds: %w", err)
	}
	defer rows.Close()
	out := []appraisal.ThresholdRow{}
	for rows.Next() {
		var r appraisal.ThresholdRow
		var maxV, minV sql.NullFloat64
		if err := rows.Scan(&r.Area, &r.Year, &r.Threshold.Rate, &maxV, &minV, &r.Threshold.Source); err != nil {
			return nil, fmt.Errorf("scan threshold: %w", err)
		}
		if maxV.Valid {
			r.Threshold.Max = &maxV.Float64
		}
		if minV.Valid {
			r.Threshold.Min = &minV.Float64
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetThreshold stores (or replaces) a rate threshold for an area prefix from
// a year on. Errors: invalid, forbidden (area outside the actor's).
func (db *DB) SetThreshold(ctx context.Context, actor fupin.Actor, r appraisal.ThresholdRow) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Area != "" && aid.AreaName(r.Area) == "" {
		return &fupin.Error{Code: fupin.EInvalid, Message: "区域不是有效的统计用区划代码：" + r.Area,
			Fields: map[string]string{"area": "不是有效的统计用区划代码"}}
	}
	if !actor.Covers(r.Area) {
		return aid.ForbidArea(r.Area)
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		t := r.Threshold
		if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_thresholds (area, year, rate, max_value, min_value, source,
			updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (area, year, rate) DO UPDATE SET max_value = excluded.max_value, min_value = excluded.min_value,
			source = excluded.source, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			r.Area, r.Year, t.Rate, t.Max, t.Min, t.Source, actor.Name, tx.now); err != nil {
			return fmt.Errorf("set threshold: %w", err)
		}
		return tx.auditValue(ctx, "appraisal.threshold.set", "appraisal_threshold", r.Area+"/"+itoa(r.Year)+"/"+t.Rate, nil, r)
	})
}
