package appraisal

import (
	"sort"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// Threshold is a policy limit on one rate: a rate passes when it is below
// Max (error rates) or above Min (approval), strictly, as the standards say
// (错退率 < 2 %, 认可度 > 90 %).
type Threshold struct {
	Rate   string   `json:"rate"`
	Max    *float64 `json:"max,omitempty" description:"上限（不含），0–1"`
	Min    *float64 `json:"min,omitempty" description:"下限（不含），0–1"`
	Source string   `json:"source" description:"依据"`
}

// ThresholdRow is a threshold set for an area prefix from a year on, as a
// policy parameter ("" is everywhere).
type ThresholdRow struct {
	Area      string    `json:"area" description:"区划代码前缀，空为全部"`
	Year      int       `json:"year" required:"true" description:"自该年度起适用"`
	Threshold Threshold `json:"threshold" required:"true"`
}

func ptr(v float64) *float64 { return &v }

// Sources of the default thresholds.
const (
	SourceExitCheck   = "《关于建立贫困退出机制的意见》（厅字〔2016〕16号）及贫困县退出专项评估检查标准：错退率、漏评率低于 2%，群众认可度高于 90%（《人民日报》2019 年 7 月 3 日报道 2018 年退出县评估结果）"
	SourceUnconfirmed = "未查到正式文件规定，比照错退率、漏评率取 2%（可按区域、年度另行设定）"
)

// DefaultThresholds are the built-in limits: 错退率 < 2 %, 漏评率 < 2 %,
// 认可度 > 90 % (the exit-check standards), and 错评率 < 2 %, whose official
// value was not found and is set by analogy (marked as such).
func DefaultThresholds() []Threshold {
	return []Threshold{
		{Rate: RateWrongExit, Max: ptr(0.02), Source: SourceExitCheck},
		{Rate: RateMissed, Max: ptr(0.02), Source: SourceExitCheck},
		{Rate: RateWrongInclusion, Max: ptr(0.02), Source: SourceUnconfirmed},
		{Rate: RateApproval, Min: ptr(0.90), Source: SourceExitCheck},
	}
}

// ResolveThresholds picks, per rate, the row with the most specific area
// prefix of area and, among those, the latest year not after year; rates
// without a row keep their default.
func ResolveThresholds(rows []ThresholdRow, area string, year int) []Threshold {
	out := DefaultThresholds()
	best := map[string]ThresholdRow{}
	for _, r := range rows {
		if !strings.HasPrefix(area, r.Area) || r.Year > year {
			continue
		}
		b, ok := best[r.Threshold.Rate]
		if !ok || len(r.Area) > len(b.Area) || len(r.Area) == len(b.Area) && r.Year > b.Year {
			best[r.Threshold.Rate] = r
		}
	}
	for i := range out {
		if r, ok := best[out[i].Rate]; ok {
			out[i] = r.Threshold
		}
	}
	for code, r := range best {
		if !has(out, code) {
			out = append(out, r.Threshold)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return rateOrder(out[i].Rate) < rateOrder(out[j].Rate) })
	return out
}

func has(ts []Threshold, code string) bool {
	for _, t := range ts {
		if t.Rate == code {
			return true
		}
	}
	return false
}

func rateOrder(code string) int {
	for i, c := range []string{RateWrongExit, RateMissed, RateWrongInclusion, RateIdentification, RateExit, RateApproval} {
		if c == code {
			return i
		}
	}
	return 99
}

// Outcome is a rate judged against its threshold.
type Outcome struct {
	Rate      Rate      `json:"rate"`
	Threshold Threshold `json:"threshold"`
	// Status: pass (the point estimate meets the threshold), fail, or
	// no_data (nothing sampled of that kind).
	Status string `json:"status"`
	// Conclusive is true when the whole 95 % interval lies on the side of
	// the point estimate, so the sample settles the question.
	Conclusive bool   `json:"conclusive" description:"95% 置信区间整体在阈值同一侧"`
	Note       string `json:"note"`
}

// Judge compares rates with thresholds (rates without a threshold are left
// out).
func Judge(rates []Rate, ts []Threshold) []Outcome {
	var out []Outcome
	for _, r := range rates {
		for _, t := range ts {
			if t.Rate != r.Code {
				continue
			}
			out = append(out, judge(r, t))
		}
	}
	return out
}

func judge(r Rate, t Threshold) Outcome {
	o := Outcome{Rate: r, Threshold: t}
	if r.Value == nil {
		o.Status, o.Note = "no_data", "未抽查此类农户，无法计算"
		return o
	}
	var pass, allPass, allFail bool
	switch {
	case t.Max != nil:
		pass, allPass, allFail = *r.Value < *t.Max, *r.High < *t.Max, *r.Low >= *t.Max
	case t.Min != nil:
		pass, allPass, allFail = *r.Value > *t.Min, *r.Low > *t.Min, *r.High <= *t.Min
	}
	o.Status = map[bool]string{true: "pass", false: "fail"}[pass]
	o.Conclusive = pass && allPass || !pass && allFail
	switch {
	case o.Conclusive && pass:
		o.Note = "达标（置信区间整体达标）"
	case o.Conclusive:
		o.Note = "不达标（置信区间整体不达标）"
	case pass:
		o.Note = "点估计达标，但置信区间跨越阈值，建议扩大样本"
	default:
		o.Note = "点估计不达标，但置信区间跨越阈值，建议扩大样本复核"
	}
	return o
}

func fieldErrors(m map[string]string) error {
	if len(m) == 0 {
		return nil
	}
	return fieldErrorsMsg(m, "抽查结果计数有误")
}

func fieldsOf(err error) map[string]string {
	if e, ok := err.(*fupin.Error); ok {
		return e.Fields
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func fieldErrorsMsg(m map[string]string, msg string) error {
	return &fupin.Error{Code: fupin.EInvalid, Message: msg, Fields: m}
}

// Validate checks a threshold row: a known rate, a limit of the rate's
// direction between 0 and 1, a source, an area prefix and a year.
func (r *ThresholdRow) Validate() error {
	errs := map[string]string{}
	t := &r.Threshold
	t.Source = strings.TrimSpace(t.Source)
	if len(r.Area) > 12 || strings.Trim(r.Area, "0123456789") != "" {
		errs["area"] = "区域应为统计用区划代码前缀（空为全部）"
	}
	if r.Year < MinYear || r.Year > MaxYear {
		errs["year"] = "年度应在 2013–2100 之间"
	}
	bad := func(p *float64) bool { return p == nil || *p <= 0 || *p >= 1 }
	switch t.Rate {
	case RateWrongExit, RateMissed, RateWrongInclusion:
		if bad(t.Max) || t.Min != nil {
			errs["max"] = "错误率须给出上限（0–1 之间，如 0.02），不设下限"
		}
	case RateApproval, RateIdentification, RateExit:
		if bad(t.Min) || t.Max != nil {
			errs["min"] = "认可度、准确率须给出下限（0–1 之间，如 0.9），不设上限"
		}
	default:
		errs["rate"] = "未知的指标：" + t.Rate
	}
	if t.Source == "" || len([]rune(t.Source)) > 500 {
		errs["source"] = "请写明依据（500 字以内）"
	}
	if len(errs) > 0 {
		return fieldErrorsMsg(errs, "阈值设置有误")
	}
	return nil
}
