package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// Dashboards are memoised at two levels. An answer (db.dash, a memo) is
// kept per (year, area, caller's narrowed areas) while the digest of the
// area's village versions holds (areaDigest: one row read per request), so
// a 总览 opened again after writes elsewhere is a map lookup. Under it, the
// two counts are kept per village (db.dashHouseholds, db.dashVerdicts:
// village_memo.go), so that after a write in one village the answer is
// that village's recount and a sum, not a count of the whole area.
// Concurrent requests for the same answer share one computation.
const (
	dashMaxEntries = 64
	// dashMaxAge bounds staleness from writes that bypass the store (SQL
	// run by hand).
	dashMaxAge = 10 * time.Minute
	// dashPartsEntries bounds the per-village memos: a snapshot holds an
	// area's villages (a county a few hundred, a province tens of
	// thousands, about 250 bytes each).
	dashPartsEntries = 64
)

// cachedDashboard returns the memoised dashboard of area and year for actor.
func (db *DB) cachedDashboard(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
	prefixes := actor.Narrow(area)
	token, err := db.reportDigest(ctx, prefixes)
	if err != nil {
		return Dashboard{}, err
	}
	key := fmt.Sprintf("%d|%q|%q", year, area, prefixes) // %q: nil and [""] (national) differ
	return db.dash.get(ctx, key, token, func(ctx context.Context) (Dashboard, error) {
		return db.dashboardByVillage(ctx, actor, area, year)
	})
}

// dashboardByVillage is dashboard summed from the per-village memos.
func (db *DB) dashboardByVillage(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
	prefixes := actor.Narrow(area)
	return db.dashboardOf(ctx, area, year, func(ctx context.Context, childLen int) ([]AreaCounts, error) {
		var parts map[string][]int
		err := db.viewReportAt(ctx, actor, func(tx *Tx, source string) (err error) {
			parts, err = villageParts(ctx, tx, db.dashHouseholds, source, fmt.Sprintf("%q", prefixes), prefixes,
				func(c villageCond) (map[string][]int, error) { return tx.householdParts(ctx, c) })
			return err
		})
		return rollHouseholds(parts, childLen), err
	}, func(ctx context.Context, poverty, line fupin.Money) (Summary, []IncomeBand, error) {
		var parts map[string][]int
		bands := incomeBands(poverty, line)
		key := fmt.Sprintf("%d|%d|%d|%q", year, poverty, line, prefixes)
		err := db.viewReportAt(ctx, actor, func(tx *Tx, source string) (err error) {
			parts, err = villageParts(ctx, tx, db.dashVerdicts, source, key, prefixes,
				func(c villageCond) (map[string][]int, error) { return tx.verdictParts(ctx, year, bands, c) })
			return err
		})
		return rollVerdicts(parts, area, year, bands), bands, err
	})
}

