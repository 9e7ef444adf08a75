package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// deptStageBatch is the number of list rows per staging INSERT (four
// values each, well under SQLite's 32,766 parameters).
const deptStageBatch = 1000

// deptScanRows is the list size from which matching may scan the members
// table once instead of looking each staged ID up; it does when the list
// has at least one row per deptScanRatio members. A lookup reaches a
// random page of the members table, a scan reads every page in order;
// against 1.04M members (BenchmarkDepartmentList1M) looking up took 1.5 s
// for 100,000 IDs and 20.8 s for 1M, scanning 2.2 s and 16.2 s.
const (
	deptScanRows  = 20_000
	deptScanRatio = 4
)

// matchDeptRows matches a department list set-wise: the rows go into a
// temporary table keyed by ID number; one INSERT … SELECT joins it to the
// current members of the actor's areas and appends the hits to a second
// temporary table; the alerts are written from the hits in one
// statement (the unique index on department, ID, fact and date drops facts
// already alerted) and, when some rows missed, an anti-join lists them.
func (tx *Tx) matchDeptRows(ctx context.Context, out *DeptLoad, department, area string, due fupin.Date, rows []monitor.DeptRow) error {
	if err := tx.stageDeptRows(ctx, rows); err != nil {
		return err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	scope := areaCond("h.village_code", tx.actor.Narrow(""), arg)
	// CROSS JOIN fixes SQLite's join order (PostgreSQL plans it freely):
	// a short list looks its IDs up, a long one walks the members table in
	// storage order, which is also household order.
	from := `monitor_dept_stage d CROSS JOIN members m`
	if scan, err := tx.deptScan(ctx, len(rows)); err != nil {
		return err
	} else if scan {
		from = `members m CROSS JOIN monitor_dept_stage d`
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO monitor_dept_hits (line, id_number, fact, fact_on, household_id, village_code)
		SELECT d.line, d.id_number, d.fact, d.fact_on, h.id, h.village_code FROM `+from+` CROSS JOIN households h
		WHERE m.is_current AND m.id_number = d.id_number AND h.id = m.household_id AND `+scope, args...)
	if err != nil {
		return fmt.Errorf("match department list: %w", err)
	}
	if out.Matched, err = rowsAffected(res); err != nil {
		return err
	}
	out.Unmatched = len(rows) - out.Matched
	// SQLite needs a WHERE in an INSERT … SELECT with an upsert clause, so
	// that ON CONFLICT is not read as a join constraint. The hits come in
	// members order; written by ID number they reach the unique index
	// (department, ID, fact, date) in its own order instead of at random
	// pages: BenchmarkDepartmentList1M on SQLite with 1M alerts already
	// stored, 17.1 and 16.6 CPU-s before, 13.8 and 14.1 after (system time
	// 5.3–6.1 s → 3.1 s).
	res, err = tx.ExecContext(ctx, `INSERT INTO monitor_alerts (file_id, household_id, village_code, id_number,
			department, fact, fact_on, received_on, due_on)
		SELECT $1, household_id, village_code, id_number, $2, fact, fact_on, $3, $4 FROM monitor_dept_hits
		WHERE 1 = 1 ORDER BY id_number
		ON CONFLICT (department, id_number, fact, fact_on) DO NOTHING`, out.FileID, department, tx.today(), due)
	if err != nil {
		return fmt.Errorf("insert alerts: %w", err)
	}
	if out.NewAlerts, err = rowsAffected(res); err != nil {
		return err
	}
	if out.Unmatched > 0 {
		// The hits were appended in match order; the anti-join needs them
		// by line (on PostgreSQL the planner hashes them instead).
		if tx.dialect == SQLite {
			if _, err := tx.ExecContext(ctx, `CREATE INDEX temp.monitor_dept_hits_line ON monitor_dept_hits(line)`); err != nil {
				return fmt.Errorf("department stage: %w", err)
			}
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO monitor_unmatched (file_id, area, id_number, fact)
			SELECT $1, $2, d.id_number, d.fact FROM monitor_dept_stage d
			WHERE NOT EXISTS (SELECT 1 FROM monitor_dept_hits x WHERE x.line = d.line)
			ORDER BY d.line`, out.FileID, area); err != nil {
			return fmt.Errorf("insert unmatched: %w", err)
		}
	}
	return tx.dropDeptStage(ctx)
}

