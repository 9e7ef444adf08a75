package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// AreaCounts counts the live households of one area as the household list
// sees them: each number equals the list's total for the matching filter.
type AreaCounts struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Households int    `json:"households" description:"户数（农户列表 area=code 的 total）"`
	People     int    `json:"people" description:"在册人数（各户 size 之和）"`
	ExPoor     int    `json:"ex_poor" description:"脱贫户（household_type=ex_poor）"`
	Monitored  int    `json:"monitored" description:"监测户（monitored=true）"`
	// MonitorTypes counts households per monitoring type code
	// (monitor_type=…), every code of fupin.MonitorTypes present.
	MonitorTypes map[string]int `json:"monitor_types"`
	// PovertyAttrs counts households per 贫困户属性 code (poverty_attr=…).
	PovertyAttrs map[string]int `json:"poverty_attrs"`
}

// IncomeBand is one band of the income distribution: households whose
// per-capita net income of the year lies in [Min, Max) yuan.
type IncomeBand struct {
	Key        string       `json:"key" enum:"none,below_poverty,below_line,line_1_1_5,line_1_5_2,line_2_up"`
	Label      string       `json:"label"`
	Min        *fupin.Money `json:"min" description:"下限（含），元；空为无下限"`
	Max        *fupin.Money `json:"max" description:"上限（不含），元；空为无上限"`
	Households int          `json:"households"`
}

// Dashboard is what the console's 总览 shows for an area and a year.
type Dashboard struct {
	Area string `json:"area"`
	Name string `json:"name"`
	Year int    `json:"year"`
	// ChildLevelLength is the code length of Children (2/4/6/9/12).
	ChildLevelLength int          `json:"child_level_length"`
	Total            AreaCounts   `json:"total"`
	Children         []AreaCounts `json:"children"`
	// Verdicts is the same summary GET /assessments/summary answers.
	Verdicts       Summary      `json:"verdicts"`
	MonitoringLine fupin.Money  `json:"monitoring_line" description:"该区域该年度的防返贫监测线（元/人·年）"`
	PovertyLine    fupin.Money  `json:"poverty_line"`
	Income         []IncomeBand `json:"income" description:"人均纯收入分布（相对监测线），按本区域的监测线分档"`
}

// Dashboard counts an area's households per child area, its verdicts and
// its income distribution for a year, all limited to the actor's areas.
// Answers are memoised until any write is committed (dashboard_cache.go),
// so they always equal what the lists answer. Errors: invalid (area not a
// 2/4/6/9/12-digit code).
func (db *DB) Dashboard(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
	if childLength(area) == 0 {
		return Dashboard{}, &fupin.Error{Code: fupin.EInvalid, Message: "区域应为 2、4、6、9 或 12 位区划代码", Fields: map[string]string{"area": "格式不正确"}}
	}
	return db.dash.get(ctx, db, actor, area, year)
}

