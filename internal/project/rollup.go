package project

import (
	"sort"

	"fupin/internal/fupin"
)

// FundRow is one line of the funds roll-up: the budget and payments of one
// area (a project's area_code), year, use (project type) and source.
type FundRow struct {
	AreaCode string      `json:"area_code"`
	AreaName string      `json:"area_name"`
	Year     int         `json:"year"`
	Type     string      `json:"type" description:"资金用途（项目类型）"`
	Source   string      `json:"source"`
	Budget   fupin.Money `json:"budget" description:"预算（元）"`
	Spent    fupin.Money `json:"spent" description:"已拨付（元）"`
}

// Rollup is the projects-and-funds summary of an area.
type Rollup struct {
	Projects   int         `json:"projects"`
	Budget     fupin.Money `json:"budget" description:"预算合计（元）"`
	Spent      fupin.Money `json:"spent" description:"已拨付合计（元）"`
	SpendRate  float64     `json:"spend_rate" description:"资金支出进度 = 已拨付 ÷ 预算（预算为 0 时为 0）"`
	Households int         `json:"households" description:"受益农户（按项目累计，同一户受益于两个项目计两次）"`
	// PerTenThousand is households benefiting per 10,000 yuan of budget
	// (户/万元): Households ÷ (Budget in yuan ÷ 10,000).
	PerTenThousand float64   `json:"households_per_10k" description:"每万元受益户数 = 受益户数 ÷ 预算（万元）"`
	Rows           []FundRow `json:"rows" description:"按区域、年度、用途、来源的资金"`
	Overdue        []Project `json:"overdue" description:"超期项目：计划完工日期已过而未验收"`
}

// Summarise rolls up projects (each with Budget, HouseholdCount and the
// payments by source in spent[id]) as of today. Rows are sorted by area, year, type and
// source; overdue projects by planned end.
func Summarise(projects []Project, spent map[int64]map[string]fupin.Money, today fupin.Date) Rollup {
	out := Rollup{Rows: []FundRow{}, Overdue: []Project{}}
	type key struct {
		area       string
		year       int
		typ, sourc string
	}
	rows := map[key]*FundRow{}
	for _, p := range projects {
		out.Projects++
		out.Households += p.HouseholdCount
		for _, b := range p.Budget {
			k := key{p.AreaCode, p.Year, p.Type, b.Source}
			r := rows[k]
			if r == nil {
				r = &FundRow{AreaCode: p.AreaCode, AreaName: p.AreaName, Year: p.Year, Type: p.Type, Source: b.Source}
				rows[k] = r
			}
			r.Budget += b.Amount
			r.Spent += spent[p.ID][b.Source]
			out.Budget += b.Amount
			out.Spent += spent[p.ID][b.Source]
		}
		if p.IsOverdue(today) {
			out.Overdue = append(out.Overdue, p)
		}
	}
	for _, r := range rows {
		out.Rows = append(out.Rows, *r)
	}
	sort.Slice(out.Rows, func(i, j int) bool {
		a, b := out.Rows[i], out.Rows[j]
		if a.AreaCode != b.AreaCode {
			return a.AreaCode < b.AreaCode
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Source < b.Source
	})
	sort.SliceStable(out.Overdue, func(i, j int) bool { return out.Overdue[i].PlannedEnd.Before(out.Overdue[j].PlannedEnd) })
	if out.Budget > 0 {
		out.SpendRate = float64(out.Spent) / float64(out.Budget)
		out.PerTenThousand = float64(out.Households) / (float64(out.Budget) / 1_000_000)
	}
	return out
}
