package aid

import (
	"fupin/internal/fupin"
)

// SettingDef is a configurable number of the aid rules with its default
// and the practice it follows (Source).
type SettingDef struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Unit    string `json:"unit"`
	Default int    `json:"default"`
	Min     int    `json:"min"`
	Max     int    `json:"max"`
	Source  string `json:"source"`
}

// SettingDefs lists the aid settings.
var SettingDefs = []SettingDef{
	{"term_months", "驻村（驻乡）任期", "月", 24, 6, 60, "第一书记任期一般 1–3 年，各地多为 2 年"},
	{"term_alert_days", "任期届满提醒", "天", 60, 1, 365, "任期届满前提前安排轮换"},
	{"attendance_min_days", "每月在村天数要求", "天", 20, 1, 31, "驻村干部每月在村不少于 20 天（各地规定）"},
	{"visit_days_monitored", "监测户走访周期", "天", 30, 1, 366, "重点户（监测户）每月走访一遍"},
	{"visit_days_ex_poor", "脱贫户走访周期", "天", 90, 1, 366, "一般户每季度走访一遍"},
	{"visit_days_other", "其他结对户走访周期", "天", 90, 1, 366, "一般户每季度走访一遍"},
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
	Area        string       `json:"area"`
	Definitions []SettingDef `json:"definitions"`
	Rows        []SettingRow `json:"rows" description:"已录入的值（按区划前缀）"`
	Effective   Settings     `json:"effective" description:"该区域生效值"`
}
