package monitor

import (
	"time"

	"fupin/internal/fupin"
)

// MeasureDueDays is how far ahead a running measure's end date puts it on
// the 待办 list as 即将到期.
const MeasureDueDays = 30

// Measure due buckets: a measure still planned or running whose end date is
// past (已到期) or within MeasureDueDays (即将到期).
const (
	MeasureOverdue = "overdue"
	MeasureSoon    = "soon"
)

// MeasureRunning reports whether a measure of this status is still to be
// carried out (计划 or 实施中).
func MeasureRunning(status string) bool { return status == "planned" || status == "active" }

// MeasureDue names the bucket of a measure on today: MeasureOverdue,
// MeasureSoon, or "" (ended, no end date, or ending later).
func MeasureDue(status string, endsOn, today fupin.Date) string {
	if !MeasureRunning(status) || endsOn.IsZero() {
		return ""
	}
	if endsOn.Before(today) {
		return MeasureOverdue
	}
	if !endsOn.After(MeasureSoonUntil(today)) {
		return MeasureSoon
	}
	return ""
}

// MeasureSoonUntil is the last end date that is 即将到期 on today.
func MeasureSoonUntil(today fupin.Date) fupin.Date {
	return fupin.DateOf(today.Time().Add(MeasureDueDays * 24 * time.Hour))
}
