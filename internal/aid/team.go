package aid

import (
	"strings"

	"fupin/internal/fupin"
)

// WorkTeam is a body of cadres in one area, derived from the active
// postings: the township command post (指挥部), the township work team
// (驻乡工作队) or a village work team (驻村工作队, led by the 第一书记).
type WorkTeam struct {
	Kind      string    `json:"kind" description:"command 指挥部 / township_team 驻乡工作队 / village_team 驻村工作队"`
	KindLabel string    `json:"kind_label"`
	AreaCode  string    `json:"area_code"`
	AreaName  string    `json:"area_name"`
	Leader    *Posting  `json:"leader" description:"指挥长、驻乡工作队队长或第一书记；空表示缺位"`
	Members   []Posting `json:"members" description:"全部在岗人员（含负责人）"`
	Units     []string  `json:"units" description:"对口帮扶该村的成员单位"`
}

// TeamLabels names the bodies TeamKind returns.
var TeamLabels = map[string]string{"command": "脱贫攻坚指挥部", "township_team": "驻乡工作队", "village_team": "驻村工作队"}

// TeamLeaders is the role that leads each body.
var TeamLeaders = map[string]string{"command": "commander", "township_team": "township_leader", "village_team": "first_secretary"}

// TermAlert is an active posting whose term ends soon (ending: within the
// alert window) or has passed (overdue).
type TermAlert struct {
	Posting
	Kind     string `json:"kind" description:"ending 即将期满 / overdue 已超期"`
	DaysLeft int    `json:"days_left" description:"距计划期满天数，负数为已超期天数"`
}

// DaysBetween is the number of days from a to b (negative when b is
// earlier).
func DaysBetween(a, b fupin.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// MonthRange parses "YYYY-MM" into its first and last day.
func MonthRange(month string) (fupin.Date, fupin.Date, error) {
	first, err := fupin.ParseDate(strings.TrimSpace(month) + "-01")
	if err != nil || len(strings.TrimSpace(month)) != 7 {
		return fupin.Date{}, fupin.Date{}, &fupin.Error{Code: fupin.EInvalid, Message: "月份格式应为 YYYY-MM",
			Fields: map[string]string{"month": "月份格式应为 YYYY-MM"}}
	}
	return first, fupin.DateOf(first.Time().AddDate(0, 1, -1)), nil
}

// TermAlertOf is the alert for an active posting whose planned end is at
// most alertDays after today: "ending" (DaysLeft ≥ 0) or "overdue" (past
// its planned end); false when the end is further away.
func TermAlertOf(p Posting, today fupin.Date, alertDays int) (TermAlert, bool) {
	left := DaysBetween(today, p.PlannedEndOn)
	if left > alertDays {
		return TermAlert{}, false
	}
	kind := "ending"
	if left < 0 {
		kind = "overdue"
	}
	return TermAlert{Posting: p, Kind: kind, DaysLeft: left}, true
}