// dashboard computes what Dashboard answers.
func (db *DB) dashboard(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
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

	// The three parts read different tables; SQLite's read pool and
	// PostgreSQL both run them side by side.
	var wg sync.WaitGroup
	var errs [3]error
	wg.Add(3)
	go func() {
		defer wg.Done()
		out.Children, errs[0] = db.areaCounts(ctx, actor, area, childLen)
	}()
	go func() {
		defer wg.Done()
		out.Verdicts, errs[1] = db.AssessmentSummary(ctx, actor, area, year)
	}()
	go func() {
		defer wg.Done()
		out.Income, errs[2] = db.incomeBands(ctx, actor, area, year, out.PovertyLine, out.MonitoringLine)
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

func childLength(area string) int {
	if strings.Trim(area, "0123456789") != "" {
		return 0
	}
	return map[int]int{0: 2, 2: 4, 4: 6, 6: 9, 9: 12, 12: 12}[len(area)]
}

func newAreaCounts(code string) AreaCounts {
	c := AreaCounts{Code: code, Name: regionName(code), MonitorTypes: map[string]int{}, PovertyAttrs: map[string]int{}}
	for _, it := range fupin.MonitorTypes.Items {
		c.MonitorTypes[it.Code] = 0
	}
	for _, it := range fupin.PovertyAttrs.Items {
		c.PovertyAttrs[it.Code] = 0
	}
	return c
}

func (c *AreaCounts) add(o AreaCounts) {
	c.Households += o.Households
	c.People += o.People
	c.ExPoor += o.ExPoor
	c.Monitored += o.Monitored
	for k, v := range o.MonitorTypes {
		c.MonitorTypes[k] += v
	}
	for k, v := range o.PovertyAttrs {
		c.PovertyAttrs[k] += v
	}
}

// areaCounts groups the live households by child area with the same
// conditions householdWhere builds for the list.
func (db *DB) areaCounts(ctx context.Context, actor fupin.Actor, area string, childLen int) ([]AreaCounts, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	cols := []string{"COUNT(*)", "COALESCE(SUM(h.size), 0)",
		"SUM(CASE WHEN h.household_type = 'ex_poor' THEN 1 ELSE 0 END)",
		"SUM(CASE WHEN h.monitor_type <> '' THEN 1 ELSE 0 END)"}
	for _, it := range fupin.MonitorTypes.Items {
		cols = append(cols, "SUM(CASE WHEN h.monitor_type = "+arg(it.Code)+" THEN 1 ELSE 0 END)")
	}
	for _, it := range fupin.PovertyAttrs.Items {
		cols = append(cols, "SUM(CASE WHEN h.poverty_attr = "+arg(it.Code)+" THEN 1 ELSE 0 END)")
	}
	child := "SUBSTR(h.village_code, 1, " + itoa(childLen) + ")"
	q := `SELECT ` + child + `, ` + strings.Join(cols, ", ") + ` FROM households h
		WHERE h.deleted_at IS NULL AND ` + areaCond("h.village_code", actor.Narrow(area), arg) +
		` GROUP BY ` + child + ` ORDER BY 1`
	out := []AreaCounts{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("dashboard counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			n := make([]int, 4+len(fupin.MonitorTypes.Items)+len(fupin.PovertyAttrs.Items))
			dest := []any{&code}
			for i := range n {
				dest = append(dest, &n[i])
			}
			if err := rows.Scan(dest...); err != nil {
				return fmt.Errorf("scan dashboard counts: %w", err)
			}
			c := newAreaCounts(code)
			c.Households, c.People, c.ExPoor, c.Monitored = n[0], n[1], n[2], n[3]
			for i, it := range fupin.MonitorTypes.Items {
				c.MonitorTypes[it.Code] = n[4+i]
			}
			for i, it := range fupin.PovertyAttrs.Items {
				c.PovertyAttrs[it.Code] = n[4+len(fupin.MonitorTypes.Items)+i]
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// incomeBands counts live households by per-capita net income of the year
// against the poverty and monitoring lines. Per-capita net is computed the
// way fupin.IncomeYear.Compute does (members present on 31 December, half
// rounded away from zero) so that the bands agree with the verdicts.
func (db *DB) incomeBands(ctx context.Context, actor fupin.Actor, area string, year int, poverty, line fupin.Money) ([]IncomeBand, error) {
	m := func(v fupin.Money) *fupin.Money { return &v }
	bands := []IncomeBand{
		{Key: "none", Label: "无收入记录或无在册人口"},
		{Key: "below_poverty", Label: "低于贫困线", Max: m(min(poverty, line))},
		{Key: "below_line", Label: "贫困线至监测线", Min: m(min(poverty, line)), Max: m(line)},
		{Key: "line_1_1_5", Label: "监测线 1–1.5 倍", Min: m(line), Max: m(line * 3 / 2)},
		{Key: "line_1_5_2", Label: "监测线 1.5–2 倍", Min: m(line * 3 / 2), Max: m(line * 2)},
		{Key: "line_2_up", Label: "监测线 2 倍及以上", Min: m(line * 2)},
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	end := arg(fupin.NewDate(year, 12, 31))
	size := `(SELECT COUNT(*) FROM members m WHERE m.household_id = h.id AND m.birth_date <= ` + end +
		` AND (m.joined_on IS NULL OR m.joined_on <= ` + end + `) AND (m.left_on IS NULL OR m.left_on > ` + end + `))`
	net := `(i.wage + i.business + i.property + i.transfer - i.business_expense)`
	pc := `CASE WHEN n = 0 THEN NULL WHEN net >= 0 THEN (net + n / 2) / n ELSE (net - n / 2) / n END`
	band := `CASE WHEN pc IS NULL THEN 0 WHEN pc < ` + arg(int64(*bands[1].Max)) + ` THEN 1 WHEN pc < ` + arg(int64(line)) +
		` THEN 2 WHEN pc < ` + arg(int64(*bands[3].Max)) + ` THEN 3 WHEN pc < ` + arg(int64(*bands[4].Max)) + ` THEN 4 ELSE 5 END`
	yr := arg(year)
	// MATERIALIZED keeps the member count from being inlined (and so
	// evaluated again) at each use of n and pc.
	q := `WITH t AS MATERIALIZED (SELECT ` + net + ` AS net, ` + size + ` AS n FROM households h
		JOIN incomes i ON i.household_id = h.id AND i.year = ` + yr + `
		WHERE h.deleted_at IS NULL AND ` + areaCond("h.village_code", actor.Narrow(area), arg) + `),
		u AS MATERIALIZED (SELECT ` + pc + ` AS pc FROM t)
		SELECT ` + band + ` AS b, COUNT(*) FROM u GROUP BY 1`
	var noneArgs []any
	noneArg := func(v any) string { noneArgs = append(noneArgs, v); return "$" + itoa(len(noneArgs)) }
	qNone := `SELECT COUNT(*) FROM households h WHERE h.deleted_at IS NULL AND ` + areaCond("h.village_code", actor.Narrow(area), noneArg) +
		` AND NOT EXISTS (SELECT 1 FROM incomes i WHERE i.household_id = h.id AND i.year = ` + noneArg(year) + `)`
	err := db.view(ctx, actor, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("income bands: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var b, n int
			if err := rows.Scan(&b, &n); err != nil {
				return fmt.Errorf("scan income band: %w", err)
			}
			bands[b].Households += n
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var none int
		if err := tx.QueryRowContext(ctx, qNone, noneArgs...).Scan(&none); err != nil {
			return fmt.Errorf("households without income: %w", err)
		}
		bands[0].Households += none
		return nil
	})
	return bands, err
}
