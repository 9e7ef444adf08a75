package monitor

import (
	"fmt"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// IncomePoint is one income record of the household: a year (the last
// complete income year) or a newer month or quarter, with the per-capita net
// income annualised so that it compares with the yearly line.
type IncomePoint struct {
	Period    string      `json:"period" description:"收入期间，如 2025 年、2026 年第 1 季度"`
	PerCapita fupin.Money `json:"per_capita" description:"人均纯收入（年化，元）"`
}

// ItemStatus is one 三保障 / 饮水 item of the household's current verdict.
type ItemStatus struct {
	Label  string `json:"label"`
	Status string `json:"status" description:"pass / fail / unknown"`
}

// EligibilityInput is what the elimination check looks at.
type EligibilityInput struct {
	IdentifiedOn fupin.Date
	Today        fupin.Date
	MinMonths    int         // monitored at least this long (default 6, 原则上不得低于半年)
	Line         fupin.Money // the year's monitoring line, per person and year
	Incomes      []IncomePoint
	// SpendingResolved is false while large rigid spending (medical,
	// schooling) is not stably resolved.
	SpendingResolved bool
	Items            []ItemStatus
	// NoLabour: no member has labour capacity. Measures are the categories
	// of the household's active measures.
	NoLabour bool
	Measures []string
}

// Check is one line of the eligibility list.
type Check struct {
	Item   string `json:"item"`
	Label  string `json:"label"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Eligibility is the item-by-item answer. NeedsOverride is a warning: the
// household has no labour capacity and only social-protection measures hold
// it, so the county must give a reason to start elimination.
type Eligibility struct {
	Eligible      bool    `json:"eligible"`
	NeedsOverride bool    `json:"needs_override"`
	Warning       string  `json:"warning,omitempty"`
	Checks        []Check `json:"checks"`
}

// Failing names the checks that did not pass, for messages.
func (e Eligibility) Failing() string {
	var out []string
	for _, c := range e.Checks {
		if !c.OK {
			out = append(out, c.Label)
		}
	}
	return strings.Join(out, "、")
}

// CheckElimination evaluates the conditions of 风险消除 item by item:
// monitored long enough, every income record not below the line, rigid
// spending resolved, every 三保障 and 饮水 item passing. Missing data fails
// its item; nothing passes silently.
func CheckElimination(in EligibilityInput) Eligibility {
	var e Eligibility
	add := func(item, label string, ok bool, detail string) {
		e.Checks = append(e.Checks, Check{Item: item, Label: label, OK: ok, Detail: detail})
	}
	months := in.MinMonths
	if months <= 0 {
		months = 6
	}
	switch {
	case in.IdentifiedOn.IsZero():
		add("months", "监测时长", false, "没有识别认定日期")
	default:
		from := AddMonths(in.IdentifiedOn, months)
		ok := !in.Today.Before(from)
		detail := fmt.Sprintf("%s 纳入监测，满 %d 个月之日为 %s", in.IdentifiedOn, months, from)
		add("months", "监测时长", ok, detail)
	}
	add(incomeCheck(in))
	if in.SpendingResolved {
		add("spending", "刚性支出", true, "大额刚性支出已稳定解决")
	} else {
		add("spending", "刚性支出", false, "大额刚性支出尚未稳定解决")
	}
	if len(in.Items) == 0 {
		add("items", "三保障和饮水安全", false, "没有核查结论")
	}
	for _, it := range in.Items {
		detail := map[string]string{"pass": "达标", "fail": "未达标", "unknown": "信息不全，无法判断"}[it.Status]
		add("items", it.Label, it.Status == "pass", detail)
	}
	e.Eligible = true
	for _, c := range e.Checks {
		e.Eligible = e.Eligible && c.OK
	}
	if in.NoLabour && onlyProtection(in.Measures) {
		e.NeedsOverride = true
		e.Warning = "该户无劳动能力，仅靠兜底保障措施维持，原则上不标注风险消除，继续监测"
	}
	return e
}

func incomeCheck(in EligibilityInput) (string, string, bool, string) {
	const item, label = "income", "人均纯收入"
	if len(in.Incomes) == 0 {
		return item, label, false, "没有收入记录"
	}
	var parts []string
	ok := true
	for _, p := range in.Incomes {
		below := p.PerCapita < in.Line
		ok = ok && !below
		mark := "不低于"
		if below {
			mark = "低于"
		}
		parts = append(parts, fmt.Sprintf("%s %s 元，%s监测线 %s 元", p.Period, p.PerCapita, mark, in.Line))
	}
	return item, label, ok, strings.Join(parts, "；")
}

// onlyProtection: at least one active measure and every one is social
// protection (兜底).
func onlyProtection(measures []string) bool {
	if len(measures) == 0 {
		return false
	}
	for _, m := range measures {
		if !in(ProtectionMeasures, m) {
			return false
		}
	}
	return true
}

// AddMonths is the same day n months later, or the last day of that month
// when it is shorter (31 August + 6 months is 28 or 29 February).
func AddMonths(d fupin.Date, n int) fupin.Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	day := t.Day()
	if day > last {
		day = last
	}
	return fupin.NewDate(first.Year(), first.Month(), day)
}
