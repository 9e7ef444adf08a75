package ledger

import (
	"slices"
	"time"

	"fupin/internal/fupin"
)

// Actions on a finding.
const (
	ActStart  = "start"  // 启动整改
	ActReport = "report" // 报送进展（长期坚持的定期报告也是这一步）
	ActApply  = "apply"  // 责任单位申请销号（附整改成效和佐证）
	ActReview = "review" // 牵头单位审核通过
	ActClose  = "close"  // 乡镇指挥部办公室（县级问题为县巡视整改办）销号
	ActReject = "reject" // 审核或销号时退回（须说明原因）
)

// Roles of the accounts that act on findings (the names of auth.Role).
const (
	RoleAdmin    = "admin"
	RoleCounty   = "county"
	RoleTownship = "township"
	RoleVillage  = "village"
)

// Action is one step taken on a finding by an account.
type Action struct {
	Kind    string    // one of the Act* constants
	Account string    // the signed-in account (distinct accounts for the chain)
	Role    string    // the account's role
	Text    string    // report, evidence, opinion or rejection reason
	At      time.Time // when
}

// Step is what an applied action leaves in the finding's timeline.
type Step struct {
	Kind    string    `json:"kind" description:"start、report、apply、review、close、reject、recheck"`
	Account string    `json:"account"`
	Text    string    `json:"text"`
	From    string    `json:"from" description:"之前的状态"`
	To      string    `json:"to" description:"之后的状态"`
	At      time.Time `json:"at"`
}

var (
	rolesRespond = []string{RoleAdmin, RoleTownship, RoleVillage} // the responsible unit's operators
	rolesReview  = []string{RoleAdmin, RoleCounty, RoleTownship}  // the lead unit
)

// closeRoles are the roles that may close (销号) the finding: the township
// office, or the county inspection office for county-level findings.
func closeRoles(f *Finding) []string {
	if f.CountyLevel {
		return []string{RoleAdmin, RoleCounty}
	}
	return []string{RoleAdmin, RoleTownship}
}

// Act applies a to f: it checks the state machine (未启动 → 整改中 →
// 已完成待验收 → 已销号, 长期坚持 with periodic reports), the role of the
// account and that the applicant, reviewer and closer are distinct
// accounts. On success f is updated and the timeline step returned; on
// error (invalid, forbidden or conflict with a Chinese message) f is
// unchanged.
func Act(f *Finding, a Action) (Step, error) {
	g := *f
	step := Step{Kind: a.Kind, Account: a.Account, From: f.Status, At: a.At}
	errs := fupin.FieldErrors{}
	text(errs, "text", &a.Text, MaxText, a.Kind == ActReport || a.Kind == ActApply || a.Kind == ActReject)
	if err := errs.Err(); err != nil {
		return Step{}, err
	}
	if a.Account == "" {
		return Step{}, fupin.Errorf(fupin.EForbidden, "须以具体账号办理")
	}
	step.Text = a.Text
	if err := act(&g, a); err != nil {
		return Step{}, err
	}
	step.To = g.Status
	*f = g
	return step, nil
}

func act(f *Finding, a Action) error {
	t := a.At.UTC()
	switch a.Kind {
	case ActStart:
		if err := need(f, a, rolesRespond, StatusNotStarted); err != nil {
			return err
		}
		f.Status = StatusInProgress
		if f.Kind == KindLongTerm {
			f.Status = StatusLongTerm
		}
	case ActReport:
		if err := need(f, a, rolesRespond, StatusNotStarted, StatusInProgress, StatusLongTerm); err != nil {
			return err
		}
		if f.Status == StatusNotStarted {
			f.Status = StatusInProgress
			if f.Kind == KindLongTerm {
				f.Status = StatusLongTerm
			}
		}
	case ActApply:
		if err := need(f, a, rolesRespond, StatusInProgress, StatusLongTerm); err != nil {
			return err
		}
		f.Status, f.AppliedBy, f.AppliedAt, f.Evidence = StatusPending, a.Account, &t, a.Text
		f.ReviewedBy, f.ReviewedAt = "", nil
	case ActReview:
		if err := need(f, a, rolesReview, StatusPending); err != nil {
			return err
		}
		if f.ReviewedBy != "" {
			return fupin.Errorf(fupin.EConflict, "牵头单位已审核，等待销号")
		}
		if a.Account == f.AppliedBy {
			return distinct("申请销号")
		}
		f.ReviewedBy, f.ReviewedAt = a.Account, &t
	case ActClose:
		if err := need(f, a, closeRoles(f), StatusPending); err != nil {
			return err
		}
		if f.ReviewedBy == "" {
			return fupin.Errorf(fupin.EConflict, "须先经牵头单位审核，才能销号")
		}
		if a.Account == f.AppliedBy || a.Account == f.ReviewedBy {
			return distinct("申请或审核")
		}
		f.Status, f.ClosedBy, f.ClosedAt, f.Opinion = StatusClosed, a.Account, &t, a.Text
	case ActReject:
		roles := rolesReview
		if f.ReviewedBy != "" {
			roles = closeRoles(f)
		}
		if err := need(f, a, roles, StatusPending); err != nil {
			return err
		}
		if a.Account == f.AppliedBy {
			return distinct("申请销号")
		}
		f.Status = StatusInProgress
		if f.Kind == KindLongTerm {
			f.Status = StatusLongTerm
		}
		f.RejectReason, f.AppliedBy, f.AppliedAt, f.ReviewedBy, f.ReviewedAt = a.Text, "", nil, "", nil
	default:
		return &fupin.Error{Code: fupin.EInvalid, Message: "未知的操作：" + a.Kind, Fields: map[string]string{"kind": "应为 start、report、apply、review、close 或 reject"}}
	}
	return nil
}

// need checks the role and the current status of an action.
func need(f *Finding, a Action, roles []string, statuses ...string) error {
	if !slices.Contains(roles, a.Role) {
		return fupin.Errorf(fupin.EForbidden, "您的角色不能办理“%s”", actName(a.Kind))
	}
	if !slices.Contains(statuses, f.Status) {
		return fupin.Errorf(fupin.EConflict, "问题当前为“%s”，不能办理“%s”", Statuses.LabelOf(f.Status), actName(a.Kind))
	}
	return nil
}

func distinct(prev string) error {
	return fupin.Errorf(fupin.EForbidden, "销号的申请、审核、销号须由不同账号办理：您已办理过%s", prev)
}

func actName(kind string) string {
	switch kind {
	case ActStart:
		return "启动整改"
	case ActReport:
		return "报送进展"
	case ActApply:
		return "申请销号"
	case ActReview:
		return "审核"
	case ActClose:
		return "销号"
	case ActReject:
		return "退回"
	}
	return kind
}

// AwaitsMe reports whether the next step of f's 销号 chain is one the
// account (with role) may take: a pending finding not yet reviewed waits for
// the lead unit's review, a reviewed one for the closer; the applicant (and
// the reviewer) never wait for themselves. The 待办 panel counts these.
func AwaitsMe(f *Finding, role, account string) bool {
	if f.Status != StatusPending || account == "" || account == f.AppliedBy {
		return false
	}
	if f.ReviewedBy == "" {
		return slices.Contains(rolesReview, role)
	}
	return account != f.ReviewedBy && slices.Contains(closeRoles(f), role)
}
