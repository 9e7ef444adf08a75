package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

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
// Income bands count the stored verdicts of the year by the per-capita
// income each compared with the lines, so they add up to Verdicts.Total
// and the bands below the monitoring line are the income item's failures
// (the 问题清单 the console links them to); "none" is the income item's
// unknowns. Answers are memoised until a write that can change them is
// committed, and counted again only in the villages it touched
// (dashboard_cache.go), so they always equal what the lists answer.
// Errors: invalid (area not a 2/4/6/9/12-digit code).
func (db *DB) Dashboard(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
	if childLength(area) == 0 {
		return Dashboard{}, &fupin.Error{Code: fupin.EInvalid, Message: "区域应为 2、4、6、9 或 12 位区划代码", Fields: map[string]string{"area": "格式不正确"}}
	}
	return db.cachedDashboard(ctx, actor, area, year)
}

// dashboard computes what Dashboard answers afresh, without the memos.
func (db *DB) dashboard(ctx context.Context, actor fupin.Actor, area string, year int) (Dashboard, error) {
	return db.dashboardOf(ctx, area, year, func(ctx context.Context, childLen int) ([]AreaCounts, error) {
		return db.areaCounts(ctx, actor, area, childLen)
	}, func(ctx context.Context, poverty, line fupin.Money) (Summary, []IncomeBand, error) {
		return db.verdictCounts(ctx, actor, area, year, poverty, line)
	})
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

// childCounts returns the counts of code in children, added empty when absent.
func childCounts(children map[string]*AreaCounts, code string) *AreaCounts {
	c := children[code]
	if c == nil {
		nc := newAreaCounts(code)
		c = &nc
		children[code] = c
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

// areaCounts counts the live households per child area with the same
// conditions householdWhere builds for the list. It groups by village and
// the counted columns in the order of the index households_dashboard, so
// that SQLite reads that index alone and needs no sort; the few groups are
// rolled up into child areas here.
func (db *DB) areaCounts(ctx context.Context, actor fupin.Actor, area string, childLen int) ([]AreaCounts, error) {
	var out []AreaCounts
	err := db.viewReport(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.areaCounts(ctx, area, childLen)
		return err
	})
	return out, err
}

// areaCounts is DB.areaCounts inside tx, for tx's actor.
func (tx *Tx) areaCounts(ctx context.Context, area string, childLen int) ([]AreaCounts, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	q := `SELECT village_code, household_type, monitor_type, poverty_attr, COUNT(*), COALESCE(SUM(size), 0)
		FROM households WHERE deleted_at IS NULL AND ` + areaCond("village_code", tx.actor.Narrow(area), arg) + `
		GROUP BY village_code, household_type, monitor_type, poverty_attr`
	children := map[string]*AreaCounts{}
	err := func() error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("dashboard counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var village, typ, monitor, attr string
			var n, size int
			if err := rows.Scan(&village, &typ, &monitor, &attr, &n, &size); err != nil {
				return fmt.Errorf("scan dashboard counts: %w", err)
			}
			c := childCounts(children, childCode(village, childLen))
			c.Households += n
			c.People += size
			if typ == "ex_poor" {
				c.ExPoor += n
			}
			if monitor != "" {
				c.Monitored += n
			}
			if _, ok := c.MonitorTypes[monitor]; ok {
				c.MonitorTypes[monitor] += n
			}
			if _, ok := c.PovertyAttrs[attr]; ok {
				c.PovertyAttrs[attr] += n
			}
		}
		return rows.Err()
	}()
	out := make([]AreaCounts, 0, len(children))
	for _, c := range children {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, err
}

// childCode is the child area a village belongs to.
func childCode(village string, childLen int) string {
	return village[:min(childLen, len(village))]
}
