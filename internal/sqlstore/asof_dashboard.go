package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fupin/internal/asof"
	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// DashboardAsOf is the dashboard of an area as it stood at the end of a
// date (a village's is its village summary), with what the answer is.
type DashboardAsOf struct {
	AsOf      asof.Info `json:"as_of"`
	Dashboard Dashboard `json:"dashboard"`
}

// DashboardAsOf answers Dashboard for area and year as it stood at the end
// of date d: the live counts, less the households changed since (written,
// created, or their verdict of the year recomputed at or after the cutoff)
// as they are now, plus the same households rewound to the date and
// evaluated against the policy parameters of the date. Its cost is the live
// dashboard's plus the changed households. Errors: invalid (area, or d in
// the future).
func (db *DB) DashboardAsOf(ctx context.Context, actor fupin.Actor, area string, year int, d fupin.Date) (*DashboardAsOf, error) {
	childLen := childLength(area)
	if childLen == 0 {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "区域应为 2、4、6、9 或 12 位区划代码", Fields: map[string]string{"area": "格式不正确"}}
	}
	out := &DashboardAsOf{Dashboard: Dashboard{Area: area, Name: regionName(area), Year: year, ChildLevelLength: childLen}}
	err := db.viewAsOf(ctx, actor, func(tx *Tx) error {
		if err := tx.checkAsOfDate(d); err != nil {
			return err
		}
		cutoff := asof.Cutoff(d)
		params, err := tx.paramRowsAsOf(ctx, cutoff)
		if err != nil {
			return err
		}
		p, err := criteria.Resolve(params, area, year)
		if err != nil {
			return fmt.Errorf("resolve policy as of %s: %w", d, err)
		}
		dash := &out.Dashboard
		dash.PovertyLine = fupin.YuanToMoney(p.Number(criteria.KeyPovertyLine))
		dash.MonitoringLine = fupin.YuanToMoney(p.Number(criteria.KeyMonitoringLine))
		children, err := tx.areaCounts(ctx, area, childLen)
		if err != nil {
			return err
		}
		sum, bands, err := tx.verdictCounts(ctx, area, year, dash.PovertyLine, dash.MonitoringLine)
		if err != nil {
			return err
		}
		acc := newAsOfTally(area, childLen, tx.actor.Narrow(area), children, sum, bands)
		changed, err := tx.rewindInto(ctx, acc, year, d, params)
		if err != nil {
			return err
		}
		acc.finish(dash)
		from, err := tx.historyFrom(ctx, acc.prefixes, cutoff)
		if err != nil {
			return err
		}
		out.AsOf = asof.Describe(d, from, changed)
		return nil
	})
	return out, err
}

// rewindInto moves the households changed since d's cutoff from their live
// state to their state at d in acc, and returns how many were in scope.
func (tx *Tx) rewindInto(ctx context.Context, acc *asOfTally, year int, d fupin.Date, params []criteria.ParamRow) (int, error) {
	cutoff := asof.Cutoff(d)
	ids, err := tx.changedSince(ctx, acc.prefixes, year, cutoff)
	if err != nil {
		return 0, err
	}
	// Households are read whatever their village now: one that moved out
	// of the area since still counts where it was.
	sys := &Tx{Tx: tx.Tx, now: tx.now, dialect: tx.dialect, actor: fupin.SystemActor("")}
	resolved := map[string]*criteria.Params{}
	changed := 0
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		entries, err := tx.laterEntries(ctx, part, cutoff)
		if err != nil {
			return 0, err
		}
		lives, err := sys.households(ctx, part)
		if err != nil {
			return 0, err
		}
		// Members and income years only where no entry holds the whole
		// household (asof.NeedsRows).
		var rowsFor []int64
		for _, id := range part {
			if lives[id] != nil && asof.NeedsRows(entries[id]) {
				rowsFor = append(rowsFor, id)
			}
		}
		full, err := sys.storedHouseholds(ctx, rowsFor)
		if err != nil {
			return 0, err
		}
		verdicts, err := tx.verdictGroupsOf(ctx, part, year)
		if err != nil {
			return 0, err
		}
		for _, id := range part {
			live := lives[id]
			if live == nil {
				continue
			}
			if f := full[id]; f != nil {
				live = f
			}
			in := false
			if live.DeletedAt == nil && acc.inScope(live.VillageCode) {
				acc.household(live, -1)
				in = true
			}
			if g, ok := verdicts[id]; ok && acc.inScope(g.village) {
				acc.verdict(g, -1)
				in = true
			}
			if !live.CreatedAt.Before(cutoff) {
				if in {
					changed++
				}
				continue
			}
			h, err := asof.Rewind(live, entries[id], time.Time{})
			if err != nil {
				return 0, err
			}
			if h == nil || h.DeletedAt != nil || !acc.inScope(h.VillageCode) {
				if in {
					changed++
				}
				continue
			}
			changed++
			acc.household(h, 1)
			if !verdictYear(h, year, d) {
				continue
			}
			p := resolved[h.VillageCode]
			if p == nil {
				if p, err = criteria.Resolve(params, h.VillageCode, year); err != nil {
					return 0, fmt.Errorf("resolve policy as of %s: %w", d, err)
				}
				resolved[h.VillageCode] = p
			}
			v := criteria.Evaluate(h, year, fupin.Date{}, p)
			acc.verdict(groupOfVerdict(h.VillageCode, &v), 1)
		}
	}
	return changed, nil
}

