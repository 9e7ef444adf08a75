package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// AssessStats counts what a batch assessment did.
type AssessStats struct {
	Households int `json:"households"`
	Changed    int `json:"changed" description:"结论与上次不同的户数（旧结论已存入历史）"`
}

// EachHousehold streams the live households of an area inside the actor's
// areas, in id order, each with its members and income years (without
// income items), to fn; see eachHousehold. It is the export's read: the
// households' and income years' timestamps (CreatedAt, UpdatedAt,
// DeletedAt) are left zero (see exportScan). fn may keep the household.
func (db *DB) EachHousehold(ctx context.Context, actor fupin.Actor, area string, fn func(*fupin.Household) error) error {
	return db.eachHousehold(ctx, actor, area, exportScan, fn)
}

// Assess evaluates every live household of an area for a year and stores
// the verdicts in one transaction. Verdicts whose outcome, reasons and
// policy version are unchanged are not rewritten; replaced ones go to the
// history. each, when not nil, sees every verdict (valid only during the
// call; with each there is no failover retry, see update).
func (db *DB) Assess(ctx context.Context, actor fupin.Actor, area string, year int, each func(*fupin.Household, *criteria.Verdict) error) (AssessStats, error) {
	var st AssessStats
	if db.dialect == SQLite {
		// After the transaction: the write pool has one connection.
		defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -`+itoa(writeCacheKiB))
	}
	update := db.update
	if each != nil {
		// What each did with the verdicts of a failed run (rows of the caller's
		// sheet) cannot be taken back: no failover retry, the caller runs again.
		update = db.updateNoRetry
	}
	err := update(ctx, actor, func(tx *Tx) error {
		st = AssessStats{} // a failover retry counts afresh
		rows, err := tx.paramRows(ctx)
		if err != nil {
			return err
		}
		if db.dialect == SQLite {
			// Verdicts are rewritten in id order: a small cache does, and
			// keeps a county's assessment from filling 128 MiB.
			if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -`+itoa(assessCacheKiB)); err != nil {
				return err
			}
		}
		old, err := db.verdictKeys(ctx, actor, area, year)
		if err != nil {
			return err
		}
		w, err := tx.newVerdictWriter(ctx, year, len(old) > 0)
		if err != nil {
			return err
		}
		defer w.close()
		params := map[string]*criteria.Params{}
		var ev criteria.Evaluator
		err = db.eachHousehold(ctx, actor, area, leanScan, func(h *fupin.Household) error {
			p := params[h.VillageCode]
			if p == nil {
				if p, err = criteria.Resolve(rows, h.VillageCode, year); err != nil {
					return err
				}
				if err := tx.savePolicyVersion(ctx, p); err != nil {
					return err
				}
				params[h.VillageCode] = p
			}
			v := ev.Evaluate(h, year, fupin.Date{}, p)
			if each != nil {
				if err := each(h, &v); err != nil {
					return err
				}
			}
			st.Households++
			row := verdictRow(nil, h, &v, tx.now, db.dialect == Postgres)
			prev, exists := old[h.ID]
			switch key := hashVerdictKey(verdictRowKey(row)); {
			case exists && prev == key:
				return nil
			case exists && prev.outcome == key.outcome:
				// Only the stored per-capita income moved: rewrite, but
				// there is no earlier outcome to keep.
			case exists:
				st.Changed++
				w.changed = append(w.changed, h.ID)
			}
			return w.add(ctx, row)
		})
		if err != nil {
			return err
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if err := tx.markFixed(ctx, 0); err != nil { // the rectification ledger closes itself where verdicts pass
			return err
		}
		if w.wrote > 0 {
			tx.markTodoScope("")
			tx.markChanged()
		}
		return nil
	})
	return st, err
}

// verdictRowKey is what decides whether a stored verdict is still right:
// policy version, statuses, reasons and signals (positions in verdictCols),
// then '#' and the per-capita income, which the dashboard's income bands
// read (empty when NULL).
func verdictRowKey(row []any) string {
	var b strings.Builder
	for _, i := range []int{4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19} {
		b.WriteString(row[i].(string))
		b.WriteByte('|')
	}
	b.WriteByte('#')
	if pc, ok := row[21].(int64); ok {
		b.WriteString(strconv.FormatInt(pc, 10))
	}
	return b.String()
}

