package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

const verdictCols = `household_id, year, village_code, assessed_on, policy_version, rules_version,
	pass, problems, unknowns, income_risk, s_food, s_clothing, s_education, s_medical, s_housing,
	s_water, s_standard, s_income, reasons, signals, computed_at, per_capita`

const verdictColCount = 22

// verdictRow flattens a verdict into the verdicts columns. Reasons are kept
// for the items that did not pass, as a JSON object item → reason;
// per_capita (fen) is NULL where the income item had no figure to compare.
func verdictRow(dst []any, h *fupin.Household, v *criteria.Verdict, now time.Time, pg bool) []any {
	statuses := make([]any, len(criteria.Items))
	reasons := []byte{'{'}
	for i, item := range criteria.Items {
		statuses[i] = string(criteria.Unknown)
		if r, ok := v.Result(item); ok {
			statuses[i] = string(r.Status)
			if r.Status != criteria.Pass {
				if len(reasons) > 1 {
					reasons = append(reasons, ',')
				}
				reasons = appendJSONString(reasons, string(item))
				reasons = append(reasons, ':')
				reasons = appendJSONString(reasons, r.Text())
			}
		}
	}
	reasons = append(reasons, '}')
	signals := make([]string, len(v.Signals))
	for i, s := range v.Signals {
		signals[i] = string(s.Code)
	}
	dst = appendNative(dst, pg, h.ID, v.Year, h.VillageCode, v.AssessedOn, v.PolicyVersion,
		v.RulesVersion, v.Pass, v.Problems, v.Unknowns, v.IncomeRisk)
	dst = appendNative(dst, pg, statuses...)
	var perCapita any
	if v.PerCapita != nil {
		perCapita = int64(*v.PerCapita)
	}
	return appendNative(dst, pg, string(reasons), strings.Join(signals, ","), now, perCapita)
}

// assessmentYears are the years a household's verdicts are kept for: every
// year with income recorded, and the default assessment year.
func assessmentYears(h *fupin.Household, today fupin.Date) []int {
	years := []int{fupin.AssessmentYear(today)}
	for _, y := range h.Incomes {
		if y.Year != years[0] {
			years = append(years, y.Year)
		}
	}
	return years
}

// reassess recomputes and stores the verdicts of one household (loaded in
// full) inside the transaction that changed it, keeping the replaced
// verdict in the history when its outcome changed.
func (tx *Tx) reassess(ctx context.Context, h *fupin.Household) error {
	_, err := tx.reassessed(ctx, h)
	return err
}

// reassessed is reassess, returning the verdicts it stored (none for a
// deleted household).
func (tx *Tx) reassessed(ctx context.Context, h *fupin.Household) ([]criteria.Verdict, error) {
	if h.Deleted() {
		_, err := tx.ExecContext(ctx, `DELETE FROM verdicts WHERE household_id = $1`, h.ID)
		return nil, err
	}
	rows, err := tx.paramRows(ctx)
	if err != nil {
		return nil, err
	}
	// One statement stores the verdicts of all years, one keeps the
	// replaced ones and one the policy versions (a statement per year was a
	// round trip per year, three a year on every write).
	years := assessmentYears(h, tx.today())
	params := make([]*criteria.Params, len(years))
	verdicts := make([]criteria.Verdict, len(years))
	for i, year := range years {
		p, err := criteria.Resolve(rows, h.VillageCode, year)
		if err != nil {
			return nil, fmt.Errorf("resolve policy: %w", err)
		}
		params[i] = p
		verdicts[i] = criteria.Evaluate(h, year, fupin.Date{}, p)
	}
	if err := tx.savePolicyVersions(ctx, params); err != nil {
		return nil, fmt.Errorf("save policy version: %w", err)
	}
	if err := tx.keepHistory(ctx, h.ID, verdicts); err != nil {
		return nil, err
	}
	var flat []any
	for i := range verdicts {
		flat = verdictRow(flat, h, &verdicts[i], tx.now, tx.dialect == Postgres)
	}
	if err := tx.upsertVerdicts(ctx, flat, len(years)); err != nil {
		return nil, err
	}
	return verdicts, tx.markFixed(ctx, h.ID) // the rectification ledger closes itself where verdicts pass
}

