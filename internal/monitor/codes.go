package monitor

import (
	"fupin/internal/fupin"
)

// MaxRisks is how many risk types a case or household may carry
// (致贫/返贫风险1–5 of the 2023 national form).
const MaxRisks = 5

// Risks are the risk types of a case: the registry's list (fupin.Risks),
// so that an identified case writes them onto the household unchanged.
var Risks = fupin.Risks

// Discovery paths (发现渠道). The first three are the paths of 中农组发〔2021〕7号;
// engine is the policy engine's 应纳未纳 list.
var Paths = fupin.CodeList{Name: "monitor_path", Label: "发现渠道", Items: []fupin.CodeItem{
	{Code: "self_report", Label: "农户自主申报"}, {Code: "cadre", Label: "基层干部排查"},
	{Code: "department", Label: "部门筛查预警"}, {Code: "engine", Label: "系统比对（应纳未纳）"},
}}

// Departments are the sources of department lists (部门筛查预警).
var Departments = fupin.CodeList{Name: "monitor_department", Label: "预警部门", Items: []fupin.CodeItem{
	{Code: "medical", Label: "医保"}, {Code: "disability", Label: "残联"}, {Code: "education", Label: "教育"},
	{Code: "civil", Label: "民政"}, {Code: "housing", Label: "住建"}, {Code: "emergency", Label: "应急"},
}}

// Measures are the categories of 一户一策 assistance measures, as coded in the
// 2023 national screening form (tables 100A39–100A55).
var Measures = fupin.CodeList{Name: "monitor_measure", Label: "帮扶措施类别", Items: []fupin.CodeItem{
	{Code: "industry", Label: "产业帮扶"}, {Code: "employment", Label: "就业帮扶"},
	{Code: "finance", Label: "金融帮扶（小额信贷）"}, {Code: "public_job", Label: "公益岗位帮扶"},
	{Code: "health", Label: "健康帮扶"}, {Code: "compulsory_edu", Label: "义务教育保障"},
	{Code: "other_edu", Label: "其他教育帮扶（雨露计划）"}, {Code: "social_security", Label: "综合保障（低保/特困/临时救助）"},
	{Code: "housing", Label: "住房安全保障"}, {Code: "water", Label: "饮水安全保障"},
	{Code: "social", Label: "社会帮扶"}, {Code: "relocation", Label: "搬迁"},
	{Code: "conditions", Label: "生产生活条件改善"}, {Code: "infrastructure", Label: "基础设施建设"},
	{Code: "other", Label: "其他"},
}}

// ProtectionMeasures are the social-protection (兜底) categories: a household
// without labour capacity held only by these stays monitored.
var ProtectionMeasures = []string{"social_security"}

// ContinuingMeasures continue after elimination until their own end date
// (小额信贷, 公益岗位, 教育帮扶 until the school stage ends).
var ContinuingMeasures = []string{"finance", "public_job", "compulsory_edu", "other_edu"}

// MeasureStatuses are the states of one measure.
var MeasureStatuses = fupin.CodeList{Name: "monitor_measure_status", Label: "措施状态", Items: []fupin.CodeItem{
	{Code: "planned", Label: "计划"}, {Code: "active", Label: "实施中"}, {Code: "done", Label: "已完成"},
	{Code: "stopped", Label: "已终止"},
}}

// AlertOutcomes are how a department alert is closed.
var AlertOutcomes = fupin.CodeList{Name: "monitor_alert_outcome", Label: "预警核实结果", Items: []fupin.CodeItem{
	{Code: "include", Label: "纳入"}, {Code: "exclude", Label: "不纳入"},
}}

// HasCode reports whether items hold code.
func HasCode(items []fupin.CodeItem, code string) bool {
	for _, it := range items {
		if it.Code == code {
			return true
		}
	}
	return false
}

func in(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