const verdictKeySQL = `policy_version || '|' || s_food || '|' || s_clothing || '|' || s_education || '|' ||
	s_medical || '|' || s_housing || '|' || s_water || '|' || s_standard || '|' || s_income || '|' ||
	reasons || '|' || signals || '|#' || COALESCE(CAST(per_capita AS TEXT), '')`

// verdictHash stands for a verdict key (verdictRowKey): FNV-64a of the
// outcome part (before '#') and of the whole. A county's stored keys are
// held for the whole assessment, and as strings they took about 100 MB per
// 300,000 households; two hashes take 16 bytes.
type verdictHash struct{ outcome, full uint64 }

func hashVerdictKey(k string) verdictHash {
	cut := strings.LastIndexByte(k, '#')
	h := fnv.New64a()
	h.Write([]byte(k[:cut]))
	outcome := h.Sum64()
	h.Write([]byte(k[cut:]))
	return verdictHash{outcome: outcome, full: h.Sum64()}
}

// verdictKeys loads the stored verdict keys of an area and year, hashed, on
// a scan connection (the caller's write transaction has the write lock, so
// they are what it would read).
func (db *DB) verdictKeys(ctx context.Context, actor fupin.Actor, area string, year int) (map[int64]verdictHash, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	cond := areaCond("village_code", actor.Narrow(area), arg)
	rows, done, err := db.scanQuery(ctx, `SELECT household_id, `+verdictKeySQL+`
		FROM verdicts WHERE year = `+arg(year)+` AND `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("stored verdicts: %w", err)
	}
	defer done()
	out := map[int64]verdictHash{}
	var k []byte
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		out[id] = hashVerdictKey(string(k))
	}
	return out, rows.Err()
}

// verdictWriter batches verdict rows into one prepared multi-row upsert,
// copying the replaced verdicts of changed households into the history
// first.
type verdictWriter struct {
	tx      *Tx
	year    int
	full    *sql.Stmt
	buf     []any
	n       int
	changed []int64
	wrote   int // rows written so far
}

const verdictBatch = 400

func (tx *Tx) newVerdictWriter(ctx context.Context, year int, upsert bool) (*verdictWriter, error) {
	st, err := tx.PrepareContext(ctx, upsertVerdictSQL(verdictBatch, tx.dialect, upsert))
	if err != nil {
		return nil, fmt.Errorf("prepare verdicts: %w", err)
	}
	return &verdictWriter{tx: tx, year: year, full: st}, nil
}

func (w *verdictWriter) close() { w.full.Close() }

func (w *verdictWriter) add(ctx context.Context, row []any) error {
	w.buf = append(w.buf, row...)
	w.n++
	if w.n == verdictBatch {
		return w.flush(ctx)
	}
	return nil
}

func (w *verdictWriter) flush(ctx context.Context) error {
	if len(w.changed) > 0 {
		ids := make([]string, len(w.changed))
		for i, id := range w.changed {
			ids[i] = strconv.FormatInt(id, 10)
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO verdict_history (household_id, year, policy_version,
			pass, problems, statuses, reasons, computed_at, replaced_at)
			SELECT household_id, year, policy_version, pass, problems,
				s_food || ',' || s_clothing || ',' || s_education || ',' || s_medical || ',' || s_housing || ',' ||
				s_water || ',' || s_standard || ',' || s_income, reasons, computed_at, $1
			FROM verdicts WHERE year = $2 AND household_id IN (`+strings.Join(ids, ",")+`)`, w.tx.now, w.year); err != nil {
			return fmt.Errorf("verdict history: %w", err)
		}
		w.changed = w.changed[:0]
	}
	var err error
	switch {
	case w.n == verdictBatch:
		_, err = w.full.ExecContext(ctx, w.buf...)
	case w.n > 0:
		err = w.tx.upsertVerdicts(ctx, w.buf, w.n)
	}
	if err != nil {
		return fmt.Errorf("store verdicts: %w", err)
	}
	w.wrote += w.n
	w.buf, w.n = w.buf[:0], 0
	return nil
}
