package monitor

import (
	"fmt"
	"strings"

	"fupin/internal/fupin"
)

// Object categories (监测对象类别) are data by area × period. A row sets the
// list for an area prefix ("" everywhere) from a year on, in the one
// settings table, and the row in force follows the rule of every area
// setting (fupin.SettingApplies, fupin.SettingBeats). A case keeps the
// category it was identified under when the list changes.

// TransitionCategories are the three object types of the transition
// period 2021–2025 (中农组发〔2021〕7号), in force wherever no row applies.
var TransitionCategories = fupin.MonitorTypes.Items[:3]

// NormalisedCategories are the 常态化 categories an area may configure from
// 2026: 防止返贫致贫对象 and the rural low-income groups shared with 民政. The
// national names for 2026 are not final, so they are not the default.
var NormalisedCategories = fupin.MonitorTypes.Items[3:]

// NormalisedFrom is the first year an area may configure the 常态化 categories.
const NormalisedFrom = 2026

// CategoryRow is a stored category list: in Area from Year on.
type CategoryRow struct {
	Area  string   `json:"area" description:"区划代码前缀，空为全国"`
	Year  int      `json:"year" required:"true" description:"自该年度起"`
	Codes []string `json:"codes" description:"适用的类别代码；空表示删除该行"`
}

// CategoriesView is what GET /monitor/categories answers: every known
// category, the stored rows the caller may see and the list in force for
// Area in Year.
type CategoriesView struct {
	Area      string           `json:"area"`
	Year      int              `json:"year"`
	Known     []fupin.CodeItem `json:"known" description:"全部类别（过渡期三类及 2026 年起可配置的常态化类别）"`
	Rows      []CategoryRow    `json:"rows" description:"已录入的类别设置"`
	Effective []fupin.CodeItem `json:"effective" description:"该区域该年度适用的类别"`
}

// CategoriesFor returns the categories in force for an area code in a
// year: the applicable row with the longest area prefix, then the latest
// year; the transition set when none applies.
func CategoriesFor(rows []CategoryRow, code string, year int) []fupin.CodeItem {
	best := -1
	for i, r := range rows {
		if !fupin.SettingApplies(r.Area, r.Year, code, year) {
			continue
		}
		if best < 0 || fupin.SettingBeats(r.Area, r.Year, rows[best].Area, rows[best].Year) {
			best = i
		}
	}
	if best < 0 {
		return TransitionCategories
	}
	var out []fupin.CodeItem
	for _, c := range rows[best].Codes {
		for _, it := range fupin.MonitorTypes.Items {
			if it.Code == c {
				out = append(out, it)
			}
		}
	}
	return out
}

// CheckCategoryRow validates a row to store. Errors: invalid naming area,
// year or codes[i]: a known code, no repeats, the 常态化 categories only
// from 2026 on; empty codes (delete) are valid.
func CheckCategoryRow(r CategoryRow) error {
	errs := fupin.FieldErrors{}
	if len(r.Area) > 12 || !digits(r.Area) {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if r.Year < 2021 || r.Year > 2100 {
		errs.Add("year", "年度应在 2021–2100 之间")
	}
	if len(r.Codes) > len(fupin.MonitorTypes.Items) {
		errs.Add("codes", fmt.Sprintf("类别最多 %d 项", len(fupin.MonitorTypes.Items)))
	}
	seen := map[string]bool{}
	for i, c := range r.Codes {
		path := fmt.Sprintf("codes[%d]", i)
		switch {
		case !fupin.MonitorTypes.Has(c) || seen[c]:
			errs.Add(path, "未知或重复的类别："+c)
		case HasCode(NormalisedCategories, c) && r.Year < NormalisedFrom:
			errs.Add(path, fmt.Sprintf("常态化类别自 %d 年起才能配置", NormalisedFrom))
		}
		seen[c] = true
	}
	return errs.Err()
}

// JoinCodes and SplitCodes are how a row's codes are stored.
func JoinCodes(codes []string) string { return strings.Join(codes, ",") }

// SplitCodes is the inverse of JoinCodes.
func SplitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// HouseholdCategoryYear is the year a household's monitor type is checked
// against: the year of its 监测识别时间, else today's (a category recorded
// without a date is taken as identified now).
func HouseholdCategoryYear(h *fupin.Household, today fupin.Date) int {
	if !h.MonitorIdentifiedOn.IsZero() {
		return h.MonitorIdentifiedOn.Year()
	}
	return today.Year()
}

// CheckHouseholdCategory adds to errs, under monitor_type, a household's
// monitor type that is not among the categories in force for its village
// in HouseholdCategoryYear, like a case's category when it is opened: in
// 2021–2025 only the three transition categories, from 2026 the area's
// configured list. So an old registry file re-imported later stays valid
// (its types are checked against the years they were identified in), and
// a 常态化 category dated in the transition period is refused. An empty or
// unknown code is left to fupin.Household.ValidateFields.
func CheckHouseholdCategory(errs fupin.FieldErrors, rows []CategoryRow, h *fupin.Household, today fupin.Date) {
	if h.MonitorType == "" || !fupin.MonitorTypes.Has(h.MonitorType) {
		return
	}
	year := HouseholdCategoryYear(h, today)
	cats := CategoriesFor(rows, h.VillageCode, year)
	if HasCode(cats, h.MonitorType) {
		return
	}
	labels := make([]string, len(cats))
	for i, c := range cats {
		labels[i] = c.Label
	}
	allowed := "本地区该年度未设置监测对象类别"
	if len(labels) > 0 {
		allowed = "该年度适用：" + strings.Join(labels, "、")
	}
	msg := fmt.Sprintf("监测对象类型“%s”不适用于本地区 %d 年（%s）", fupin.MonitorTypes.LabelOf(h.MonitorType), year, allowed)
	if h.MonitorIdentifiedOn.IsZero() {
		msg += "；如为往年认定，请填写监测识别时间"
	}
	errs.Add("monitor_type", msg)
}
