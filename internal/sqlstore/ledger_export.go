package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// FindingSheetRows reads the findings of area (within the actor's areas),
// optionally of one inspection, with their inspection's source and title,
// ordered by inspection and number, for the 三单 export. Errors: invalid
// (more than ledger.MaxSheetRows findings: narrow the area).
func (db *DB) FindingSheetRows(ctx context.Context, actor fupin.Actor, area string, inspectionID int64) ([]ledger.SheetRow, error) {
	var out []ledger.SheetRow
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = nil
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := findingAreaCond(actor.Narrow(area), arg)
		if inspectionID != 0 {
			where += " AND f.inspection_id = " + arg(inspectionID)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_findings f WHERE `+where, args...).Scan(&n); err != nil {
			return fmt.Errorf("count findings: %w", err)
		}
		if n > ledger.MaxSheetRows {
			return &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("问题数（%d）超过一次导出的上限 %d，请按乡镇或巡视分别导出", n, ledger.MaxSheetRows),
				Fields: map[string]string{"area": "范围过大"}}
		}
		out = make([]ledger.SheetRow, 0, n)
		rows, err := tx.QueryContext(ctx, `SELECT i.source, i.title, `+findingCols+` FROM ledger_findings f
			JOIN ledger_inspections i ON i.id = f.inspection_id WHERE `+where+` ORDER BY f.inspection_id, f.id`, args...)
		if err != nil {
			return fmt.Errorf("sheet rows: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var src, title string
			f, err := scanFinding(prefixScanner{rows, []any{&src, &title}})
			if err != nil {
				return fmt.Errorf("scan finding: %w", err)
			}
			out = append(out, ledger.SheetRow{Finding: *f, Source: src, InspectionTitle: title})
		}
		return rows.Err()
	})
	return out, err
}

// prefixScanner scans leading columns into pre before the rest.
type prefixScanner struct {
	row scanner
	pre []any
}

func (p prefixScanner) Scan(dest ...any) error { return p.row.Scan(append(p.pre, dest...)...) }
