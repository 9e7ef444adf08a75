package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyPostgres writes the batches with COPY on the transaction's connection.
func (tx *Tx) copyPostgres(ctx context.Context, batches <-chan rowBatch, pool batchPool, empty bool) (BulkStats, error) {
	var st BulkStats
	var rebuild []string
	if empty {
		var err error
		if rebuild, err = tx.pgDropForLoad(ctx); err != nil {
			return st, err
		}
	}
	for b := range batches {
		if err := tx.ensureVillages(ctx, b.villages); err != nil {
			return st, err
		}
		if err := tx.mergeAll(ctx, b, &st); err != nil {
			return st, err
		}
		if err := tx.savePolicies(ctx, b.policies); err != nil {
			return st, err
		}
		// COPY writes only new households: no snapshot refers to them, so
		// the copy-on-write triggers stand aside (migration 0026).
		if _, err := tx.ExecContext(ctx, `SELECT set_config('fupin.copy_new', 'on', true)`); err != nil {
			return st, fmt.Errorf("mark copy: %w", err)
		}
		err := tx.conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			for _, c := range []struct {
				table, cols string
				width       int
				flat        []any
			}{{"households", bulkHouseholdCols, bulkHouseholdW, b.households},
				{"members", bulkMemberCols, bulkMemberW, b.members},
				{"incomes", bulkIncomeCols, bulkIncomeW, b.incomes},
				{"verdicts", verdictCols, verdictColCount, b.verdicts},
				{"import_changes", importChangeCols, importChangeWidth, b.changes}} {
				if len(c.flat) == 0 {
					continue
				}
				if _, err := pc.CopyFrom(ctx, pgx.Identifier{c.table}, splitCols(c.cols), &flatRows{flat: c.flat, width: c.width, i: -1}); err != nil {
					return fmt.Errorf("copy %s: %w", c.table, tx.mapUnique(err))
				}
			}
			return nil
		})
		if err != nil {
			return st, err
		}
		if _, err := tx.ExecContext(ctx, `SELECT set_config('fupin.copy_new', 'off', true)`); err != nil {
			return st, fmt.Errorf("unmark copy: %w", err)
		}
		st.Households += b.stats.Households
		st.Members += b.stats.Members
		st.Incomes += b.stats.Incomes
		pool.put(b)
	}
	for _, ddl := range rebuild {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return st, fmt.Errorf("rebuild after load: %w", tx.mapUnique(err))
		}
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

// flatRows serves a flat value slice to COPY as rows of width values.
type flatRows struct {
	flat  []any
	width int
	i     int
}

func (r *flatRows) Next() bool             { r.i++; return (r.i+1)*r.width <= len(r.flat) }
func (r *flatRows) Values() ([]any, error) { return r.flat[r.i*r.width : (r.i+1)*r.width], nil }
func (r *flatRows) Err() error             { return nil }

func splitCols(cols string) []string {
	parts := strings.Split(cols, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// pgDropForLoad drops the secondary indexes and foreign keys of the
// registry tables and returns the statements that restore them. PostgreSQL
// checks a foreign key by a trigger per row and updates every index per
// row; rebuilding once after COPY is several times faster. All of it runs
// in the load's transaction, so a duplicate or dangling row still fails the
// whole load.
func (tx *Tx) pgDropForLoad(ctx context.Context) ([]string, error) {
	var drop, restore []string
	rows, err := tx.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
		FROM pg_constraint c WHERE c.contype = 'f'
		AND c.conrelid::regclass::text IN (`+bulkTables+`)`)
	if err != nil {
		return nil, fmt.Errorf("list foreign keys: %w", err)
	}
	for rows.Next() {
		var table, name, def string
		if err := rows.Scan(&table, &name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drop = append(drop, `ALTER TABLE `+table+` DROP CONSTRAINT `+name)
		restore = append(restore, `ALTER TABLE `+table+` ADD CONSTRAINT `+name+` `+def)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename IN (`+bulkTables+`)
		AND indexname NOT LIKE '%_pkey' ORDER BY indexname`)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var indexes []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drop = append(drop, `DROP INDEX `+name)
		indexes = append(indexes, def)
	}
	rows.Close()
	for _, d := range drop {
		if _, err := tx.ExecContext(ctx, d); err != nil {
			return nil, fmt.Errorf("prepare load: %w", err)
		}
	}
	return append(indexes, restore...), rows.Err()
}
