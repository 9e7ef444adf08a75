package monitor

import (
	"fmt"
	"strings"

	"fupin/internal/fupin"
)

// Stages of a case. Identification (识别认定) runs home_check → cross_check →
// review → notice → township → county and ends in monitored; risk
// elimination (风险消除) runs elim_check → elim_notice → elim_township →
// elim_county and ends in eliminated; rejected ends an identification.
const (
	StageHomeCheck    = "home_check"
	StageCrossCheck   = "cross_check"
	StageReview       = "review"
	StageNotice       = "notice"
	StageTownship     = "township"
	StageCounty       = "county"
	StageMonitored    = "monitored"
	StageElimCheck    = "elim_check"
	StageElimNotice   = "elim_notice"
	StageElimTownship = "elim_township"
	StageElimCounty   = "elim_county"
	StageEliminated   = "eliminated"
	StageRejected     = "rejected"
)

// Stages lists every stage with its Chinese label, in procedure order.
var Stages = fupin.CodeList{Name: "monitor_stage", Label: "监测环节", Items: []fupin.CodeItem{
	{Code: StageHomeCheck, Label: "入户核查"}, {Code: StageCrossCheck, Label: "信息比对"},
	{Code: StageReview, Label: "民主评议"}, {Code: StageNotice, Label: "村级公示"},
	{Code: StageTownship, Label: "乡镇审核"}, {Code: StageCounty, Label: "县审定"},
	{Code: StageMonitored, Label: "已纳入监测"},
	{Code: StageElimCheck, Label: "风险消除·入户核实"}, {Code: StageElimNotice, Label: "风险消除·民主评议公示"},
	{Code: StageElimTownship, Label: "风险消除·乡镇审核"}, {Code: StageElimCounty, Label: "风险消除·县审定公告"},
	{Code: StageEliminated, Label: "风险已消除"}, {Code: StageRejected, Label: "不予认定"},
}}

var identifySteps = []string{StageHomeCheck, StageCrossCheck, StageReview, StageNotice, StageTownship, StageCounty}
var eliminateSteps = []string{StageElimCheck, StageElimNotice, StageElimTownship, StageElimCounty}

// Actions on a case.
const (
	ActComplete  = "complete"  // close the current step, move to the next
	ActReturn    = "return"    // send back one step, with a reason
	ActReject    = "reject"    // refuse identification / elimination, with a reason
	ActEliminate = "eliminate" // start the elimination procedure of a monitored case
	ActRollback  = "rollback"  // 风险消除回退: reverse an elimination, with a reason
)

// Actions lists the actions with their Chinese labels.
var Actions = fupin.CodeList{Name: "monitor_action", Label: "办理操作", Items: []fupin.CodeItem{
	{Code: ActComplete, Label: "办结本环节"}, {Code: ActReturn, Label: "退回上一环节"},
	{Code: ActReject, Label: "不予通过"}, {Code: ActEliminate, Label: "启动风险消除"},
	{Code: ActRollback, Label: "风险消除回退"},
}}

// IsStep reports whether stage is a step someone works on (not an end).
func IsStep(stage string) bool { return in(identifySteps, stage) || in(eliminateSteps, stage) }

// Open reports whether a case still needs work or monitoring: not rejected
// and not eliminated.
func Open(stage string) bool { return stage != StageRejected && stage != StageEliminated }

// roleSteps is who works each step: the village works the village steps,
// the township office also works them and reviews, the county approves and
// rolls back. Admins may do everything; readers (aid_unit, inspector) nothing.
var roleSteps = map[string][]string{
	"village":  {StageHomeCheck, StageCrossCheck, StageReview, StageNotice, StageElimCheck, StageElimNotice, StageMonitored},
	"township": {StageHomeCheck, StageCrossCheck, StageReview, StageNotice, StageElimCheck, StageElimNotice, StageMonitored, StageTownship, StageElimTownship},
	"county":   {StageCounty, StageElimCounty, StageEliminated, StageMonitored},
}

// Acts reports whether a role works on cases at all (readers do not).
func Acts(role string) bool { return role == "admin" || len(roleSteps[role]) > 0 }

// MayAct reports whether a role may act on a case at stage.
func MayAct(role, stage string) bool {
	if role == "admin" {
		return true
	}
	return in(roleSteps[role], stage)
}

// Facts are what the transition checks need to know about the case beyond
// its stage; the store fills them in the same transaction.
type Facts struct {
	OpenObjections int        // objections of the current 公示 not yet resolved
	NoticeEnds     fupin.Date // last day of the 公示 period
	Today          fupin.Date
	HasPlan        bool // the case has at least one assistance measure
	// Participants and Result of 民主评议, needed to close the review step.
	Participants string
	Result       string
	// Eligibility of the household for elimination, needed to start it;
	// Override is the county's reason for eliminating despite warnings.
	Eligibility *Eligibility
	Override    string
}

// Transition is the outcome of an action: the stage the case moves to and
// a Chinese summary of what happened for its timeline.
type Transition struct {
	From, To string
	Summary  string
}

// Next applies act by role to a case at stage. Errors: forbidden (the role
// may not act at this stage), conflict (the action does not apply to the
// stage, or the step cannot close yet: open objections, 公示 not over, no
// plan, not eligible), invalid (reason, participants or result missing).
func Next(stage, act, role, reason string, f Facts) (Transition, error) {
	reason = strings.TrimSpace(reason)
	t := Transition{From: stage}
	if !MayAct(role, stage) {
		return t, fupin.Errorf(fupin.EForbidden, "您的角色不能办理“%s”环节", Stages.LabelOf(stage))
	}
	if len([]rune(reason)) > 500 {
		return t, field(fupin.EInvalid, "reason", "原因不能超过 500 字")
	}
	switch act {
	case ActComplete:
		return complete(t, f)
	case ActReturn:
		return back(t, reason)
	case ActReject:
		return reject(t, reason)
	case ActEliminate:
		return eliminate(t, role, f)
	case ActRollback:
		if stage != StageEliminated {
			return t, notApplicable(act, stage)
		}
		if reason == "" {
			return t, field(fupin.EInvalid, "reason", "风险消除回退必须填写原因")
		}
		t.To, t.Summary = StageMonitored, "风险消除回退："+reason
		return t, nil
	}
	return t, field(fupin.EInvalid, "action", "未知的操作："+act)
}

