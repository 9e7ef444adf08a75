package sqlstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
)

// multiInsert is a prepared INSERT of up to rows rows of width columns,
// executed on the driver's statement directly (through the transaction's
// connection): the values are already what the driver takes, and skipping
// database/sql's per-argument conversion and locking is a quarter of the
// writer's time on a large load.
type multiInsert struct {
	table, cols string
	width, rows int
	suffix      string // after the VALUES, e.g. an ON CONFLICT clause
	full        driver.Stmt
	buf         []driver.NamedValue
	n           int // values queued in buf
	tx          *Tx
}

func (tx *Tx) newMultiInsert(ctx context.Context, table, cols string, width, rows int, suffix string) (*multiInsert, error) {
	mi := &multiInsert{table: table, cols: cols, width: width, rows: rows, tx: tx, suffix: suffix}
	err := tx.conn.Raw(func(dc any) error {
		st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, mi.statement(rows))
		mi.full = st
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("prepare bulk %s: %w", table, err)
	}
	mi.buf = make([]driver.NamedValue, width*rows)
	for i := range mi.buf {
		mi.buf[i].Ordinal = i + 1
	}
	return mi, nil
}

func (mi *multiInsert) statement(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + mi.table + " (" + mi.cols + ") VALUES ")
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		// Plain "?" markers: modernc binds "$n" by name, which is quadratic in
		// the number of parameters of a statement this size.
		b.WriteString("(?" + strings.Repeat(", ?", mi.width-1) + ")")
	}
	b.WriteString(mi.suffix)
	return b.String()
}

// add queues flat rows, writing a full statement each time the buffer fills.
func (mi *multiInsert) add(ctx context.Context, vals []any) error {
	for _, v := range vals {
		if err := mi.put(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

// put queues one value.
func (mi *multiInsert) put(ctx context.Context, v any) error {
	mi.buf[mi.n].Value = v
	mi.n++
	if mi.n < len(mi.buf) {
		return nil
	}
	err := mi.tx.conn.Raw(func(any) error {
		_, err := mi.full.(driver.StmtExecContext).ExecContext(ctx, mi.buf)
		return err
	})
	if err != nil {
		return fmt.Errorf("bulk insert %s: %w", mi.table, mi.tx.mapUnique(err))
	}
	mi.n = 0
	return nil
}

// close closes the driver statement (once; the load's error paths and its
// end both call it).
func (mi *multiInsert) close() {
	if mi != nil && mi.full != nil {
		mi.tx.conn.Raw(func(any) error { return mi.full.Close() })
		mi.full = nil
	}
}

// flush writes the remaining rows.
func (mi *multiInsert) flush(ctx context.Context) error {
	if mi.n == 0 {
		return nil
	}
	args := make([]any, mi.n)
	for i := range args {
		args[i] = mi.buf[i].Value
	}
	if _, err := mi.tx.ExecContext(ctx, mi.statement(mi.n/mi.width), args...); err != nil {
		return fmt.Errorf("bulk insert %s: %w", mi.table, mi.tx.mapUnique(err))
	}
	mi.n = 0
	return nil
}

// insertSQLite writes the batches with multi-row INSERTs. Into an empty
// registry it drops the secondary indexes first and rebuilds them at the
// end, in the same transaction.
func (tx *Tx) insertSQLite(ctx context.Context, batches <-chan rowBatch, pool batchPool, empty bool) (BulkStats, error) {
	var st BulkStats
	var indexes []string
	if empty {
		var err error
		if indexes, err = tx.dropIndexes(ctx); err != nil {
			return st, err
		}
	}
	var ins [5]*multiInsert
	defer func() {
		for _, mi := range ins {
			mi.close()
		}
	}()
	for i, spec := range []struct {
		table, cols string
		width, rows int
	}{{"households", bulkHouseholdCols, bulkHouseholdW, 200}, {"members", bulkMemberCols, bulkMemberW, 500}, {"incomes", bulkIncomeCols, bulkIncomeW, 1000},
		{"verdicts", verdictCols, verdictColCount, 400}, {"import_changes", importChangeCols, importChangeWidth, 500}} {
		mi, err := tx.newMultiInsert(ctx, spec.table, spec.cols, spec.width, spec.rows, "")
		if err != nil {
			return st, err
		}
		ins[i] = mi
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
		for i, rows := range [][]any{b.households, b.members, b.incomes, b.verdicts, b.changes} {
			if err := ins[i].add(ctx, rows); err != nil {
				return st, err
			}
		}
		st.Households += b.stats.Households
		st.Members += b.stats.Members
		st.Incomes += b.stats.Incomes
		pool.put(b)
	}
	for _, mi := range ins {
		if err := mi.flush(ctx); err != nil {
			return st, err
		}
	}
	for _, ddl := range indexes {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return st, fmt.Errorf("rebuild index: %w", tx.mapUnique(err))
		}
	}
	// Fresh statistics let the planner walk the primary key for wide areas
	// instead of sorting them; a sampled ANALYZE takes well under a second.
	if _, err := tx.ExecContext(ctx, `PRAGMA analysis_limit = 2000; ANALYZE households; ANALYZE members; ANALYZE verdicts`); err != nil {
		return st, fmt.Errorf("analyze: %w", err)
	}
	return st, nil
}

// dropIndexes drops the secondary indexes of the registry tables and
// returns the statements that recreate them: building an index once from
// all rows is several times faster than updating it row by row. The unique
// indexes are rebuilt in the same transaction, so a duplicate still fails
// the whole load.
func (tx *Tx) dropIndexes(ctx context.Context) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index'
		AND tbl_name IN (`+bulkTables+`) AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var names, ddl []string
	for rows.Next() {
		var n, s string
		if err := rows.Scan(&n, &s); err != nil {
			rows.Close()
			return nil, err
		}
		names, ddl = append(names, n), append(ddl, s)
	}
	rows.Close()
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+n); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return ddl, rows.Err()
}
