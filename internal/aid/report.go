package aid

import (
	"fupin/internal/fupin"
)

// CadreAttendance is one cadre's month in one work team.
type CadreAttendance struct {
	CadreID   int64  `json:"cadre_id"`
	CadreName string `json:"cadre_name"`
	UnitName  string `json:"unit_name"`
	Role      string `json:"role"`
	RoleLabel string `json:"role_label"`
	Present   int    `json:"present" description:"在村（在乡）天数：当月签到天数"`
	LeaveDays int    `json:"leave_days" description:"当月经批准的请假天数（仅供参考：请假天数不计入在村天数，也不减少要求天数）"`
	Required  int    `json:"required" description:"当月要求天数（月中到任或离任按在岗天数折算；请假不减少要求）"`
	Met       bool   `json:"met" description:"在村天数（签到天数）达到要求天数；经批准的请假也不计入"`
}

// TeamAttendance is a work team's month.
type TeamAttendance struct {
	Kind      string            `json:"kind" description:"township_team 驻乡工作队 / village_team 驻村工作队"`
	KindLabel string            `json:"kind_label"`
	AreaCode  string            `json:"area_code"`
	AreaName  string            `json:"area_name"`
	Cadres    []CadreAttendance `json:"cadres"`
	Short     int               `json:"short" description:"未达到天数要求的人数"`
}

// AttendanceReport is the monthly attendance of the work teams in an area.
// Approved leave is shown (LeaveDays) but does not count toward the
// RequiredDays days: the rule is days present in the village, and leave is
// excused by the office, not by the report.
type AttendanceReport struct {
	Month string           `json:"month" description:"YYYY-MM"`
	Area  string           `json:"area"`
	Teams []TeamAttendance `json:"teams"`
	Short int              `json:"short" description:"全部未达标人数"`
}

// RequiredDays prorates the monthly minimum by the days the posting was held
// in the month, up to today for the current month.
func RequiredDays(min int, p Posting, first, last, today fupin.Date) int {
	from, to := first, last
	if p.StartedOn.After(from) {
		from = p.StartedOn
	}
	if !p.EndedOn.IsZero() && p.EndedOn.Before(to) {
		to = p.EndedOn
	}
	if today.Before(to) {
		to = today
	}
	if to.Before(from) {
		return 0
	}
	held, month := DaysBetween(from, to)+1, DaysBetween(first, last)+1
	if held >= month {
		return min
	}
	return (min*held + month - 1) / month
}
