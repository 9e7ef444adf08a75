package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// CreateInspection stores an inspection (巡视、督查、考核反馈…) whose
// findings make up its 问题清单. Errors: invalid, forbidden (the area is
// outside the actor's), not_found (recheck_of names an inspection the
// actor cannot see).
func (db *DB) CreateInspection(ctx context.Context, actor fupin.Actor, in ledger.Inspection) (*ledger.Inspection, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	errs := fupin.FieldErrors{}
	if aid.AreaName(in.AreaCode) == "" {
		errs.Add("area_code", "不是有效的统计用区划代码："+in.AreaCode)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !actor.Covers(in.AreaCode) {
		return nil, aid.ForbidArea(in.AreaCode)
	}
	var out *ledger.Inspection
	err := db.update(ctx, actor, func(tx *Tx) error {
		if in.RecheckOf != nil {
			if _, err := tx.inspection(ctx, *in.RecheckOf); err != nil {
				return withField(err, "recheck_of")
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO ledger_inspections (source, title, batch, area_code, feedback_on,
			recheck_of, note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			in.Source, in.Title, in.Batch, in.AreaCode, in.FeedbackOn, nullID(in.RecheckOf), in.Note, actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create inspection: %w", err)
		}
		var err error
		if out, err = tx.inspection(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "ledger.inspection.create", "ledger_inspection", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

const inspectionCols = `id, source, title, batch, area_code, feedback_on, recheck_of, note, version, created_by, created_at`

func scanInspection(row scanner) (*ledger.Inspection, error) {
	var in ledger.Inspection
	var recheck sql.NullInt64
	err := row.Scan(&in.ID, &in.Source, &in.Title, &in.Batch, &in.AreaCode, &in.FeedbackOn, &recheck, &in.Note,
		&in.Version, &in.CreatedBy, &in.CreatedAt)
	in.RecheckOf, in.CreatedAt = idPtr(recheck), in.CreatedAt.UTC()
	return &in, err
}

// inspection loads an inspection the actor sees (its area overlaps theirs).
func (tx *Tx) inspection(ctx context.Context, id int64) (*ledger.Inspection, error) {
	in, err := scanInspection(tx.QueryRowContext(ctx, `SELECT `+inspectionCols+` FROM ledger_inspections WHERE id = $1`, id))
	if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, in.AreaCode)) {
		return nil, notFound("巡视（检查）", id)
	} else if err != nil {
		return nil, fmt.Errorf("load inspection: %w", err)
	}
	return in, nil
}

// Inspection returns one inspection. Errors: not_found.
func (db *DB) Inspection(ctx context.Context, actor fupin.Actor, id int64) (*ledger.Inspection, error) {
	var out *ledger.Inspection
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.inspection(ctx, id)
		return err
	})
	return out, err
}

// Inspections lists the inspections whose area overlaps area within the
// actor's areas, newest first (at most 1,000).
func (db *DB) Inspections(ctx context.Context, actor fupin.Actor, area string) ([]ledger.Inspection, error) {
	out := []ledger.Inspection{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		rows, err := tx.QueryContext(ctx, `SELECT `+inspectionCols+` FROM ledger_inspections WHERE `+
			overlapCond("area_code", actor, area, arg)+` ORDER BY id DESC LIMIT 1000`, args...)
		if err != nil {
			return fmt.Errorf("inspections: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			in, err := scanInspection(rows)
			if err != nil {
				return fmt.Errorf("scan inspection: %w", err)
			}
			if aid.Sees(actor, in.AreaCode) && overlaps(in.AreaCode, area) {
				out = append(out, *in)
			}
		}
		return rows.Err()
	})
	return out, err
}

func overlaps(a, b string) bool {
	return len(a) >= len(b) && a[:len(b)] == b || len(b) > len(a) && b[:len(a)] == a
}
