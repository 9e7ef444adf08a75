package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fupin/internal/fupin"
)

// BulkStats counts what a bulk load wrote.
type BulkStats struct {
	Households int `json:"households"`
	Members    int `json:"members"`
	Incomes    int `json:"incomes"`
}

// batch is a slice of households ready to write, with ids assigned.
type batch []*fupin.Household

const bulkBatch = 500

// BulkLoad writes many already-validated households in one transaction:
// all or nothing. produce calls emit once per household; it runs on its own
// goroutine so that producing and writing overlap. Households are written
// with ids assigned here; their members' ids too. One audit entry records the
// load. On SQLite rows go in as multi-row prepared INSERTs, on PostgreSQL
// through COPY.
func (db *DB) BulkLoad(ctx context.Context, actor fupin.Actor, action string, produce func(emit func(*fupin.Household) error) error) (BulkStats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 4)
	prodErr := make(chan error, 1)
	go func() {
		defer close(batches)
		var cur batch
		err := produce(func(h *fupin.Household) error {
			cur = append(cur, h)
			if len(cur) == bulkBatch {
				select {
				case batches <- cur:
				case <-ctx.Done():
					return ctx.Err()
				}
				cur = nil
			}
			return nil
		})
		if err == nil && len(cur) > 0 {
			batches <- cur
		}
		prodErr <- err
	}()
	var stats BulkStats
	err := db.updateOnConn(ctx, actor, func(tx *Tx) error {
		var err error
		if db.dialect == Postgres {
			stats, err = tx.copyPostgres(ctx, batches)
		} else {
			stats, err = tx.insertSQLite(ctx, batches)
		}
		if err != nil {
			return err
		}
		if err := <-prodErr; err != nil {
			return err
		}
		return tx.audit(ctx, action, "bulk", int64(stats.Households), 0, nil, stats)
	})
	if err != nil {
		cancel()
		for range batches { // let the producer finish
		}
	}
	return stats, err
}

// nextIDs returns the first free household and member ids.
func (tx *Tx) nextIDs(ctx context.Context) (hid, mid int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM households`).Scan(&hid)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM members`).Scan(&mid)
	}
	return hid, mid, err
}

// prepareBatch assigns ids, fills the derived head and size, and makes sure
// every village is in the regions table.
func (tx *Tx) prepareBatch(ctx context.Context, b batch, hid, mid *int64, seen map[string]bool) error {
	for _, h := range b {
		if !seen[h.VillageCode] {
			if err := tx.ensureVillage(ctx, h.VillageCode); err != nil {
				return fmt.Errorf("household %s: %w", h.HouseholdNo, err)
			}
			seen[h.VillageCode] = true
		}
		h.ID, *hid = *hid, *hid+1
		h.Version, h.CreatedAt, h.UpdatedAt = 1, tx.now, tx.now
		h.Size, h.HeadName = 0, ""
		for i := range h.Members {
			m := &h.Members[i]
			m.ID, m.HouseholdID, *mid = *mid, h.ID, *mid+1
			if m.Active() {
				h.Size++
				if m.Relation == "head" {
					h.HeadName = m.Name
				}
			}
		}
	}
	return nil
}

func bulkHouseholdRow(h *fupin.Household) []any {
	row := append([]any{h.ID}, householdArgs(h)...)
	return append(row, h.HeadName, h.Size, h.Version, h.CreatedAt, h.UpdatedAt)
}

func bulkMemberRow(m *fupin.Member) []any {
	row := append([]any{m.ID, m.HouseholdID}, memberArgs(m)...)
	return append(row, m.Active())
}

func bulkIncomeRow(hid int64, y *fupin.IncomeYear, now any) ([]any, error) {
	args, err := incomeArgs(y)
	if err != nil {
		return nil, err
	}
	return append(append([]any{hid}, args...), now), nil
}

const (
	bulkHouseholdCols = "id, " + householdCols + ", head_name, size, version, created_at, updated_at"
	bulkMemberCols    = "id, household_id, " + memberCols + ", is_current"
	bulkIncomeCols    = "household_id, " + incomeCols + ", updated_at"
)

// multiInsert is a prepared INSERT of up to rows rows of width columns.
type multiInsert struct {
	table, cols string
	width, rows int
	full        *sql.Stmt
	buf         []any
	tx          *Tx
}

