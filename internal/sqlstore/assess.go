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
// areas, in id order, each with its members and income years, to fn. It
// runs three ordered queries and merges them, so memory stays flat. fn
// must not keep the household after it returns unless it copies it.
func (db *DB) EachHousehold(ctx context.Context, actor fupin.Actor, area string, fn func(*fupin.Household) error) error {
	where, args := householdWhere(actor, fupin.HouseholdFilter{Area: area})
	hs, err := db.read.QueryContext(ctx, householdSelect+` WHERE `+where+` ORDER BY h.id`, args...)
	if err != nil {
		return fmt.Errorf("scan households: %w", err)
	}
	defer hs.Close()
	ms, err := db.read.QueryContext(ctx, `SELECT m.id, m.household_id, `+prefixCols("m.", memberCols)+
		` FROM members m JOIN households h ON h.id = m.household_id WHERE `+where+` ORDER BY m.household_id, m.id`, args...)
	if err != nil {
		return fmt.Errorf("scan members: %w", err)
	}
	defer ms.Close()
	is, err := db.read.QueryContext(ctx, `SELECT i.household_id, `+prefixCols("i.", incomeCols)+`, i.updated_at
		FROM incomes i JOIN households h ON h.id = i.household_id WHERE `+where+` ORDER BY i.household_id, i.year DESC`, args...)
	if err != nil {
		return fmt.Errorf("scan incomes: %w", err)
	}
	defer is.Close()
	mc := &cursor[fupin.Member]{rows: ms, scan: scanMember, id: func(m *fupin.Member) int64 { return m.HouseholdID }}
	ic := &cursor[fupin.IncomeYear]{rows: is, scan: scanIncome, id: func(y *fupin.IncomeYear) int64 { return y.HouseholdID }}
	for hs.Next() {
		h, err := scanHousehold(hs)
		if err != nil {
			return fmt.Errorf("scan household: %w", err)
		}
		if h.Members, err = mc.take(h.ID); err != nil {
			return err
		}
		if h.Incomes, err = ic.take(h.ID); err != nil {
			return err
		}
		for i := range h.Incomes {
			h.Incomes[i].Compute(h.Members)
		}
		if err := fn(h); err != nil {
			return err
		}
	}
	return hs.Err()
}

// cursor reads rows ordered by household id and hands out each household's.
type cursor[T any] struct {
	rows    *sql.Rows
	scan    func(scanner) (T, error)
	id      func(*T) int64
	pending *T
	done    bool
}

func (c *cursor[T]) take(householdID int64) ([]T, error) {
	out := []T{}
	for {
		if c.pending == nil && !c.done {
			if !c.rows.Next() {
				c.done = true
				if err := c.rows.Err(); err != nil {
					return nil, err
				}
			} else {
				v, err := c.scan(c.rows)
				if err != nil {
					return nil, err
				}
				c.pending = &v
			}
		}
		if c.pending == nil || c.id(c.pending) > householdID {
			return out, nil
		}
		if c.id(c.pending) == householdID {
			out = append(out, *c.pending)
		}
		c.pending = nil
	}
}

func prefixCols(p, cols string) string {
	parts := splitCols(cols)
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

// Assess evaluates every live household of an area for a year and stores
// the verdicts in one transaction, keeping replaced verdicts whose outcome
// changed in the history. each, when not nil, sees every verdict (valid
// only during the call).
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
		w := &verdictWriter{tx: tx, pg: db.dialect == Postgres, year: year}
		params := map[string]*criteria.Params{}
		var ev criteria.Evaluator
		err = db.EachHousehold(ctx, actor, area, func(h *fupin.Household) error {
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
			if k, ok := old[h.ID]; ok && k != verdictKey(&v) {
				w.changed = append(w.changed, h.ID)
			}
			if each != nil {
				if err := each(h, &v); err != nil {
					return err
				}
			}
			st.Households++
			return w.add(ctx, h, &v)
		})
		if err != nil {
			return err
		}
		st.Changed = w.changedTotal + len(w.changed)
		return w.flush(ctx)
	})
	return st, err
}

// verdictKey is what decides whether a verdict changed: statuses and
// policy version.
func verdictKey(v *criteria.Verdict) string {
	var b strings.Builder
	b.WriteString(v.PolicyVersion)
	for _, item := range criteria.Items {
		b.WriteByte(',')
		if r, ok := v.Result(item); ok {
			b.WriteString(string(r.Status))
		} else {
			b.WriteString(string(criteria.Unknown))
		}
	}
	return b.String()
}

// verdictKeys loads the stored verdict keys of an area and year.
func (tx *Tx) verdictKeys(ctx context.Context, actor fupin.Actor, area string, year int) (map[int64]string, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	cond := areaCond("village_code", actor.Narrow(area), arg)
	rows, err := tx.QueryContext(ctx, `SELECT household_id, policy_version || ',' || s_food || ',' || s_clothing || ',' ||
		s_education || ',' || s_medical || ',' || s_housing || ',' || s_water || ',' || s_standard || ',' || s_income
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

// verdictWriter batches verdict rows into multi-row upserts, copying the
// replaced verdicts of changed households into the history first.
type verdictWriter struct {
	tx           *Tx
	pg           bool
	year         int
	buf          []any
	n            int
	changed      []int64
	changedTotal int
}

const verdictBatch = 400

func (w *verdictWriter) add(ctx context.Context, h *fupin.Household, v *criteria.Verdict) error {
	w.buf = verdictRow(w.buf, h, v, w.tx.now, w.pg)
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
		w.changedTotal += len(w.changed)
		w.changed = w.changed[:0]
	}
	if err := w.tx.upsertVerdicts(ctx, w.buf, w.n); err != nil {
		return err
	}
	w.buf, w.n = w.buf[:0], 0
	return nil
}
