package ledger

import "time"

// BucketBounds returns the last deadlines that still fall within 10 and
// within 20 working days of today, so that stores can select a bucket as a
// date range: overdue < today ≤ within_10 ≤ last10 < within_20 ≤ last20 <
// later. count nil means Weekdays.
func BucketBounds(today time.Time, count WorkingDays) (last10, last20 time.Time) {
	if count == nil {
		count = Weekdays
	}
	today = day(today)
	last10, last20 = today, today
	// A year of calendar days covers 20 working days on any real calendar.
	for d := today.AddDate(0, 0, 1); d.Before(today.AddDate(1, 0, 0)); d = d.AddDate(0, 0, 1) {
		n := count(today, d)
		if n <= 10 {
			last10 = d
		}
		if n > 20 {
			break
		}
		last20 = d
	}
	return last10, last20
}
