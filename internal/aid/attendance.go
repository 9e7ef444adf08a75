package aid

import (
	"time"

	"fupin/internal/fupin"
)

// CheckIn is one day a cadre was present in the area of a posting.
type CheckIn struct {
	ID        int64      `json:"id" readOnly:"true"`
	CadreID   int64      `json:"cadre_id" required:"true"`
	CadreName string     `json:"cadre_name" readOnly:"true"`
	AreaCode  string     `json:"area_code" required:"true" description:"签到地点：在岗岗位所在的村或乡镇"`
	Day       fupin.Date `json:"day" description:"签到日期，默认今天"`
	Note      string     `json:"note"`
	At        time.Time  `json:"at" readOnly:"true"`
	CreatedBy string     `json:"created_by" readOnly:"true"`
}

// PostedOn reports whether one of ps was held in area on day.
func PostedOn(ps []Posting, area string, day fupin.Date) bool {
	for _, p := range ps {
		if p.AreaCode == area && !day.Before(p.StartedOn) && (p.EndedOn.IsZero() || !day.After(p.EndedOn)) {
			return true
		}
	}
	return false
}

// Leave is a leave request (请假) and its return (销假).
type Leave struct {
	ID         int64      `json:"id" readOnly:"true"`
	CadreID    int64      `json:"cadre_id" required:"true"`
	CadreName  string     `json:"cadre_name" readOnly:"true"`
	AreaCode   string     `json:"area_code" required:"true" description:"岗位所在的村或乡镇"`
	FromOn     fupin.Date `json:"from_on" required:"true" description:"请假开始日期"`
	ToOn       fupin.Date `json:"to_on" required:"true" description:"请假结束日期（含）"`
	Reason     string     `json:"reason" required:"true"`
	Status     string     `json:"status" readOnly:"true" description:"requested 待审批 / approved 已批准 / rejected 未批准 / returned 已销假"`
	ReturnedOn fupin.Date `json:"returned_on" readOnly:"true" description:"销假（返岗）日期"`
	DecidedBy  string     `json:"decided_by" readOnly:"true" description:"审批人"`
	CreatedBy  string     `json:"created_by" readOnly:"true"`
	Version    int64      `json:"version" readOnly:"true"`
}

// LeaveAction is a decision on a leave request or its return.
type LeaveAction struct {
	Version    int64      `json:"version" required:"true"`
	Action     string     `json:"action" required:"true" description:"approve 批准 / reject 不批准 / return 销假"`
	ReturnedOn fupin.Date `json:"returned_on" description:"返岗日期（销假时填写，默认今天）"`
}

// LeaveDays counts the days of l within [first, last]: approved leave to its
// end, returned leave to the day before the return.
func LeaveDays(l Leave, first, last fupin.Date) int {
	if l.Status != "approved" && l.Status != "returned" {
		return 0
	}
	end := l.ToOn
	if l.Status == "returned" {
		if back := fupin.DateOf(l.ReturnedOn.Time().AddDate(0, 0, -1)); back.Before(end) {
			end = back
		}
	}
	from := l.FromOn
	if from.Before(first) {
		from = first
	}
	if end.After(last) {
		end = last
	}
	if end.Before(from) {
		return 0
	}
	return DaysBetween(from, end) + 1
}

// LeaveTransition is the state machine of a leave request (requested →
// approved / rejected by the township office; approved → returned on a day
// between the leave's start and today, today when a.ReturnedOn is zero).
// It returns the new status and the return day. Errors: forbidden (an
// approval outside the actor's township), invalid (unknown action, bad
// return day), conflict (the action does not apply to the status).
func LeaveTransition(l Leave, a *LeaveAction, actor fupin.Actor, today fupin.Date) (string, fupin.Date, error) {
	switch {
	case (a.Action == "approve" || a.Action == "reject") && l.Status == "requested":
		if len(l.AreaCode) < 9 || !actor.Covers(l.AreaCode[:9]) {
			return "", fupin.Date{}, fupin.Errorf(fupin.EForbidden, "请假由乡镇指挥部办公室审批")
		}
		return map[string]string{"approve": "approved", "reject": "rejected"}[a.Action], fupin.Date{}, nil
	case a.Action == "return" && l.Status == "approved":
		on := a.ReturnedOn
		if on.IsZero() {
			on = today
		}
		if on.Before(l.FromOn) || on.After(today) {
			return "", fupin.Date{}, &fupin.Error{Code: fupin.EInvalid, Message: "返岗日期应在请假开始日期和今天之间",
				Fields: map[string]string{"returned_on": "日期不正确"}}
		}
		return "returned", on, nil
	case a.Action != "approve" && a.Action != "reject" && a.Action != "return":
		return "", fupin.Date{}, &fupin.Error{Code: fupin.EInvalid, Message: "操作应为 approve、reject 或 return",
			Fields: map[string]string{"action": "未知操作"}}
	}
	return "", fupin.Date{}, fupin.Errorf(fupin.EConflict, "该请假当前为「%s」，不能%s", LeaveStatuses.LabelOf(l.Status),
		map[string]string{"approve": "批准", "reject": "不批准", "return": "销假"}[a.Action])
}
