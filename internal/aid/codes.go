package aid

import (
	"fmt"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// Roles are the roles of a posting. The first four are the township
// command post (指挥部); the team roles make the township and village work
// teams; helper is 帮扶责任人.
var Roles = fupin.CodeList{Name: "aid_role", Label: "岗位", Items: []fupin.CodeItem{
	{Code: "commander", Label: "指挥长"}, {Code: "deputy_commander", Label: "副指挥长"},
	{Code: "office_director", Label: "指挥部办公室主任"}, {Code: "office_deputy", Label: "指挥部办公室副主任"},
	{Code: "township_leader", Label: "驻乡工作队队长"}, {Code: "township_member", Label: "驻乡工作队队员"},
	{Code: "first_secretary", Label: "第一书记"}, {Code: "village_member", Label: "驻村工作队员"},
	{Code: "helper", Label: "帮扶责任人"},
}}

// PoliticalStatuses is the code list of 政治面貌.
var PoliticalStatuses = fupin.CodeList{Name: "political_status", Label: "政治面貌", Items: []fupin.CodeItem{
	{Code: "cpc_member", Label: "中共党员"}, {Code: "cpc_probationary", Label: "中共预备党员"},
	{Code: "cyl_member", Label: "共青团员"}, {Code: "democratic_party", Label: "民主党派"}, {Code: "masses", Label: "群众"},
}}

// VisitKinds is the code list of visit kinds.
var VisitKinds = fupin.CodeList{Name: "visit_kind", Label: "走访方式", Items: []fupin.CodeItem{
	{Code: "home", Label: "入户"}, {Code: "phone", Label: "电话"},
}}

// LeaveStatuses is the code list of the states of a leave request.
var LeaveStatuses = fupin.CodeList{Name: "leave_status", Label: "请假状态", Items: []fupin.CodeItem{
	{Code: "requested", Label: "待审批"}, {Code: "approved", Label: "已批准"},
	{Code: "rejected", Label: "未批准"}, {Code: "returned", Label: "已销假"},
}}

// RotationStatuses is the code list of the states of a rotation.
var RotationStatuses = fupin.CodeList{Name: "rotation_status", Label: "轮换状态", Items: []fupin.CodeItem{
	{Code: "planned", Label: "交接中"}, {Code: "completed", Label: "已完成"}, {Code: "cancelled", Label: "已取消"},
}}

// HandoverKinds is the code list of handover list entries.
var HandoverKinds = fupin.CodeList{Name: "handover_kind", Label: "交接事项类别", Items: []fupin.CodeItem{
	{Code: "posting", Label: "岗位"}, {Code: "household", Label: "结对农户"}, {Code: "case", Label: "未办结事项"},
	{Code: "ledger", Label: "台账事项"}, {Code: "project", Label: "项目"}, {Code: "document", Label: "文件资料"},
	{Code: "other", Label: "其他"},
}}

// CodeLists returns the code lists of the aid API.
func CodeLists() []fupin.CodeList {
	return []fupin.CodeList{Roles, PoliticalStatuses, VisitKinds, LeaveStatuses, RotationStatuses, HandoverKinds}
}

// TeamKind names the body a role belongs to: the command post, the
// township work team or a village work team; "" for helpers.
func TeamKind(role string) string {
	switch role {
	case "commander", "deputy_commander", "office_director", "office_deputy":
		return "command"
	case "township_leader", "township_member":
		return "township_team"
	case "first_secretary", "village_member":
		return "village_team"
	}
	return ""
}

// Sees reports whether an actor may read organisational records of an
// area: the area lies within the actor's areas, or the actor's area lies
// within it (a village user sees its township's aid group).
func Sees(a fupin.Actor, code string) bool {
	if a.Covers(code) {
		return true
	}
	for _, p := range a.Areas {
		if strings.HasPrefix(p, code) {
			return true
		}
	}
	return false
}

// CheckAreaCode validates a township (9 digits) or village (12 digits)
// code of the 2023 division tree.
func CheckAreaCode(errs fupin.FieldErrors, path, code string, villageOnly bool) {
	r, err := region.Lookup(code)
	switch {
	case code == "":
		errs.Add(path, "请填写区划代码")
	case err != nil || r.Code != code:
		errs.Add(path, "不是有效的统计用区划代码："+code)
	case villageOnly && r.Level != region.LevelVillage:
		errs.Add(path, "应为村级区划代码："+code)
	case r.Level != region.LevelVillage && r.Level != region.LevelTownship:
		errs.Add(path, "应为乡镇或村级区划代码："+code)
	}
}

// AreaName is the short name of a division code, "" when unknown.
func AreaName(code string) string {
	if code == "" {
		return ""
	}
	r, err := region.Lookup(code)
	if err != nil {
		return ""
	}
	return r.Name
}

// TrimLen trims *s and adds an error at path when it is empty but required
// or longer than max characters (runes).
func TrimLen(errs fupin.FieldErrors, path string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "" && required:
		errs.Add(path, "不能为空")
	case len([]rune(*s)) > max:
		errs.Add(path, fmt.Sprintf("不能超过 %d 个字", max))
	}
}
