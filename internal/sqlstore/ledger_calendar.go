package sqlstore

import (
	"time"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/monitor"
)

// calendarWorkingDays counts the ledger's deadline buckets on the
// monitoring calendar: the official holidays and 调休 make-up working days
// of the years it carries (State Council notices), weekends only in other
// years.
func calendarWorkingDays(cal *monitor.Calendar) ledger.WorkingDays {
	return func(from, to time.Time) int {
		n, _ := cal.WorkdaysBetween(fupin.DateOf(from), fupin.DateOf(to))
		return n
	}
}