// deptScan reports whether a list of n rows is matched by scanning the
// members table: the highest member id bounds the table's size at the cost
// of one index step.
func (tx *Tx) deptScan(ctx context.Context, n int) (bool, error) {
	if n < deptScanRows {
		return false, nil
	}
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM members`).Scan(&last); err != nil {
		return false, fmt.Errorf("members: %w", err)
	}
	return int64(n)*deptScanRatio >= last.Int64, nil
}

func rowsAffected(res sql.Result) (int, error) {
	n, err := res.RowsAffected()
	return int(n), err
}

// stageDeptRows loads the rows into the temporary table monitor_dept_stage
// in ID-number order, so that its primary key grows by appending.
func (tx *Tx) stageDeptRows(ctx context.Context, rows []monitor.DeptRow) error {
	ddl := []string{`CREATE TEMP TABLE monitor_dept_stage (id_number TEXT NOT NULL, line INTEGER NOT NULL,
		fact TEXT NOT NULL, fact_on DATE, PRIMARY KEY (id_number, line))`,
		`CREATE TEMP TABLE monitor_dept_hits (line INTEGER NOT NULL, id_number TEXT NOT NULL,
		fact TEXT NOT NULL, fact_on DATE, household_id BIGINT NOT NULL, village_code TEXT NOT NULL)`}
	if tx.dialect == SQLite {
		ddl[0] += ` WITHOUT ROWID`
	} else {
		ddl[0] += ` ON COMMIT DROP`
		ddl[1] += ` ON COMMIT DROP`
	}
	if tx.dialect == SQLite {
		// A temporary table lives as long as the connection: drop what a
		// failed load may have left on the write connection. The staged
		// rows stay in memory rather than spill to a temporary file.
		ddl = append([]string{`DROP TABLE IF EXISTS temp.monitor_dept_stage`, `DROP TABLE IF EXISTS temp.monitor_dept_hits`,
			`PRAGMA temp.cache_size = -` + itoa(tempCacheKiB)}, ddl...)
	}
	for _, q := range ddl {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("department stage: %w", err)
		}
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := strings.Compare(rows[a].IDNumber, rows[b].IDNumber); c != 0 {
			return c
		}
		return a - b
	})
	vals := make([]any, 0, deptStageBatch*4)
	for start := 0; start < len(order); start += deptStageBatch {
		vals = vals[:0]
		for _, i := range order[start:min(start+deptStageBatch, len(order))] {
			r := rows[i]
			vals = append(vals, r.IDNumber, i, r.Fact, r.FactOn)
		}
		if _, err := tx.insertMany(ctx, `INSERT INTO monitor_dept_stage (id_number, line, fact, fact_on) VALUES `,
			4, vals, ""); err != nil {
			return fmt.Errorf("department stage: %w", err)
		}
	}
	return nil
}

// dropDeptStage frees the staged rows before the transaction ends (on
// PostgreSQL the table also goes at commit).
func (tx *Tx) dropDeptStage(ctx context.Context) error {
	for _, st := range tx.prepared { // a prepared INSERT would hold the table
		st.Close()
	}
	tx.prepared = nil
	for _, t := range []string{"monitor_dept_stage", "monitor_dept_hits"} {
		if _, err := tx.ExecContext(ctx, `DROP TABLE `+t); err != nil {
			return fmt.Errorf("department stage: %w", err)
		}
	}
	return nil
}

// bulkMarks returns n parameter markers numbered from from. SQLite gets
// anonymous "?" markers: the driver looks each numbered one up by name in a
// list as long as the statement's, which makes binding a many-row INSERT
// quadratic in its size.
func (tx *Tx) bulkMarks(from, n int) string {
	if tx.dialect != SQLite {
		return placeholders(from, n)
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