// verdictYear is whether a household had a verdict of year on date d: the
// store keeps one for the default year of the day it was last assessed and
// for each year with income (assessmentYears); the day is taken to be d.
func verdictYear(h *fupin.Household, year int, d fupin.Date) bool {
	if year == fupin.AssessmentYear(d) {
		return true
	}
	for _, y := range h.Incomes {
		if y.Year == year {
			return true
		}
	}
	return false
}

// households reads the household rows (no members or income) of ids
// visible to tx's actor.
func (tx *Tx) households(ctx context.Context, ids []int64) (map[int64]*fupin.Household, error) {
	out := make(map[int64]*fupin.Household, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, householdSelect+` WHERE h.id IN (`+placeholders(1, len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("load households: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		h, err := scanHousehold(rows)
		if err != nil {
			return nil, fmt.Errorf("scan household: %w", err)
		}
		if tx.actor.Covers(h.VillageCode) {
			out[h.ID] = h
		}
	}
	return out, rows.Err()
}

// changedSince lists, by id, the households whose state or verdict of year
// may differ between cutoff and now: those with registry audit entries at
// or after cutoff (wherever they are now), and those of the area created or
// with that verdict computed since. Households are created one by one with
// a household.create entry or by a bulk load, which writes one entry of
// entity bulk: the area's households are scanned for creation times only
// when such an entry is that recent.
func (tx *Tx) changedSince(ctx context.Context, prefixes []string, year int, cutoff time.Time) ([]int64, error) {
	set := map[int64]bool{}
	collect := func(q string, args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("households changed since: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return fmt.Errorf("households changed since: %w", err)
			}
			set[id] = true
		}
		return rows.Err()
	}
	if err := collect(`SELECT DISTINCT household_id FROM audit_log WHERE at >= $1 AND household_id IS NOT NULL
		AND action IN `+registryActionsIn, cutoff); err != nil {
		return nil, err
	}
	args := []any{cutoff}
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	var bulk int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM audit_log WHERE at >= $1 AND entity = 'bulk' LIMIT 1`, cutoff).Scan(&bulk)
	if err != nil && !isNoRows(err) {
		return nil, fmt.Errorf("bulk loads since: %w", err)
	}
	if bulk == 1 {
		if err := collect(`SELECT id FROM households WHERE created_at >= $1 AND `+
			areaCond("village_code", prefixes, arg), args...); err != nil {
			return nil, err
		}
	}
	args = []any{cutoff}
	if err := collect(`SELECT household_id FROM verdicts WHERE computed_at >= $1 AND year = `+arg(year)+` AND `+
		areaCond("village_code", prefixes, arg), args...); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// verdictGroupsOf reads the live verdicts of year of households ids as
// one-household groups.
func (tx *Tx) verdictGroupsOf(ctx context.Context, ids []int64, year int) (map[int64]*verdictGroup, error) {
	out := map[int64]*verdictGroup{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{year}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := tx.QueryContext(ctx, `SELECT household_id, `+verdictGroupCols+`, per_capita FROM verdicts
		WHERE year = $1 AND household_id IN (`+placeholders(2, len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("live verdicts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		g := &verdictGroup{n: 1, statuses: make([]string, len(criteria.Items))}
		var id int64
		var pc *int64
		dest := []any{&id, &g.village, &g.pass, &g.problems, &g.incomeRisk}
		for i := range g.statuses {
			dest = append(dest, &g.statuses[i])
		}
		if err := rows.Scan(append(dest, &pc)...); err != nil {
			return nil, fmt.Errorf("scan live verdict: %w", err)
		}
		if pc != nil {
			m := fupin.Money(*pc)
			g.perCapita = &m
		}
		out[id] = g
	}
	return out, rows.Err()
}

// groupOfVerdict is an evaluated verdict as a one-household group.
func groupOfVerdict(village string, v *criteria.Verdict) *verdictGroup {
	g := &verdictGroup{village: village, pass: v.Pass, problems: v.Problems, incomeRisk: v.IncomeRisk, n: 1,
		statuses: make([]string, len(criteria.Items)), perCapita: v.PerCapita}
	for i, item := range criteria.Items {
		g.statuses[i] = string(criteria.Unknown)
		if r, ok := v.Result(item); ok {
			g.statuses[i] = string(r.Status)
		}
	}
	return g
}

// historyFrom is when the history of the area's households starts, the
// earliest time one of them was registered, when that is not before cutoff
// (the date predates the history); zero when a household of the area was
// registered before cutoff or none ever was. One registered before cutoff
// ends the scan.
func (tx *Tx) historyFrom(ctx context.Context, prefixes []string, cutoff time.Time) (time.Time, error) {
	args := []any{cutoff}
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	area := areaCond("village_code", prefixes, arg)
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM households WHERE created_at < $1 AND `+area+` LIMIT 1`, args...).Scan(&one)
	if err == nil || !isNoRows(err) {
		return time.Time{}, err
	}
	args = nil
	var from time.Time
	err = tx.QueryRowContext(ctx, `SELECT created_at FROM households WHERE `+areaCond("village_code", prefixes, arg)+
		` ORDER BY created_at LIMIT 1`, args...).Scan(&from)
	if err != nil && !isNoRows(err) {
		return time.Time{}, fmt.Errorf("history start: %w", err)
	}
	return from.UTC(), nil
}

// asOfTally holds the dashboard's numbers by child area while households
// are moved from their live state to their state at a date.
type asOfTally struct {
	area     string
	childLen int
	prefixes []string
	counts   map[string]*AreaCounts
	sums     map[string]*AreaSummary
	bands    []IncomeBand
}

func newAsOfTally(area string, childLen int, prefixes []string, children []AreaCounts, sum Summary, bands []IncomeBand) *asOfTally {
	t := &asOfTally{area: area, childLen: childLen, prefixes: prefixes, counts: map[string]*AreaCounts{},
		sums: map[string]*AreaSummary{}, bands: bands}
	for i := range children {
		t.counts[children[i].Code] = &children[i]
	}
	for i := range sum.Children {
		t.sums[sum.Children[i].Code] = &sum.Children[i]
	}
	return t
}

func (t *asOfTally) inScope(village string) bool {
	for _, p := range t.prefixes {
		if strings.HasPrefix(village, p) {
			return true
		}
	}
	return false
}

// household adds (n = 1) or removes (n = -1) one household's counts, as
// areaCounts counts it.
func (t *asOfTally) household(h *fupin.Household, n int) {
	c := childCounts(t.counts, childCode(h.VillageCode, t.childLen))
	c.Households += n
	c.People += n * h.Size
	if h.Type == "ex_poor" {
		c.ExPoor += n
	}
	if h.MonitorType != "" {
		c.Monitored += n
	}
	if _, ok := c.MonitorTypes[h.MonitorType]; ok {
		c.MonitorTypes[h.MonitorType] += n
	}
	if _, ok := c.PovertyAttrs[h.PovertyAttr]; ok {
		c.PovertyAttrs[h.PovertyAttr] += n
	}
}

// verdict adds (n = 1) or removes (n = -1) one household's verdict and its
// income band.
func (t *asOfTally) verdict(g *verdictGroup, n int) {
	code := childCode(g.village, t.childLen)
	s := t.sums[code]
	if s == nil {
		s = &AreaSummary{Code: code, Name: regionName(code), Items: map[string]ItemCounts{}}
		t.sums[code] = s
	}
	one := *g
	one.n = n
	one.addTo(s)
	t.bands[bandOf(t.bands, g.perCapita)].Households += n
}

// bandOf is the index of the income band a per-capita income falls in.
func bandOf(bands []IncomeBand, pc *fupin.Money) int {
	if pc == nil {
		return 0
	}
	for i, b := range bands[1 : len(bands)-1] {
		if *pc < *b.Max {
			return i + 1
		}
	}
	return len(bands) - 1
}

// finish writes the tally into d: children without households left out,
// totals summed again.
func (t *asOfTally) finish(d *Dashboard) {
	d.Children = []AreaCounts{}
	for _, c := range t.counts {
		if c.Households != 0 {
			d.Children = append(d.Children, *c)
		}
	}
	sort.Slice(d.Children, func(i, j int) bool { return d.Children[i].Code < d.Children[j].Code })
	d.Total = newAreaCounts(t.area)
	for _, c := range d.Children {
		d.Total.add(c)
	}
	d.Verdicts = Summary{Year: d.Year, Children: []AreaSummary{}}
	for _, s := range t.sums {
		if s.Households != 0 {
			d.Verdicts.Children = append(d.Verdicts.Children, *s)
		}
	}
	sort.Slice(d.Verdicts.Children, func(i, j int) bool { return d.Verdicts.Children[i].Code < d.Verdicts.Children[j].Code })
	d.Verdicts.Total = AreaSummary{Code: t.area, Name: regionName(t.area), Items: map[string]ItemCounts{}}
	for _, s := range d.Verdicts.Children {
		d.Verdicts.Total.add(s)
	}
	d.Income = t.bands
}
