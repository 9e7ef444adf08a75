package project

import (
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// Roles (auth.Role values) that may write projects: county and township
// offices and administrators. Village, aid-unit and inspector users read.
const (
	roleAdmin    = "admin"
	roleCounty   = "county"
	roleTownship = "township"
)

// Action kinds.
const (
	ActApprove = "approve" // plan → approved (项目批复)
	ActStart   = "start"   // approved → building (开工)
	ActAccept  = "accept"  // building → accepted (竣工验收, with an opinion)
)

// transitions: for each action, the status it needs, the status it makes
// and the roles that may take it. Approving and accepting are the county's
// (县级项目主管部门) acts; the township reports the start of works.
var transitions = map[string]struct {
	from, to string
	roles    []string
}{
	ActApprove: {StatusPlan, StatusApproved, []string{roleAdmin, roleCounty}},
	ActStart:   {StatusApproved, StatusBuilding, []string{roleAdmin, roleCounty, roleTownship}},
	ActAccept:  {StatusBuilding, StatusAccepted, []string{roleAdmin, roleCounty}},
}

// CanEdit reports whether role may create and edit projects and record
// disbursements (within its areas).
func CanEdit(role string) bool {
	return role == roleAdmin || role == roleCounty || role == roleTownship
}

// Action is a state change asked of a project.
type Action struct {
	Kind    string    // ActApprove, ActStart or ActAccept
	Account string    // who acts (recorded)
	Role    string    // the actor's role (auth.Role value)
	Opinion string    // 验收意见, required for ActAccept
	At      time.Time // when (UTC)
}

// Act applies a to p. Errors: invalid (unknown action, missing or long
// opinion), forbidden (the role may not take the action), conflict (the
// project is not in the status the action needs).
func Act(p *Project, a Action) error {
	t, ok := transitions[a.Kind]
	if !ok {
		errs := fupin.FieldErrors{}
		errs.Add("kind", "未知操作："+a.Kind)
		return errs.Err()
	}
	if !contains(t.roles, a.Role) {
		return fupin.Errorf(fupin.EForbidden, "您的角色无权%s项目", actionLabel(a.Kind))
	}
	if p.Status != t.from {
		return fupin.Errorf(fupin.EConflict, "项目状态为「%s」，不能%s（须为「%s」）",
			Statuses.LabelOf(p.Status), actionLabel(a.Kind), Statuses.LabelOf(t.from))
	}
	errs := fupin.FieldErrors{}
	text(errs, "opinion", &a.Opinion, MaxText, a.Kind == ActAccept)
	if err := errs.Err(); err != nil {
		return err
	}
	at := a.At.UTC()
	switch a.Kind {
	case ActApprove:
		p.ApprovedBy, p.ApprovedAt = a.Account, &at
	case ActStart:
		p.StartedBy, p.StartedAt = a.Account, &at
	case ActAccept:
		p.AcceptedBy, p.AcceptedAt, p.AcceptOpinion = a.Account, &at, a.Opinion
	}
	p.Status = t.to
	return nil
}

func actionLabel(kind string) string {
	return map[string]string{ActApprove: "批复", ActStart: "开工", ActAccept: "验收"}[kind]
}

// CheckEdit reports whether p (in its stored status) may still be edited:
// an accepted project is closed. Errors: conflict.
func CheckEdit(status string) error {
	if status == StatusAccepted {
		return fupin.Errorf(fupin.EConflict, "项目已验收，不能修改")
	}
	return nil
}

// CheckBudget reports a budget line that would fall below what was already
// paid from its source (spent: source → fen). Errors: invalid naming the line.
func CheckBudget(p *Project, spent map[string]fupin.Money) error {
	errs := fupin.FieldErrors{}
	for src, paid := range spent {
		if paid == 0 {
			continue
		}
		if b := p.BudgetOf(src); b < paid {
			errs.Add(budgetPath(p, src), fmt.Sprintf("%s已拨付 %s 元，预算不能少于已拨付金额", Sources.LabelOf(src), paid))
		}
	}
	return errs.Err()
}

func budgetPath(p *Project, src string) string {
	for i, b := range p.Budget {
		if b.Source == src {
			return fmt.Sprintf("budget[%d].amount", i)
		}
	}
	return "budget"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
