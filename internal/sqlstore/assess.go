package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
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
// income items), to fn; see eachHousehold. fn may keep the household.
func (db *DB) EachHousehold(ctx context.Context, actor fupin.Actor, area string, fn func(*fupin.Household) error) error {
	return db.eachHousehold(ctx, actor, area, fullScan, fn)
}

// Assess evaluates every live household of an area for a year and stores
// the verdicts in one transaction. Verdicts whose outcome, reasons and
// policy version are unchanged are not rewritten; replaced ones go to the
// history. each, when not nil, sees every verdict (valid only during the
// call).
func (db *DB) Assess(ctx context.Context, actor fupin.Actor, area string, year int, each func(*fupin.Household, *criteria.Verdict) error) (AssessStats, error) {
	var st AssessStats
	err := db.update(ctx, actor, func(tx *Tx) error {
		rows, err := tx.paramRows(ctx)
		if err != nil {
			return err
		}
		old, err := tx.verdictKeys(ctx, actor, area, year)
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
			switch key := verdictRowKey(row); {
			case exists && prev == key:
				return nil
			case exists && sameOutcome(prev, key):
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
		return tx.markFixed(ctx, 0) // the rectification ledger closes itself where verdicts pass
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

// sameOutcome reports whether two verdict keys differ at most in the
// per-capita income: the outcome history only records outcome changes.
func sameOutcome(a, b string) bool {
	return a[:strings.LastIndexByte(a, '#')] == b[:strings.LastIndexByte(b, '#')]
}

const verdictKeySQL = `policy_version || '|' || s_food || '|' || s_clothing || '|' || s_education || '|' ||
	s_medical || '|' || s_housing || '|' || s_water || '|' || s_standard || '|' || s_income || '|' ||
	reasons || '|' || signals || '|#' || COALESCE(CAST(per_capita AS TEXT), '')`

// verdictKeys loads the stored verdict keys of an area and year.
func (tx *Tx) verdictKeys(ctx context.Context, actor fupin.Actor, area string, year int) (map[int64]string, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	cond := areaCond("village_code", actor.Narrow(area), arg)
	rows, err := tx.QueryContext(ctx, `SELECT household_id, `+verdictKeySQL+`
		FROM verdicts WHERE year = `+arg(year)+` AND `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("stored verdicts: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		out[id] = k
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
	w.buf, w.n = w.buf[:0], 0
	return nil
}