func complete(t Transition, f Facts) (Transition, error) {
	steps := identifySteps
	if in(eliminateSteps, t.From) {
		steps = eliminateSteps
	}
	i := index(steps, t.From)
	if i < 0 {
		return t, notApplicable(ActComplete, t.From)
	}
	switch t.From {
	case StageReview:
		if strings.TrimSpace(f.Participants) == "" || strings.TrimSpace(f.Result) == "" {
			errs := fupin.FieldErrors{}
			if strings.TrimSpace(f.Participants) == "" {
				errs.Add("participants", "请填写参加民主评议的人员")
			}
			if strings.TrimSpace(f.Result) == "" {
				errs.Add("result", "请填写民主评议结果")
			}
			return t, errs.Err()
		}
	case StageNotice, StageElimNotice:
		if f.OpenObjections > 0 {
			return t, fupin.Errorf(fupin.EConflict, "公示期间有 %d 条异议尚未处理，处理完毕后才能结束公示", f.OpenObjections)
		}
		if !f.NoticeEnds.IsZero() && !f.Today.After(f.NoticeEnds) {
			return t, fupin.Errorf(fupin.EConflict, "公示期至 %s，期满后才能结束公示", f.NoticeEnds)
		}
	case StageCounty:
		if !f.HasPlan {
			return t, fupin.Errorf(fupin.EConflict, "尚未制定帮扶计划（一户一策），不能县审定")
		}
	}
	if i == len(steps)-1 {
		t.To = StageMonitored
		if t.From == StageElimCounty {
			t.To = StageEliminated
		}
	} else {
		t.To = steps[i+1]
	}
	t.Summary = Stages.LabelOf(t.From) + "办结"
	return t, nil
}

func back(t Transition, reason string) (Transition, error) {
	for _, steps := range [][]string{identifySteps, eliminateSteps} {
		i := index(steps, t.From)
		if i < 0 {
			continue
		}
		if reason == "" {
			return t, field(fupin.EInvalid, "reason", "退回必须填写原因")
		}
		if i == 0 {
			if t.From == StageElimCheck { // withdrawing a started elimination
				t.To, t.Summary = StageMonitored, "撤回风险消除："+reason
				return t, nil
			}
			return t, fupin.Errorf(fupin.EConflict, "入户核查是第一个环节，不能再退回")
		}
		t.To = steps[i-1]
		t.Summary = fmt.Sprintf("退回至%s：%s", Stages.LabelOf(t.To), reason)
		return t, nil
	}
	return t, notApplicable(ActReturn, t.From)
}

func reject(t Transition, reason string) (Transition, error) {
	if !IsStep(t.From) {
		return t, notApplicable(ActReject, t.From)
	}
	if reason == "" {
		return t, field(fupin.EInvalid, "reason", "不予通过必须填写原因")
	}
	if in(eliminateSteps, t.From) {
		t.To, t.Summary = StageMonitored, "风险消除不予通过，继续监测："+reason
		return t, nil
	}
	t.To, t.Summary = StageRejected, "不予认定："+reason
	return t, nil
}

func eliminate(t Transition, role string, f Facts) (Transition, error) {
	if t.From != StageMonitored {
		return t, notApplicable(ActEliminate, t.From)
	}
	if f.Eligibility == nil {
		return t, fupin.Errorf(fupin.EConflict, "缺少风险消除条件核查结果")
	}
	if !f.Eligibility.Eligible {
		return t, fupin.Errorf(fupin.EConflict, "不符合风险消除条件：%s", f.Eligibility.Failing())
	}
	if f.Eligibility.NeedsOverride {
		if role != "county" && role != "admin" {
			return t, field(fupin.EForbidden, "override", "该户无劳动能力且仅靠兜底保障措施，只能由县级说明理由后启动风险消除")
		}
		if strings.TrimSpace(f.Override) == "" {
			return t, field(fupin.EInvalid, "override", "请填写县级同意启动风险消除的理由")
		}
	}
	t.To, t.Summary = StageElimCheck, "启动风险消除"
	if o := strings.TrimSpace(f.Override); o != "" {
		t.Summary += "（县级说明：" + o + "）"
	}
	return t, nil
}

func notApplicable(act, stage string) error {
	return fupin.Errorf(fupin.EConflict, "“%s”环节不能%s", Stages.LabelOf(stage), Actions.LabelOf(act))
}

func field(code, path, msg string) error {
	return &fupin.Error{Code: code, Message: msg, Fields: map[string]string{path: msg}}
}

func index(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// Allowed lists the actions role may take on a case at stage, in the order
// the console shows them: the same answer Next would give before looking
// at the case's facts (objections, 公示 period, plan, eligibility), so a
// button it allows may still be refused with a reason.
func Allowed(role, stage string) []string {
	out := []string{}
	if !MayAct(role, stage) {
		return out
	}
	switch {
	case stage == StageMonitored:
		out = append(out, ActEliminate)
	case stage == StageEliminated:
		out = append(out, ActRollback)
	case stage == StageHomeCheck:
		out = append(out, ActComplete, ActReject)
	case IsStep(stage):
		out = append(out, ActComplete, ActReturn, ActReject)
	}
	return out
}
