package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// verdictGroupCols are the columns the dashboard groups verdicts by, in the
// order of the index verdicts_dashboard after (year, village_code): SQLite
// then reads groups off that index one after another with no sort, and a
// village has only a few dozen distinct outcomes to send back.
var verdictGroupCols = func() string {
	cols := []string{"village_code", "pass", "problems", "income_risk"}
	for _, item := range criteria.Items {
		cols = append(cols, "s_"+string(item))
	}
	return strings.Join(cols, ", ")
}()

// verdictCounts answers the dashboard's verdict summary (the numbers
// AssessmentSummary gives) and its income bands in one pass over the
// year's verdicts in the area. The bands count verdicts by the stored
// per-capita income: "none" where it is NULL (the income item unknown, or
// a verdict stored before migration 0006 and not yet recomputed).
func (db *DB) verdictCounts(ctx context.Context, actor fupin.Actor, area string, year int, poverty, line fupin.Money) (Summary, []IncomeBand, error) {
	var sum Summary
	var bands []IncomeBand
	err := db.viewReport(ctx, actor, func(tx *Tx) (err error) {
		sum, bands, err = tx.verdictCounts(ctx, area, year, poverty, line)
		return err
	})
	return sum, bands, err
}

// verdictCounts is DB.verdictCounts inside tx, for tx's actor.
func (tx *Tx) verdictCounts(ctx context.Context, area string, year int, poverty, line fupin.Money) (Summary, []IncomeBand, error) {
	sum := Summary{Year: year, Children: []AreaSummary{}}
	bands := incomeBands(poverty, line)
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	q := verdictCountsSQL(year, bands, arg) + ` AND ` + areaCond("village_code", tx.actor.Narrow(area), arg) + ` GROUP BY ` + verdictGroupCols
	childLen := childLength(area)
	children := map[string]*AreaSummary{}
	below := make([]int, len(bands)-2)
	var counted, withIncome int
	err := func() error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("dashboard verdicts: %w", err)
		}
		defer rows.Close()
		var g verdictGroup
		dest := g.dest(len(below))
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return fmt.Errorf("scan dashboard verdicts: %w", err)
			}
			code := childCode(g.village, childLen)
			s := children[code]
			if s == nil {
				s = &AreaSummary{Code: code, Name: regionName(code), Items: map[string]ItemCounts{}}
				children[code] = s
			}
			g.addTo(s)
			counted += g.n
			withIncome += g.withIncome
			for i, n := range g.below {
				below[i] += n
			}
		}
		return rows.Err()
	}()
	if err != nil {
		return sum, bands, err
	}
	finishSummary(&sum, area, children)
	fillBands(bands, counted, withIncome, below)
	return sum, bands, nil
}

// verdictCountsSQL selects verdictGroupCols, the number of verdicts, those
// with an income and those below each inner band's upper bound (from the
// lowest band up) from the verdicts of year; the caller adds the area
// condition and the GROUP BY.
func verdictCountsSQL(year int, bands []IncomeBand, arg func(any) string) string {
	cols := []string{verdictGroupCols, "COUNT(*)", "COUNT(per_capita)"}
	for _, b := range bands[1 : len(bands)-1] {
		cols = append(cols, "SUM(CASE WHEN per_capita < "+arg(int64(*b.Max))+" THEN 1 ELSE 0 END)")
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM verdicts WHERE year = ` + arg(year)
}

// fillBands sets the households of each band from the verdicts counted,
// those with an income and the cumulative counts below each inner bound.
func fillBands(bands []IncomeBand, counted, withIncome int, below []int) {
	bands[0].Households = counted - withIncome
	prev := 0
	for i, n := range below {
		bands[i+1].Households = n - prev
		prev = n
	}
	bands[len(bands)-1].Households = withIncome - prev
}

// verdictGroup is one row of verdictCounts' query: the verdicts of a
// village with one outcome.
type verdictGroup struct {
	village          string
	pass, incomeRisk bool
	problems         int
	statuses         []string
	n, withIncome    int
	below            []int
	perCapita        *fupin.Money // one household's (as-of reads), nil when unknown
}

func (g *verdictGroup) dest(bounds int) []any {
	dest := []any{&g.village, &g.pass, &g.problems, &g.incomeRisk}
	g.statuses = make([]string, len(criteria.Items))
	for i := range g.statuses {
		dest = append(dest, &g.statuses[i])
	}
	dest = append(dest, &g.n, &g.withIncome)
	g.below = make([]int, bounds)
	for i := range g.below {
		dest = append(dest, &g.below[i])
	}
	return dest
}

// addTo counts the group into an area's summary as AssessmentSummary does.
func (g *verdictGroup) addTo(s *AreaSummary) {
	s.Households += g.n
	if g.pass {
		s.Pass += g.n
	}
	if g.problems > 0 {
		s.WithProblem += g.n
	}
	if g.incomeRisk {
		s.IncomeRisk += g.n
	}
	for i, item := range criteria.Items {
		c := s.Items[string(item)]
		switch criteria.Status(g.statuses[i]) {
		case criteria.Pass:
			c.Pass += g.n
		case criteria.Fail:
			c.Fail += g.n
		case criteria.Unknown:
			c.Unknown += g.n
		}
		s.Items[string(item)] = c
	}
}

// incomeBands lists the bands of the income distribution, empty, against
// an area's poverty and monitoring lines.
func incomeBands(poverty, line fupin.Money) []IncomeBand {
	m := func(v fupin.Money) *fupin.Money { return &v }
	return []IncomeBand{
		{Key: "none", Label: "无收入记录或无在册人口"},
		{Key: "below_poverty", Label: "低于贫困线", Max: m(min(poverty, line))},
		{Key: "below_line", Label: "贫困线至监测线", Min: m(min(poverty, line)), Max: m(line)},
		{Key: "line_1_1_5", Label: "监测线 1–1.5 倍", Min: m(line), Max: m(line * 3 / 2)},
		{Key: "line_1_5_2", Label: "监测线 1.5–2 倍", Min: m(line * 3 / 2), Max: m(line * 2)},
		{Key: "line_2_up", Label: "监测线 2 倍及以上", Min: m(line * 2)},
	}
}

// finishSummary lists children in sum, in code order, and totals them as
// area's row.
func finishSummary(sum *Summary, area string, children map[string]*AreaSummary) {
	for _, c := range children {
		sum.Children = append(sum.Children, *c)
	}
	sort.Slice(sum.Children, func(i, j int) bool { return sum.Children[i].Code < sum.Children[j].Code })
	sum.Total = AreaSummary{Code: area, Name: regionName(area), Items: map[string]ItemCounts{}}
	for _, c := range sum.Children {
		sum.Total.add(c)
	}
}
