package criteria

import "fupin/internal/fupin"

// RulesVersion names the version of the rules in this package; it changes
// whenever a rule's logic changes, so a stored verdict names both the rules
// and (PolicyVersion) the parameters it was computed with.
const RulesVersion = "2025.1"

// Status is the outcome of an item or check.
type Status string

// Statuses. Unknown means a fact needed for the decision is missing or
// invalid; it is never counted as a pass.
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Unknown Status = "unknown"
)

// Label returns the Chinese label of s.
func (s Status) Label() string {
	switch s {
	case Pass:
		return "达标"
	case Fail:
		return "未达标"
	case Unknown:
		return "待核实"
	}
	return string(s)
}

// Item is a household criterion, identified by a stable English code.
type Item string

// Items, in the order a Verdict lists them.
const (
	ItemFood      Item = "food"
	ItemClothing  Item = "clothing"
	ItemEducation Item = "education"
	ItemMedical   Item = "medical"
	ItemHousing   Item = "housing"
	ItemWater     Item = "water"
	ItemStandard  Item = "standard"
	ItemIncome    Item = "income"
)

// Items lists every item in verdict order.
var Items = []Item{ItemFood, ItemClothing, ItemEducation, ItemMedical, ItemHousing,
	ItemWater, ItemStandard, ItemIncome}

const numItems = 8

// Label returns the Chinese label of the item.
func (i Item) Label() string {
	switch i {
	case ItemFood:
		return "不愁吃"
	case ItemClothing:
		return "不愁穿"
	case ItemEducation:
		return "义务教育"
	case ItemMedical:
		return "基本医疗"
	case ItemHousing:
		return "住房安全"
	case ItemWater:
		return "饮水安全"
	case ItemStandard:
		return "一达标"
	case ItemIncome:
		return "收入"
	}
	return string(i)
}

// Core reports whether the item belongs to 两不愁三保障 + 饮水安全 (+ 一达标):
// every item but income, which is a risk indicator (income below the monitoring line is a
// 防返贫 risk signal, not a 三保障 failure).
func (i Item) Core() bool { return i != ItemIncome }

// Result is the outcome of one item for one household.
type Result struct {
	Item   Item   `json:"item"`
	Status Status `json:"status"`
	// Code is a stable reason code such as "housing.relocated"; Reason is
	// rendered from it.
	Code string `json:"code"`
	// Reason is the Chinese explanation. Evaluate leaves it empty for speed;
	// Text renders it, Verdict.Render fills it, and JSON always carries it.
	Reason string `json:"reason"`
	// Checks are the sub-checks of the water item (quantity, quality,
	// convenience, reliability); empty for other items.
	Checks []Check `json:"checks,omitempty"`
	// Facts are the household facts the rule used; decisive ones are flagged.
	Facts []Fact `json:"facts"`
	// Params are the parameter values the rule used (read-only, shared).
	Params []ParamUse `json:"params"`
}

// Text returns the Chinese reason, rendering it when Reason is empty.
func (r *Result) Text() string {
	if r.Reason != "" {
		return r.Reason
	}
	return renderResult(r)
}

// Check is a sub-check of an item.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Reason is the Chinese explanation, filled like Result.Reason.
	Reason string `json:"reason"`
}

// Water sub-check names.
const (
	CheckQuantity    = "quantity"
	CheckQuality     = "quality"
	CheckConvenience = "convenience"
	CheckReliability = "reliability"
)

// Signal is a monitoring risk signal (防止返贫动态监测): a reason
// for a cadre to look at the household, not a criterion failure. Only
// raised signals are listed.
type Signal struct {
	Code   SignalCode `json:"code"`
	Reason string     `json:"reason"`
	Facts  []Fact     `json:"facts"`
	Params []ParamUse `json:"params"`
}

// Text returns the Chinese reason, rendering it when Reason is empty.
func (s *Signal) Text() string {
	if s.Reason != "" {
		return s.Reason
	}
	return renderSignal(s)
}

// SignalCode identifies a kind of risk signal.
type SignalCode string

