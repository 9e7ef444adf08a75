package monitor

import (
	"fmt"

	"fupin/internal/fupin"
)

// LimitDefs are the limits an area may set, in Limits' keys (LimitKeys),
// each with its default, its bounds and the practice it follows; they share
// the aid rules' shape (fupin.SettingDef), so the console shows both with
// one settings table.
// A stored value of 0 is no row: 乡镇审核 and 县审定 have no limit of their
// own unless an area sets one (the total still binds them).
var LimitDefs = []fupin.SettingDef{
	{Key: "home_check", Label: "入户核查时限", Unit: "个工作日", Default: 3, Min: 1, Max: 60, Source: "各地做法：入户核查不超过 3 个工作日"},
	{Key: "cross_check", Label: "信息比对时限", Unit: "个工作日", Default: 5, Min: 1, Max: 60, Source: "各地做法：信息比对不超过 5 个工作日"},
	{Key: "review", Label: "民主评议时限", Unit: "个工作日", Default: 5, Min: 1, Max: 60, Source: "各地做法"},
	{Key: "notice_days", Label: "村级公示天数", Unit: "天", Default: 5, Min: 1, Max: 60, Source: "公示期一般不少于 5 天（自然日）"},
	{Key: "township", Label: "乡镇审核时限", Unit: "个工作日", Default: 0, Min: 1, Max: 60, Source: "默认不单独限时，受识别总时限约束"},
	{Key: "county", Label: "县级审定时限", Unit: "个工作日", Default: 0, Min: 1, Max: 60, Source: "默认不单独限时，受识别总时限约束"},
	{Key: "total", Label: "识别认定总时限", Unit: "个工作日", Default: 20, Min: 1, Max: 60, Source: "各地做法：识别认定全过程不超过 20 个工作日"},
	{Key: "alert_days", Label: "部门预警核实时限", Unit: "个工作日", Default: 2, Min: 1, Max: 60, Source: "部门预警信息推送后 2 个工作日内核实"},
	{Key: "min_months", Label: "风险消除前最短监测时长", Unit: "个月", Default: 6, Min: 6, Max: 36, Source: "纳入监测原则上不得少于半年方可启动风险消除"},
}

// LimitRow is a stored limit: from this area prefix down, key = value.
type LimitRow struct {
	Area  string `json:"area" description:"区划代码前缀，空为全国"`
	Key   string `json:"key" required:"true"`
	Value int    `json:"value" description:"数值；0 表示删除该行，回到上级或默认值；-1 表示本区域不单独限时（仅乡镇审核、县级审定时限）"`
}

// NoLimit is the stored value by which an area clears a limit set above
// it: "不单独限时". Only the limits without one by default (乡镇审核, 县级审定;
// the identification total still binds them) may be cleared: every other
// step has a limit in practice, and an area beneath another that set one
// sets its own number instead (the default's, to go back to it).
const NoLimit = -1

// LimitsView is what GET /monitor/limits answers: the definitions, the
// stored rows the caller may see and the limits in force for Area.
type LimitsView struct {
	Area        string             `json:"area"`
	Definitions []fupin.SettingDef `json:"definitions"`
	Rows        []LimitRow         `json:"rows" description:"已录入的值（按区划前缀）"`
	Effective   Limits             `json:"effective" description:"该区域生效值"`
}

// CheckLimitRow validates a row to store. Errors: invalid naming key, value
// or area. Value 0 (delete) is always valid for a known key; NoLimit only
// for a limit whose default is none.
func CheckLimitRow(r LimitRow) error {
	errs := fupin.FieldErrors{}
	def := limitDef(r.Key)
	switch {
	case def == nil:
		errs.Add("key", "未知的期限设置："+r.Key)
	case r.Value == NoLimit && def.Default != 0:
		errs.Add("value", fmt.Sprintf("%s不能设为不限（该环节须有办理时限）；可设为 %d–%d %s，内置默认值为 %d %s",
			def.Label, def.Min, def.Max, def.Unit, def.Default, def.Unit))
	case r.Value != 0 && r.Value != NoLimit && def.RangeError(r.Value) != "":
		errs.Add("value", def.RangeError(r.Value))
	}
	if len(r.Area) > 12 || !digits(r.Area) {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	return errs.Err()
}

func limitDef(key string) *fupin.SettingDef { return fupin.SettingDefOf(LimitDefs, key) }

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ResolveLimits picks, per key, the row in force for the area code by the
// rule every area setting follows (fupin.SettingApplies, fupin.SettingBeats:
// the longest area prefix of code wins), else DefaultLimits. Limits have no
// year: their rows apply to every year. A NoLimit row clears the limit for
// its area (乡镇审核 and 县级审定 only). Unknown keys and values out of range
// are skipped, never applied.
func ResolveLimits(rows []LimitRow, code string) Limits {
	l := DefaultLimits()
	best := map[string]int{}
	for i, r := range rows {
		if !fupin.SettingApplies(r.Area, 0, code, 0) {
			continue
		}
		if b, ok := best[r.Key]; ok && !fupin.SettingBeats(r.Area, 0, rows[b].Area, 0) {
			continue
		}
		v := r.Value
		if v == NoLimit && limitDef(r.Key) != nil && limitDef(r.Key).Default == 0 {
			v = 0 // 不单独限时, beneath an area that set a limit
		}
		if l.Set(r.Key, v) == nil {
			best[r.Key] = i
		}
	}
	return l
}
