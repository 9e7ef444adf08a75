package ledger

import "time"

// WorkingDays counts the working days d with from < d <= to (0 when to is
// not after from). The monitoring calendar (holidays and 调休) plugs in
// here; Weekdays is the default.
type WorkingDays func(from, to time.Time) int

// Weekdays counts Monday to Friday as working days, with no holidays.
func Weekdays(from, to time.Time) int {
	from, to = day(from), day(to)
	if !to.After(from) {
		return 0
	}
	days := int(to.Sub(from).Hours()/24 + 0.5)
	n := days / 7 * 5
	wd := from.Weekday()
	for i := 0; i < days%7; i++ {
		wd = (wd + 1) % 7
		if wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Bucket places an open item due on deadline as seen on today: overdue when
// the deadline has passed, else by the working days left until it (a
// deadline of today has 0 left and is within 10). Closed items and items
// without a deadline get "". count nil means Weekdays.
func Bucket(status string, deadline, today time.Time, count WorkingDays) string {
	if status == StatusClosed || deadline.IsZero() {
		return ""
	}
	if count == nil {
		count = Weekdays
	}
	if day(deadline).Before(day(today)) {
		return BucketOverdue
	}
	switch left := count(today, deadline); {
	case left <= 10:
		return BucketWithin10
	case left <= 20:
		return BucketWithin20
	default:
		return BucketLater
	}
}
