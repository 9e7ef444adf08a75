package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"fupin/internal/aid"
	"strings"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
	"fupin/internal/region"
)

// ItemCounts counts verdicts of one item by status.
type ItemCounts struct {
	Pass    int `json:"pass"`
	Fail    int `json:"fail"`
	Unknown int `json:"unknown"`
}

// AreaSummary is the verdict count of one area for a year.
type AreaSummary struct {
	Code        string                `json:"code"`
	Name        string                `json:"name"`
	Households  int                   `json:"households"`
	Pass        int                   `json:"pass" description:"两不愁三保障+饮水各项全部达标的户数"`
	WithProblem int                   `json:"with_problem" description:"至少一项不达标的户数"`
	IncomeRisk  int                   `json:"income_risk" description:"人均纯收入低于监测线的户数"`
	Items       map[string]ItemCounts `json:"items"`
}

// Summary is an area's verdict counts per item and per child area.
type Summary struct {
	Year     int           `json:"year"`
	Total    AreaSummary   `json:"total"`
	Children []AreaSummary `json:"children"`
}

// AssessmentSummary counts stored verdicts of a year in an area (a code
// prefix), per item and per child area (the next division level down).
func (db *DB) AssessmentSummary(ctx context.Context, actor fupin.Actor, area string, year int) (Summary, error) {
	out := Summary{Year: year, Children: []AreaSummary{}}
	childLen := map[int]int{0: 2, 2: 4, 4: 6, 6: 9, 9: 12, 12: 12}[len(area)]
	if childLen == 0 || strings.Trim(area, "0123456789") != "" {
		return out, &fupin.Error{Code: fupin.EInvalid, Message: "区域应为 2、4、6、9 或 12 位区划代码", Fields: map[string]string{"area": "格式不正确"}}
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	cols := []string{"COUNT(*)", "SUM(CASE WHEN pass THEN 1 ELSE 0 END)", "SUM(CASE WHEN problems > 0 THEN 1 ELSE 0 END)",
		"SUM(CASE WHEN income_risk THEN 1 ELSE 0 END)"}
	for _, item := range criteria.Items {
		for _, st := range []criteria.Status{criteria.Pass, criteria.Fail, criteria.Unknown} {
			cols = append(cols, fmt.Sprintf("SUM(CASE WHEN s_%s = '%s' THEN 1 ELSE 0 END)", item, st))
		}
	}
	q := `SELECT SUBSTR(village_code, 1, ` + itoa(childLen) + `) AS child, ` + strings.Join(cols, ", ") +
		` FROM verdicts WHERE year = ` + arg(year) + ` AND ` + areaCond("village_code", actor.Narrow(area), arg) +
		` GROUP BY SUBSTR(village_code, 1, ` + itoa(childLen) + `) ORDER BY child`
	err := db.view(ctx, actor, func(tx *Tx) error {
		out.Children = out.Children[:0]
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("summary: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanSummary(rows)
			if err != nil {
				return err
			}
			out.Children = append(out.Children, s)
		}
		return rows.Err()
	})
	out.Total = AreaSummary{Code: area, Name: regionName(area), Items: map[string]ItemCounts{}}
	for _, c := range out.Children {
		out.Total.add(c)
	}
	return out, err
}

func scanSummary(rows interface{ Scan(...any) error }) (AreaSummary, error) {
	s := AreaSummary{Items: map[string]ItemCounts{}}
	counts := make([]int, 3*len(criteria.Items))
	dest := []any{&s.Code, &s.Households, &s.Pass, &s.WithProblem, &s.IncomeRisk}
	for i := range counts {
		dest = append(dest, &counts[i])
	}
	if err := rows.Scan(dest...); err != nil {
		return s, fmt.Errorf("scan summary: %w", err)
	}
	for i, item := range criteria.Items {
		s.Items[string(item)] = ItemCounts{Pass: counts[3*i], Fail: counts[3*i+1], Unknown: counts[3*i+2]}
	}
	s.Name = regionName(s.Code)
	return s, nil
}

func (a *AreaSummary) add(o AreaSummary) {
	a.Households += o.Households
	a.Pass += o.Pass
	a.WithProblem += o.WithProblem
	a.IncomeRisk += o.IncomeRisk
	for k, v := range o.Items {
		c := a.Items[k]
		c.Pass, c.Fail, c.Unknown = c.Pass+v.Pass, c.Fail+v.Fail, c.Unknown+v.Unknown
		a.Items[k] = c
	}
}

func regionName(code string) string {
	if code == "" {
		return "全国"
	}
	if r, err := region.Lookup(code); err == nil {
		return r.Name
	}
	return code
}

// Problem is a household whose verdict has a failing (or unknown) item.
type Problem struct {
	HouseholdID int64             `json:"household_id"`
	HouseholdNo string            `json:"household_no"`
	HeadName    string            `json:"head_name"`
	VillageCode string            `json:"village_code"`
	VillageName string            `json:"village_name" description:"村名（区划名称）"`
	Year        int               `json:"year"`
	Statuses    map[string]string `json:"statuses"`
	Reasons     map[string]string `json:"reasons"`
	Signals     []string          `json:"signals"`
}

// ProblemFilter selects households for the 问题清单.
type ProblemFilter struct {
	Area   string
	Year   int
	Item   string // one of criteria.Items; "" = any core item
	Status string // "fail" (default) or "unknown"
	Offset int
	Limit  int
}

// ProblemPage is one page of problems and the total that matched.
type ProblemPage struct {
	Items []Problem `json:"items"`
	Total int       `json:"total"`
}

// AssessmentProblems lists households whose stored verdict fails (or is
// unknown on) an item: the list a township works down to 问题零发生.
func (db *DB) AssessmentProblems(ctx context.Context, actor fupin.Actor, f ProblemFilter) (ProblemPage, error) {
	page := ProblemPage{Items: []Problem{}}
	if err := f.validate(); err != nil {
		return page, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := "v.year = " + arg(f.Year) + " AND " + areaCond("v.village_code", actor.Narrow(f.Area), arg)
	switch {
	case f.Item != "":
		where += " AND v.s_" + f.Item + " = " + arg(f.Status)
	case f.Status == "fail":
		where += " AND v.problems > 0"
	default:
		where += " AND v.unknowns > 0"
	}
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM verdicts v WHERE `+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count problems: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT v.household_id, COALESCE(h.household_no, ''), h.head_name, v.village_code,
			v.s_food, v.s_clothing, v.s_education, v.s_medical, v.s_housing, v.s_water, v.s_standard, v.s_income,
			v.reasons, v.signals FROM verdicts v JOIN households h ON h.id = v.household_id
			WHERE `+where+fmt.Sprintf(` ORDER BY v.village_code, v.household_id LIMIT %d OFFSET %d`, f.Limit, f.Offset), args...)
		if err != nil {
			return fmt.Errorf("list problems: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProblem(rows, f.Year)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, p)
		}
		return rows.Err()
	})
	return page, err
}