// verdictStatuses is the comma-joined statuses column of the history.
const verdictStatuses = `s_food || ',' || s_clothing || ',' || s_education || ',' || s_medical || ',' || s_housing || ',' ||
	s_water || ',' || s_standard || ',' || s_income`

// statusesOf is v's statuses as verdictStatuses reads the stored ones.
func statusesOf(v *criteria.Verdict) string {
	st := make([]string, len(criteria.Items))
	for i, item := range criteria.Items {
		st[i] = string(criteria.Unknown)
		if r, ok := v.Result(item); ok {
			st[i] = string(r.Status)
		}
	}
	return strings.Join(st, ",")
}

// keepHistory copies the stored verdicts of the years of vs into
// verdict_history where the new one differs in outcome or policy version,
// in one statement.
func (tx *Tx) keepHistory(ctx context.Context, householdID int64, vs []criteria.Verdict) error {
	if len(vs) == 0 {
		return nil
	}
	args := []any{tx.now, householdID}
	var conds []string
	for i := range vs {
		v := &vs[i]
		n := len(args)
		conds = append(conds, fmt.Sprintf(`(year = $%d AND (policy_version <> $%d OR `+verdictStatuses+` <> $%d))`,
			n+1, n+2, n+3))
		args = append(args, v.Year, v.PolicyVersion, statusesOf(v))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO verdict_history (household_id, year, policy_version, pass,
		problems, statuses, reasons, computed_at, replaced_at)
		SELECT household_id, year, policy_version, pass, problems, `+verdictStatuses+`, reasons, computed_at, $1
		FROM verdicts WHERE household_id = $2 AND (`+strings.Join(conds, " OR ")+`)`, args...)
	if err != nil {
		return fmt.Errorf("verdict history: %w", err)
	}
	return nil
}

// upsertVerdicts writes n flat verdict rows, replacing stored ones.
func (tx *Tx) upsertVerdicts(ctx context.Context, flat []any, n int) error {
	if n == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, upsertVerdictSQL(n, tx.dialect, true), flat...)
	if err != nil {
		return fmt.Errorf("store verdicts: %w", err)
	}
	return nil
}

// upsertVerdictSQL inserts n verdict rows, replacing stored ones when
// upsert is set (a plain INSERT is faster where none can exist).
func upsertVerdictSQL(n int, d Dialect, upsert bool) string {
	var b strings.Builder
	b.WriteString("INSERT INTO verdicts (" + verdictCols + ") VALUES ")
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		if d == SQLite { // see multiInsert.statement
			b.WriteString("(?" + strings.Repeat(", ?", verdictColCount-1) + ")")
		} else {
			b.WriteString("(" + placeholders(r*verdictColCount+1, verdictColCount) + ")")
		}
	}
	if !upsert {
		return b.String()
	}
	b.WriteString(` ON CONFLICT (household_id, year) DO UPDATE SET village_code = excluded.village_code,
		assessed_on = excluded.assessed_on, policy_version = excluded.policy_version,
		rules_version = excluded.rules_version, pass = excluded.pass, problems = excluded.problems,
		unknowns = excluded.unknowns, income_risk = excluded.income_risk, s_food = excluded.s_food,
		s_clothing = excluded.s_clothing, s_education = excluded.s_education,
		s_medical = excluded.s_medical, s_housing = excluded.s_housing, s_water = excluded.s_water,
		s_standard = excluded.s_standard, s_income = excluded.s_income, reasons = excluded.reasons,
		signals = excluded.signals, computed_at = excluded.computed_at, per_capita = excluded.per_capita`)
	return b.String()
}