// Signal codes.
const (
	SignalIncomeBelowLine SignalCode = "income_below_line"
	SignalHighSpending    SignalCode = "high_spending"
	SignalIncomeDrop      SignalCode = "income_drop"
	SignalSeriousIllness  SignalCode = "serious_illness"
	SignalDisability      SignalCode = "disability"
	SignalNoLabour        SignalCode = "no_labour"
)

// Label returns the Chinese label of the signal.
func (c SignalCode) Label() string {
	switch c {
	case SignalIncomeBelowLine:
		return "收入低于监测线"
	case SignalHighSpending:
		return "刚性支出过大"
	case SignalIncomeDrop:
		return "收入大幅下降"
	case SignalSeriousIllness:
		return "家庭成员患大病"
	case SignalDisability:
		return "家庭成员残疾"
	case SignalNoLabour:
		return "整户无劳动能力"
	}
	return string(c)
}

// Verdict is the evaluation of one household for one year.
type Verdict struct {
	HouseholdID int64      `json:"household_id"`
	Year        int        `json:"year"`
	AssessedOn  fupin.Date `json:"assessed_on"`
	// PolicyVersion is Params.Version; RulesVersion the package constant.
	PolicyVersion string `json:"policy_version"`
	RulesVersion  string `json:"rules_version"`
	// Items holds one Result per item, in the order of Items.
	Items   []Result `json:"items"`
	Signals []Signal `json:"signals"`
	// Pass is true when every core item passes.
	Pass bool `json:"pass"`
	// Problems counts core items that fail; Unknowns core items unknown.
	Problems int `json:"problems"`
	Unknowns int `json:"unknowns"`
	// IncomeRisk is true when per-capita net income is below the monitoring
	// line (a risk, not a 三保障 problem).
	IncomeRisk bool `json:"income_risk"`
	// PerCapita is the year's per-capita net income (fen) the income item
	// compared with the lines: nil when the year has no income record or
	// no member present (the item is then unknown). Stores keep it to
	// band households by income without recomputing; the JSON carries it
	// as the income.per_capita_net fact instead.
	PerCapita *fupin.Money `json:"-"`
	// Summary is a one-line Chinese summary, filled like Result.Reason.
	Summary string `json:"summary"`
}

// Result returns the result of item.
func (v *Verdict) Result(item Item) (Result, bool) {
	for _, r := range v.Items {
		if r.Item == item {
			return r, true
		}
	}
	return Result{}, false
}

// Signal returns the raised signal with code c.
func (v *Verdict) Signal(c SignalCode) (Signal, bool) {
	for _, s := range v.Signals {
		if s.Code == c {
			return s, true
		}
	}
	return Signal{}, false
}

// Render fills every empty Reason and the Summary in place. It writes to the
// verdict's slices, so do not call it concurrently with other uses of v.
func (v *Verdict) Render() {
	for i := range v.Items {
		r := &v.Items[i]
		for j := range r.Checks {
			if r.Checks[j].Reason == "" {
				r.Checks[j].Reason = renderCheck(r, r.Checks[j])
			}
		}
		r.Reason = r.Text()
	}
	for i := range v.Signals {
		v.Signals[i].Reason = v.Signals[i].Text()
	}
	v.Summary = v.SummaryText()
}

// Clone returns a deep copy of v that shares only the read-only parameter
// uses, to keep a Verdict returned by Evaluator.Evaluate.
func (v Verdict) Clone() Verdict {
	n := 0
	for _, r := range v.Items {
		n += len(r.Facts)
	}
	for _, s := range v.Signals {
		n += len(s.Facts)
	}
	facts := make([]Fact, 0, n)
	take := func(fs []Fact) []Fact {
		s := len(facts)
		facts = append(facts, fs...)
		return facts[s:len(facts):len(facts)]
	}
	items := make([]Result, len(v.Items))
	for i, r := range v.Items {
		r.Facts = take(r.Facts)
		if r.Checks != nil {
			r.Checks = append([]Check(nil), r.Checks...)
		}
		items[i] = r
	}
	signals := make([]Signal, len(v.Signals))
	for i, s := range v.Signals {
		s.Facts = take(s.Facts)
		signals[i] = s
	}
	v.Items, v.Signals = items, signals
	if v.PerCapita != nil {
		pc := *v.PerCapita
		v.PerCapita = &pc
	}
	return v
}
