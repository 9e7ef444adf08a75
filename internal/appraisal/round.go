package appraisal

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of sampled household, as they were when drawn.
const (
	KindExPoor    = "ex_poor"   // 已脱贫（脱贫户）
	KindMonitored = "monitored" // 监测户（非脱贫户）
	KindOther     = "other"     // 其他农户
)

// MaxNote bounds a result's note (characters).
const MaxNote = 500

// Round is a sampling round (抽查轮次) of an area and year with its rule.
type Round struct {
	ID         int64      `json:"id" readOnly:"true"`
	Name       string     `json:"name" description:"名称，如 2025 年 12 月县级抽查"`
	AreaCode   string     `json:"area_code" required:"true" description:"抽查区域（县或乡镇）"`
	Year       int        `json:"year" required:"true" description:"考核年度"`
	Rule       SampleRule `json:"rule" required:"true"`
	Shortfalls []string   `json:"shortfalls" readOnly:"true"`
	Households int        `json:"households" readOnly:"true" description:"抽中户数"`
	Recorded   int        `json:"recorded" readOnly:"true" description:"已录入结果户数"`
	CreatedBy  string     `json:"created_by" readOnly:"true"`
	CreatedAt  time.Time  `json:"created_at" readOnly:"true"`
}

// Normalize trims and checks a new round (name defaults from the year).
func (r *Round) Normalize() error {
	errs := map[string]string{}
	r.Name = strings.TrimSpace(r.Name)
	if utf8.RuneCountInString(r.Name) > MaxName {
		errs["name"] = "名称不能超过 100 个字"
	}
	if r.Year < MinYear || r.Year > MaxYear {
		errs["year"] = "考核年度应在 2013–2100 之间"
	}
	if r.AreaCode == "" || len(r.AreaCode) > 12 || strings.Trim(r.AreaCode, "0123456789") != "" {
		errs["area_code"] = "区域应为统计用区划代码"
	}
	if err := r.Rule.Validate(); err != nil {
		for k, v := range fieldsOf(err) {
			errs["rule."+k] = v
		}
	}
	if r.Name == "" {
		r.Name = itoa(r.Year) + " 年度抽查"
	}
	if len(errs) > 0 {
		return fieldErrorsMsg(errs, "抽查轮次有误")
	}
	return nil
}

// Result is what the check found at one sampled household.
type Result struct {
	WrongInclusion bool   `json:"wrong_inclusion" description:"错评：不符合识别标准却已建档（脱贫户、监测户）"`
	WrongExit      bool   `json:"wrong_exit" description:"错退：已脱贫但不符合退出标准（脱贫户）"`
	Missed         bool   `json:"missed" description:"漏评：符合标准却未识别（其他农户）"`
	Problem        bool   `json:"problem" description:"发现其他问题"`
	Note           string `json:"note" description:"核查说明（500 字以内）"`
}

// Validate checks a result against the kind of household it is about: a
// wrong exit only for 脱贫户, a wrong inclusion only for registered
// households, a missed household only among the others.
func (r *Result) Validate(kind string) error {
	errs := map[string]string{}
	r.Note = strings.TrimSpace(r.Note)
	if utf8.RuneCountInString(r.Note) > MaxNote {
		errs["note"] = "核查说明不能超过 500 字"
	}
	if r.WrongExit && kind != KindExPoor {
		errs["wrong_exit"] = "只有脱贫户才可能错退"
	}
	if r.WrongInclusion && kind == KindOther {
		errs["wrong_inclusion"] = "未建档的农户不可能错评"
	}
	if r.Missed && kind != KindOther {
		errs["missed"] = "已建档（脱贫户、监测户）不可能漏评"
	}
	if (r.WrongExit || r.WrongInclusion || r.Missed || r.Problem) && r.Note == "" {
		errs["note"] = "发现问题时请写明核查说明"
	}
	if len(errs) > 0 {
		return fieldErrorsMsg(errs, "核查结果有误")
	}
	return nil
}

// Recorded is a sampled household's kind and result (nil: not yet entered).
type Recorded struct {
	Kind   string
	Result *Result
}

// CountsOf turns recorded results into the counts of Rates: only households
// with a result count, each in the denominators of its kind.
func CountsOf(rows []Recorded) Counts {
	var c Counts
	for _, r := range rows {
		if r.Result == nil {
			continue
		}
		switch r.Kind {
		case KindExPoor:
			c.ExitedSampled++
			c.RegisteredSampled++
			c.WrongExits += b2i(r.Result.WrongExit)
			c.WrongInclusions += b2i(r.Result.WrongInclusion)
		case KindMonitored:
			c.RegisteredSampled++
			c.WrongInclusions += b2i(r.Result.WrongInclusion)
		default:
			c.OthersSampled++
			c.Missed += b2i(r.Result.Missed)
		}
	}
	return c
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