func scanProblem(rows interface{ Scan(...any) error }, year int) (Problem, error) {
	p := Problem{Year: year, Statuses: map[string]string{}, Reasons: map[string]string{}, Signals: []string{}}
	st := make([]string, len(criteria.Items))
	dest := []any{&p.HouseholdID, &p.HouseholdNo, &p.HeadName, &p.VillageCode}
	for i := range st {
		dest = append(dest, &st[i])
	}
	var reasons, signals string
	if err := rows.Scan(append(dest, &reasons, &signals)...); err != nil {
		return p, fmt.Errorf("scan problem: %w", err)
	}
	p.VillageName = aid.AreaName(p.VillageCode)
	for i, item := range criteria.Items {
		p.Statuses[string(item)] = st[i]
	}
	if err := json.Unmarshal([]byte(reasons), &p.Reasons); err != nil {
		return p, fmt.Errorf("problem reasons: %w", err)
	}
	if signals != "" {
		p.Signals = strings.Split(signals, ",")
	}
	return p, nil
}

func (f *ProblemFilter) validate() error {
	errs := fupin.FieldErrors{}
	if f.Item != "" {
		ok := false
		for _, it := range criteria.Items {
			ok = ok || string(it) == f.Item
		}
		if !ok {
			errs.Add("item", "没有这个核查项目："+f.Item)
		}
	}
	if f.Status == "" {
		f.Status = "fail"
	}
	if f.Status != "fail" && f.Status != "unknown" {
		errs.Add("status", "应为 fail 或 unknown")
	}
	if strings.Trim(f.Area, "0123456789") != "" || len(f.Area) > 12 {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	if f.Limit < 0 || f.Limit > 500 {
		errs.Add("limit", "每页条数应在 1–500 之间")
	}
	if f.Offset < 0 {
		errs.Add("offset", "偏移量不能为负")
	}
	return errs.Err()
}
