package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// Aid forces (帮扶力量): aid groups and their
// member units, cadres and their postings, household pairings, visits,
// attendance and rotations. Every record carries an area code (a township
// or village); the store limits reads and writes to the actor's areas.

// query runs a read for the aid lists after calling the step hook
// "query", so that a test can count the statements a list costs.
func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	step(ctx, "query")
	return tx.QueryContext(ctx, q, args...)
}

// overlapping accepts the area codes of organisational records (groups,
// rotations) that overlap area and that the actor sees (overlapCond's
// prefixes only bound the candidates).
func overlapping(actor fupin.Actor, area string) func(code string) bool {
	return func(code string) bool {
		return aid.Sees(actor, code) && (strings.HasPrefix(code, area) || strings.HasPrefix(area, code))
	}
}

// ancestorCodes lists the division codes (levels 2, 4, 6, 9 digits) above
// each of the actor's areas, for "the actor's area lies within" in SQL.
func ancestorCodes(a fupin.Actor) []any {
	var out []any
	for _, p := range a.Areas {
		for _, n := range []int{2, 4, 6, 9} {
			if n < len(p) {
				out = append(out, p[:n])
			}
		}
	}
	return out
}

// overlapCond is an SQL condition on col selecting a superset of the codes
// that sees(actor, code) keeps and that overlap area (one lies within the
// other), so that lists read only those rows; callers still filter in Go.
func overlapCond(col string, actor fupin.Actor, area string, arg func(any) string) string {
	codes := ancestorCodes(actor)
	for _, n := range []int{2, 4, 6, 9, 12} {
		if n <= len(area) {
			codes = append(codes, area[:n])
		}
	}
	for _, p := range actor.Areas {
		codes = append(codes, p)
	}
	marks := make([]string, len(codes))
	for i, c := range codes {
		marks[i] = arg(c)
	}
	cond := areaCond(col, actor.Narrow(area), arg)
	if len(marks) > 0 {
		cond += " OR " + col + " IN (" + strings.Join(marks, ", ") + ")"
	}
	return "(" + cond + ")"
}

// lockAid serialises the writers of pairings and postings on PostgreSQL
// (SQLite has a single writer), so that the checks a transaction makes
// hold until it commits: no two rotations or pairing edits interleave.
func (tx *Tx) lockAid(ctx context.Context) error {
	if tx.dialect != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(4242003)`); err != nil {
		return fmt.Errorf("aid lock: %w", err)
	}
	return nil
}

// stepKey carries a test hook in a context: called at named points of a
// write (after its reads, between its moves) so that a test can interrupt
// it or race another writer against it. Only export_test.go sets it.
type stepKey struct{}

func step(ctx context.Context, name string) {
	if fn, ok := ctx.Value(stepKey{}).(func(string)); ok {
		fn(name)
	}
}

// versioned checks the result of an UPDATE … WHERE id = $n AND version = $m:
// no row matched means another writer got there first (PostgreSQL's READ
// COMMITTED re-checks the WHERE after waiting for the row), so the caller's
// version is stale.
func versioned(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if n != 1 {
		return &fupin.Error{Code: fupin.EConflict, Message: "该记录已被他人修改，请刷新后重试",
			Fields: map[string]string{"version": "版本已过期"}}
	}
	return nil
}

// likeContains is a LIKE pattern matching q anywhere, with q's own % and _
// taken literally; use it with ESCAPE '\'.
func likeContains(q string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
}

func nullID(p *int64) any {
	if p == nil || *p == 0 {
		return nil
	}
	return *p
}

func idPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func notFound(what string, id int64) error {
	return fupin.Errorf(fupin.ENotFound, "%s #%d 不存在", what, id)
}

// staleVersion is the conflict answer for an optimistic-lock mismatch.
func staleVersion(seen, cur int64) error {
	return &fupin.Error{Code: fupin.EConflict,
		Message: fmt.Sprintf("该记录已被他人修改（您看到的是第 %d 版，当前为第 %d 版），请刷新后重试", seen, cur),
		Fields:  map[string]string{"version": "版本已过期"}}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// withField names the request field a *fupin.Error is about.
func withField(err error, field string) error {
	var e *fupin.Error
	if !errors.As(err, &e) {
		return err
	}
	return &fupin.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: e.Message}}
}
