package monitor

import (
	"fmt"

	"fupin/internal/fupin"
)

// Limits are the time limits of the procedure, configurable by area. Step
// limits are working days counted from the day the step began; NoticeDays
// are calendar days of 公示; 0 means no limit of its own (the total still
// applies). Defaults: 入户核查 3, 信息比对 5, 民主评议 5, 公示 5 calendar days,
// whole identification 20 working days, department alerts verified in 2;
// MinMonths is how long a case stays monitored before its risk may be
// eliminated (6 months: 原则上不得低于半年).
type Limits struct {
	HomeCheck  int `json:"home_check"`
	CrossCheck int `json:"cross_check"`
	Review     int `json:"review"`
	NoticeDays int `json:"notice_days"`
	Township   int `json:"township"`
	County     int `json:"county"`
	Total      int `json:"total"`
	AlertDays  int `json:"alert_days"`
	MinMonths  int `json:"min_months"`
}

// DefaultLimits are the limits when an area sets none.
func DefaultLimits() Limits {
	return Limits{HomeCheck: 3, CrossCheck: 5, Review: 5, NoticeDays: 5, Total: 20, AlertDays: 2, MinMonths: 6}
}

// LimitKeys are the setting keys of Limits, for settings by area.
var LimitKeys = []string{"home_check", "cross_check", "review", "notice_days", "township", "county", "total", "alert_days", "min_months"}

// Set assigns the limit named key. Errors: invalid for an unknown key or a
// value outside 0–60 (notice_days and alert_days at least 1, min_months
// 6–36).
func (l *Limits) Set(key string, v int) error {
	ptr := map[string]*int{"home_check": &l.HomeCheck, "cross_check": &l.CrossCheck, "review": &l.Review,
		"notice_days": &l.NoticeDays, "township": &l.Township, "county": &l.County, "total": &l.Total,
		"alert_days": &l.AlertDays, "min_months": &l.MinMonths}[key]
	if ptr == nil {
		return field(fupin.EInvalid, "key", "未知的期限设置："+key)
	}
	min, max := 0, 60
	switch key {
	case "notice_days", "alert_days":
		min = 1
	case "min_months":
		min, max = 6, 36
	}
	if v < min || v > max {
		return field(fupin.EInvalid, "value", fmt.Sprintf("期限应在 %d–%d 之间", min, max))
	}
	*ptr = v
	return nil
}

// stepLimit is the working-day limit of a step, 0 for none.
func (l Limits) stepLimit(stage string) int {
	switch stage {
	case StageHomeCheck, StageElimCheck:
		return l.HomeCheck
	case StageCrossCheck:
		return l.CrossCheck
	case StageReview:
		return l.Review
	case StageTownship, StageElimTownship:
		return l.Township
	case StageCounty, StageElimCounty:
		return l.County
	}
	return 0
}

// Due is when a step must be done.
type Due struct {
	// On is the last day of the step, zero when the step has no limit.
	On       fupin.Date `json:"due_on"`
	Overdue  bool       `json:"overdue"`
	Coverage Coverage   `json:"coverage"`
}

// StepDue is the deadline of a case's current step begun on started, as of
// today: the step's own limit, never later than the whole identification's
// limit counted from opened. 公示 ends NoticeDays calendar days after it
// began (the day it began is the first). A step is overdue when today is
// after its last day.
func StepDue(cal *Calendar, l Limits, stage string, opened, started, today fupin.Date) Due {
	var d Due
	if stage == StageNotice || stage == StageElimNotice {
		d.On = addDays(started, l.NoticeDays-1)
	} else if n := l.stepLimit(stage); n > 0 {
		d.On, d.Coverage = cal.AddWorkdays(started, n)
	}
	if in(identifySteps, stage) && l.Total > 0 {
		total, cv := cal.AddWorkdays(opened, l.Total)
		if d.On.IsZero() || total.Before(d.On) {
			d.On = total
			d.Coverage = cv
		}
	}
	d.Overdue = !d.On.IsZero() && today.After(d.On)
	return d
}

// AlertDue is the last day to verify a department alert received on
// received.
func AlertDue(cal *Calendar, l Limits, received fupin.Date) (fupin.Date, Coverage) {
	return cal.AddWorkdays(received, l.AlertDays)
}

// Steps are the stages someone works on, identification then elimination.
func Steps() []string { return append(append([]string{}, identifySteps...), eliminateSteps...) }

// OverdueBefore is StepDue as date bounds, so that a list can find the
// overdue cases of a stage in SQL: a case at stage is overdue today exactly
// when it began the step before started, or (identification steps) was
// opened before opened. A zero date is no such bound.
func OverdueBefore(cal *Calendar, l Limits, stage string, today fupin.Date) (started, opened fupin.Date) {
	if stage == StageNotice || stage == StageElimNotice {
		// due = started + NoticeDays − 1, overdue when today is after it.
		started = addDays(today, 1-l.NoticeDays)
	} else if n := l.stepLimit(stage); n > 0 {
		started = workdaysBack(cal, today, n)
	}
	if in(identifySteps, stage) && l.Total > 0 {
		opened = workdaysBack(cal, today, l.Total)
	}
	return started, opened
}

// workdaysBack is the n-th working day counting back from the day before
// today: AddWorkdays(s, n) is before today exactly when s is before it (n
// working days lie after s, up to yesterday).
func workdaysBack(cal *Calendar, today fupin.Date, n int) fupin.Date {
	d := today
	for n > 0 {
		d = addDays(d, -1)
		if cal.Workday(d) {
			n--
		}
	}
	return d
}

// SpanCoverage is the coverage of the deadlines of steps begun between
// first and last (inclusive): every year from first to the furthest due
// date a step begun on last can have (60 working days, the largest limit).
// A list that does not compute each case's due date warns with it.
func SpanCoverage(cal *Calendar, first, last fupin.Date) Coverage {
	var cv Coverage
	if first.IsZero() || last.IsZero() {
		return cv
	}
	end, _ := cal.AddWorkdays(last, 60)
	for y := first.Year(); y <= end.Year(); y++ {
		if !cal.Loaded(y) {
			cv.Unloaded = append(cv.Unloaded, y)
		}
	}
	return cv
}