func (tx *Tx) newMultiInsert(ctx context.Context, table, cols string, width, rows int) (*multiInsert, error) {
	mi := &multiInsert{table: table, cols: cols, width: width, rows: rows, tx: tx}
	st, err := tx.PrepareContext(ctx, mi.statement(rows))
	if err != nil {
		return nil, fmt.Errorf("prepare bulk %s: %w", table, err)
	}
	mi.full = st
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
	return b.String()
}

// add queues one row and writes a full statement when the buffer is full.
func (mi *multiInsert) add(ctx context.Context, row []any) error {
	mi.buf = append(mi.buf, row...)
	if len(mi.buf) == mi.width*mi.rows {
		if _, err := mi.full.ExecContext(ctx, mi.buf...); err != nil {
			return fmt.Errorf("bulk insert %s: %w", mi.table, mapBulk(mi.tx, err))
		}
		mi.buf = mi.buf[:0]
	}
	return nil
}

// flush writes the remaining rows and closes the statement.
func (mi *multiInsert) flush(ctx context.Context) error {
	defer mi.full.Close()
	if len(mi.buf) == 0 {
		return nil
	}
	if _, err := mi.tx.ExecContext(ctx, mi.statement(len(mi.buf)/mi.width), mi.buf...); err != nil {
		return fmt.Errorf("bulk insert %s: %w", mi.table, mapBulk(mi.tx, err))
	}
	mi.buf = mi.buf[:0]
	return nil
}

func mapBulk(tx *Tx, err error) error { return tx.mapUnique(err) }

func (tx *Tx) insertSQLite(ctx context.Context, batches <-chan batch) (BulkStats, error) {
	var st BulkStats
	hid, mid, err := tx.nextIDs(ctx)
	if err != nil {
		return st, err
	}
	hs, err := tx.newMultiInsert(ctx, "households", bulkHouseholdCols, householdColCount+6, 200)
	if err != nil {
		return st, err
	}
	ms, err := tx.newMultiInsert(ctx, "members", bulkMemberCols, memberColCount+3, 500)
	if err != nil {
		return st, err
	}
	is, err := tx.newMultiInsert(ctx, "incomes", bulkIncomeCols, incomeColCount, 1000)
	if err != nil {
		return st, err
	}
	// Members may reach SQLite before their household's buffered row does.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return st, err
	}
	indexes, err := tx.dropIndexesIfEmpty(ctx, hid)
	if err != nil {
		return st, err
	}
	seen := map[string]bool{}
	for b := range batches {
		if err := tx.prepareBatch(ctx, b, &hid, &mid, seen); err != nil {
			return st, err
		}
		for _, h := range b {
			if err := hs.add(ctx, bulkHouseholdRow(h)); err != nil {
				return st, err
			}
			for i := range h.Members {
				if err := ms.add(ctx, bulkMemberRow(&h.Members[i])); err != nil {
					return st, err
				}
			}
			for i := range h.Incomes {
				row, err := bulkIncomeRow(h.ID, &h.Incomes[i], tx.now)
				if err != nil {
					return st, err
				}
				if err := is.add(ctx, row); err != nil {
					return st, err
				}
			}
			st.Households++
			st.Members += len(h.Members)
			st.Incomes += len(h.Incomes)
		}
	}
	for _, mi := range []*multiInsert{hs, ms, is} {
		if err := mi.flush(ctx); err != nil {
			return st, err
		}
	}
	for _, ddl := range indexes {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return st, fmt.Errorf("rebuild index: %w", tx.mapUnique(err))
		}
	}
	return st, nil
}

// dropIndexesIfEmpty drops the secondary indexes of the registry tables when
// they hold no households yet (firstID is 1) and returns the statements that
// recreate them: building an index once from all rows is several times
// faster than updating it row by row. The unique indexes are recreated in
// the same transaction, so a duplicate still fails the whole load.
// members_household stays: SQLite's deferred foreign-key bookkeeping looks
// up children by it on every household insert.
func (tx *Tx) dropIndexesIfEmpty(ctx context.Context, firstID int64) ([]string, error) {
	if firstID != 1 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index'
		AND tbl_name IN ('households', 'members', 'incomes') AND sql IS NOT NULL
		AND name <> 'members_household' ORDER BY name`)
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