// dashboardOf computes a dashboard from its two counts, run side by side:
// households per child area, and the verdict summary with the income
// bands against the area's poverty and monitoring lines.
func (db *DB) dashboardOf(ctx context.Context, area string, year int,
	households func(ctx context.Context, childLen int) ([]AreaCounts, error),
	verdicts func(ctx context.Context, poverty, line fupin.Money) (Summary, []IncomeBand, error)) (Dashboard, error) {
	out := Dashboard{Area: area, Name: regionName(area), Year: year, Children: []AreaCounts{}, Income: []IncomeBand{}}
	childLen := childLength(area)
	if childLen == 0 {
		return out, &fupin.Error{Code: fupin.EInvalid, Message: "区域应为 2、4、6、9 或 12 位区划代码", Fields: map[string]string{"area": "格式不正确"}}
	}
	out.ChildLevelLength = childLen
	p, err := db.ResolvedParams(ctx, area, year)
	if err != nil {
		return out, err
	}
	out.MonitoringLine = fupin.YuanToMoney(p.Number(criteria.KeyMonitoringLine))
	out.PovertyLine = fupin.YuanToMoney(p.Number(criteria.KeyPovertyLine))

	// The two parts read different tables; SQLite's read pool and
	// PostgreSQL both run them side by side.
	var wg sync.WaitGroup
	var errs [2]error
	wg.Add(2)
	go func() {
		defer wg.Done()
		out.Children, errs[0] = households(ctx, childLen)
	}()
	go func() {
		defer wg.Done()
		out.Verdicts, out.Income, errs[1] = verdicts(ctx, out.PovertyLine, out.MonitoringLine)
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	out.Total = newAreaCounts(area)
	for _, c := range out.Children {
		out.Total.add(c)
	}
	return out, nil
}

// householdParts counts the live households of each village of cond as
// areaCounts does, into vectors: households, people, ex-poor, monitored,
// then per monitoring type and per poverty attribute in the order of
// fupin.MonitorTypes and fupin.PovertyAttrs.
func (tx *Tx) householdParts(ctx context.Context, cond villageCond) (map[string][]int, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	q := `SELECT village_code, household_type, monitor_type, poverty_attr, COUNT(*), COALESCE(SUM(size), 0)
		FROM households WHERE deleted_at IS NULL AND ` + cond("village_code", arg) + `
		GROUP BY village_code, household_type, monitor_type, poverty_attr`
	monitors, attrs := codeIndex(fupin.MonitorTypes), codeIndex(fupin.PovertyAttrs)
	width := 4 + len(monitors) + len(attrs)
	out := map[string][]int{}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("dashboard counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var village, typ, monitor, attr string
		var n, size int
		if err := rows.Scan(&village, &typ, &monitor, &attr, &n, &size); err != nil {
			return nil, fmt.Errorf("scan dashboard counts: %w", err)
		}
		c := out[village]
		if c == nil {
			c = make([]int, width)
			out[village] = c
		}
		c[0] += n
		c[1] += size
		if typ == "ex_poor" {
			c[2] += n
		}
		if monitor != "" {
			c[3] += n
		}
		if i, ok := monitors[monitor]; ok {
			c[4+i] += n
		}
		if i, ok := attrs[attr]; ok {
			c[4+len(monitors)+i] += n
		}
	}
	return out, rows.Err()
}

func codeIndex(l fupin.CodeList) map[string]int {
	out := make(map[string]int, len(l.Items))
	for i, it := range l.Items {
		out[it.Code] = i
	}
	return out
}

// rollHouseholds sums householdParts' vectors into child areas, as
// areaCounts answers them.
func rollHouseholds(parts map[string][]int, childLen int) []AreaCounts {
	children := map[string]*AreaCounts{}
	nm := len(fupin.MonitorTypes.Items)
	for village, v := range parts {
		c := childCounts(children, childCode(village, childLen))
		c.Households += v[0]
		c.People += v[1]
		c.ExPoor += v[2]
		c.Monitored += v[3]
		for i, it := range fupin.MonitorTypes.Items {
			c.MonitorTypes[it.Code] += v[4+i]
		}
		for i, it := range fupin.PovertyAttrs.Items {
			c.PovertyAttrs[it.Code] += v[4+nm+i]
		}
	}
	out := make([]AreaCounts, 0, len(children))
	for _, c := range children {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// verdictParts counts the year's verdicts of each village of cond as
// verdictCounts does, into vectors: households, pass, with a problem,
// income risk, pass/fail/unknown per criteria item, with an income, then
// the households below each inner band's upper bound.
func (tx *Tx) verdictParts(ctx context.Context, year int, bands []IncomeBand, cond villageCond) (map[string][]int, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	q := verdictCountsSQL(year, bands, arg) + ` AND ` + cond("village_code", arg) + ` GROUP BY ` + verdictGroupCols
	items := len(criteria.Items)
	bounds := len(bands) - 2
	out := map[string][]int{}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("dashboard verdicts: %w", err)
	}
	defer rows.Close()
	var g verdictGroup
	dest := g.dest(bounds)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan dashboard verdicts: %w", err)
		}
		c := out[g.village]
		if c == nil {
			c = make([]int, 4+3*items+1+bounds)
			out[g.village] = c
		}
		c[0] += g.n
		if g.pass {
			c[1] += g.n
		}
		if g.problems > 0 {
			c[2] += g.n
		}
		if g.incomeRisk {
			c[3] += g.n
		}
		for i := range criteria.Items {
			switch criteria.Status(g.statuses[i]) {
			case criteria.Pass:
				c[4+3*i] += g.n
			case criteria.Fail:
				c[5+3*i] += g.n
			case criteria.Unknown:
				c[6+3*i] += g.n
			}
		}
		c[4+3*items] += g.withIncome
		for i, n := range g.below {
			c[5+3*items+i] += n
		}
	}
	return out, rows.Err()
}

// rollVerdicts sums verdictParts' vectors into the summary of area and the
// households of bands, as verdictCounts answers them.
func rollVerdicts(parts map[string][]int, area string, year int, bands []IncomeBand) Summary {
	sum := Summary{Year: year, Children: []AreaSummary{}}
	childLen := childLength(area)
	items := len(criteria.Items)
	children := map[string]*AreaSummary{}
	below := make([]int, len(bands)-2)
	var counted, withIncome int
	for village, v := range parts {
		code := childCode(village, childLen)
		s := children[code]
		if s == nil {
			s = &AreaSummary{Code: code, Name: regionName(code), Items: map[string]ItemCounts{}}
			children[code] = s
		}
		s.Households += v[0]
		s.Pass += v[1]
		s.WithProblem += v[2]
		s.IncomeRisk += v[3]
		for i, item := range criteria.Items {
			c := s.Items[string(item)]
			c.Pass, c.Fail, c.Unknown = c.Pass+v[4+3*i], c.Fail+v[5+3*i], c.Unknown+v[6+3*i]
			s.Items[string(item)] = c
		}
		counted += v[0]
		withIncome += v[4+3*items]
		for i := range below {
			below[i] += v[5+3*items+i]
		}
	}
	finishSummary(&sum, area, children)
	fillBands(bands, counted, withIncome, below)
	return sum
}

const dataTokenSQL = `SELECT (SELECT n FROM data_changes WHERE id = 1),
		(SELECT COALESCE(MAX(id), 0) FROM recompute_queue), (SELECT COUNT(*) FROM recompute_queue WHERE done_at IS NOT NULL)`

// dataToken names the state of the data: the data-change counter (advanced
// by every write a dashboard or list could show, not by reads) and the
// recomputations queued and finished.
func (db *DB) dataToken(ctx context.Context) (string, error) {
	var changes, queued, done int64
	if err := db.readRow(ctx, dataTokenSQL, nil, &changes, &queued, &done); err != nil {
		return "", fmt.Errorf("dashboard data token: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", changes, queued, done), nil
}
