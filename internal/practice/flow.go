package practice

import "fupin/internal/fupin"

// Roles (auth.Role values) as the case library uses them: every office
// that edits registry data proposes; the county office (and the
// administrator) publishes and withdraws.
const (
	roleAdmin    = "admin"
	roleCounty   = "county"
	roleTownship = "township"
	roleVillage  = "village"
)

// Actions on a practice.
const (
	ActPublish  = "publish"  // 审核入库
	ActWithdraw = "withdraw" // 撤回
)

// CanPropose reports whether role may propose (and edit while proposed).
func CanPropose(role string) bool {
	return role == roleAdmin || role == roleCounty || role == roleTownship || role == roleVillage
}

// CanReview reports whether role may publish, withdraw and edit a
// published practice.
func CanReview(role string) bool { return role == roleAdmin || role == roleCounty }

// CanEdit reports whether role may edit a practice in status (text,
// figures, documents): proposers while it is proposed, reviewers until it
// is withdrawn.
func CanEdit(role, status string) error {
	switch {
	case status == StatusWithdrawn:
		return fupin.Errorf(fupin.EConflict, "案例已撤回，不能再修改")
	case status == StatusPublished && !CanReview(role):
		return fupin.Errorf(fupin.EForbidden, "已入库的案例只有县级用户可以修改")
	case !CanPropose(role):
		return fupin.Errorf(fupin.EForbidden, "只有县、乡镇、村级用户可以推荐和修改案例")
	}
	return nil
}

// Next is the state machine: publish takes a proposed practice into the
// library, withdraw takes a proposed or published one out; both are the
// county's. Errors: forbidden (role), conflict (status), invalid (action).
func Next(status, action, role string) (string, error) {
	if action != ActPublish && action != ActWithdraw {
		return "", &fupin.Error{Code: fupin.EInvalid, Message: "操作只能是 publish（审核入库）或 withdraw（撤回）",
			Fields: map[string]string{"action": "未知操作：" + action}}
	}
	if !CanReview(role) {
		return "", fupin.Errorf(fupin.EForbidden, "只有县级用户可以审核入库或撤回案例")
	}
	switch {
	case action == ActPublish && status == StatusProposed:
		return StatusPublished, nil
	case action == ActWithdraw && status != StatusWithdrawn:
		return StatusWithdrawn, nil
	}
	return "", fupin.Errorf(fupin.EConflict, "案例当前为「%s」，不能%s", Statuses.LabelOf(status), map[string]string{ActPublish: "审核入库", ActWithdraw: "撤回"}[action])
}

// Visible reports whether an actor sees a practice of area in status:
// a published one where the areas overlap (a village reads its county's
// cases, a county its villages'), a proposed or withdrawn one only inside
// the actor's areas (the proposing office and those above it).
func Visible(a fupin.Actor, area, status string) bool {
	if a.Covers(area) {
		return true
	}
	if status != StatusPublished {
		return false
	}
	for _, p := range a.Areas {
		if len(p) > len(area) && p[:len(area)] == area {
			return true
		}
	}
	return false
}
