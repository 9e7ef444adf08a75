package sqlstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"fupin/internal/fupin"
)

// copyPostgres writes batches with COPY on the transaction's connection.
func (tx *Tx) copyPostgres(ctx context.Context, batches <-chan batch) (BulkStats, error) {
	var st BulkStats
	hid, mid, err := tx.nextIDs(ctx)
	if err != nil {
		return st, err
	}
	seen := map[string]bool{}
	for b := range batches {
		if err := tx.prepareBatch(ctx, b, &hid, &mid, seen); err != nil {
			return st, err
		}
		var hs, ms, is [][]any
		for _, h := range b {
			hs = append(hs, pgRow(bulkHouseholdRow(h)))
			for i := range h.Members {
				ms = append(ms, pgRow(bulkMemberRow(&h.Members[i])))
			}
			for i := range h.Incomes {
				row, err := bulkIncomeRow(h.ID, &h.Incomes[i], tx.now)
				if err != nil {
					return st, err
				}
				is = append(is, pgRow(row))
			}
		}
		err := tx.conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			for _, c := range []struct {
				table, cols string
				rows        [][]any
			}{{"households", bulkHouseholdCols, hs}, {"members", bulkMemberCols, ms}, {"incomes", bulkIncomeCols, is}} {
				if _, err := pc.CopyFrom(ctx, pgx.Identifier{c.table}, splitCols(c.cols), pgx.CopyFromRows(c.rows)); err != nil {
					return fmt.Errorf("copy %s: %w", c.table, tx.mapUnique(err))
				}
			}
			return nil
		})
		if err != nil {
			return st, err
		}
		st.Households += len(hs)
		st.Members += len(ms)
		st.Incomes += len(is)
	}
	// Later inserts without an explicit id must not collide with these.
	for _, t := range []string{"households", "members"} {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
			(SELECT COALESCE(MAX(id), 1) FROM `+t+`))`); err != nil {
			return st, fmt.Errorf("reset %s id sequence: %w", t, err)
		}
	}
	return st, nil
}

// pgRow converts values that pgx cannot encode for COPY (binary format)
// from their database/sql form.
func pgRow(row []any) []any {
	for i, v := range row {
		switch x := v.(type) {
		case fupin.Date:
			if x.IsZero() {
				row[i] = nil
			} else {
				row[i] = x.Time()
			}
		case fupin.Money:
			row[i] = int64(x)
		case driver.Valuer:
			row[i], _ = x.Value()
		}
	}
	return row
}

func splitCols(cols string) []string {
	parts := strings.Split(cols, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
