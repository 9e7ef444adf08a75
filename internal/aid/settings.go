package aid

import (
	"fupin/internal/fupin"
)

// SettingDefs lists the aid settings, each with its default, its bounds
// and the practice it follows.
var SettingDefs = []fupin.SettingDef{
	{Key: "term_months", Label: "驻村（驻乡）任期", Unit: "月", Default: 24, Min: 6, Max: 60, Source: "第一书记任期一般 1–3 年，各地多为 2 年"},
	{Key: "term_alert_days", Label: "任期届满提醒", Unit: "天", Default: 60, Min: 1, Max: 365, Source: "任期届满前提前安排轮换"},
	{Key: "attendance_min_days", Label: "每月在村天数要求", Unit: "天", Default: 20, Min: 1, Max: 31, Source: "驻村干部每月在村不少于 20 天（各地规定）"},
	{Key: "visit_days_monitored", Label: "监测户走访周期", Unit: "天", Default: 30, Min: 1, Max: 366, Source: "重点户（监测户）每月走访一遍"},
	{Key: "visit_days_ex_poor", Label: "脱贫户走访周期", Unit: "天", Default: 90, Min: 1, Max: 366, Source: "一般户每季度走访一遍"},
	{Key: "visit_days_other", Label: "其他结对户走访周期", Unit: "天", Default: 90, Min: 1, Max: 366, Source: "一般户每季度走访一遍"},
}

// Settings are the aid rules in force for an area.
type Settings struct {
	TermMonths         int `json:"term_months" description:"任期（月）"`
	TermAlertDays      int `json:"term_alert_days" description:"任期届满前多少天提醒"`
	AttendanceMinDays  int `json:"attendance_min_days" description:"每月在村天数要求"`
	VisitDaysMonitored int `json:"visit_days_monitored" description:"监测户走访周期（天）"`
	VisitDaysExPoor    int `json:"visit_days_ex_poor" description:"脱贫户走访周期（天）"`
	VisitDaysOther     int `json:"visit_days_other" description:"其他结对户走访周期（天）"`
}

// SettingRow is a stored setting: from this area prefix down, key = value.
type SettingRow struct {
	Area  string `json:"area" description:"区划代码前缀，空为全国"`
	Key   string `json:"key" required:"true"`
	Value int    `json:"value" description:"数值；0 表示删除该行，回到上级或默认值"`
}

func (s *Settings) field(key string) *int {
	switch key {
	case "term_months":
		return &s.TermMonths
	case "term_alert_days":
		return &s.TermAlertDays
	case "attendance_min_days":
		return &s.AttendanceMinDays
	case "visit_days_monitored":
		return &s.VisitDaysMonitored
	case "visit_days_ex_poor":
		return &s.VisitDaysExPoor
	case "visit_days_other":
		return &s.VisitDaysOther
	}
	return nil
}

// ResolveSettings picks, per key, the row in force for code by the rule
// every area setting follows (fupin.SettingApplies, fupin.SettingBeats:
// the longest area prefix of code), else the default. Aid rules have no
// year: their rows apply to every year.
func ResolveSettings(rows []SettingRow, code string) Settings {
	var s Settings
	best := map[string]int{}
	for _, d := range SettingDefs {
		*s.field(d.Key) = d.Default
		best[d.Key] = -1
	}
	for i, r := range rows {
		f := s.field(r.Key)
		if f == nil || !fupin.SettingApplies(r.Area, 0, code, 0) {
			continue
		}
		if b := best[r.Key]; b < 0 || fupin.SettingBeats(r.Area, 0, rows[b].Area, 0) {
			*f, best[r.Key] = r.Value, i
		}
	}
	return s
}

// interval is the visit interval in days for a household: 监测户 (risk
// not eliminated), 脱贫户, others.
func (s Settings) Interval(householdType, monitorType string, eliminated bool) int {
	switch {
	case monitorType != "" && !eliminated:
		return s.VisitDaysMonitored
	case householdType == "ex_poor":
		return s.VisitDaysExPoor
	}
	return s.VisitDaysOther
}

// SettingsView is what GET /aid/settings answers.
type SettingsView struct {
	Area        string             `json:"area"`
	Definitions []fupin.SettingDef `json:"definitions"`
	Rows        []SettingRow       `json:"rows" description:"已录入的值（按区划前缀）"`
	Effective   Settings           `json:"effective" description:"该区域生效值"`
}
