package monitor

import (
	"testing"
	"time"

	"fupin/internal/fupin"
)

func TestMeasureDue(t *testing.T) {
	today := fupin.NewDate(2026, time.March, 1)
	day := func(n int) fupin.Date { return fupin.DateOf(today.Time().AddDate(0, 0, n)) }
	cases := []struct {
		status string
		ends   fupin.Date
		want   string
	}{
		{"active", day(-1), MeasureOverdue},
		{"planned", day(-400), MeasureOverdue},
		{"active", day(0), MeasureSoon},
		{"planned", day(MeasureDueDays), MeasureSoon},
		{"active", day(MeasureDueDays + 1), ""},
		{"active", fupin.Date{}, ""},
		{"done", day(-1), ""},
		{"stopped", day(3), ""},
	}
	for _, c := range cases {
		if got := MeasureDue(c.status, c.ends, today); got != c.want {
			t.Errorf("MeasureDue(%s, %s) = %q, want %q", c.status, c.ends, got, c.want)
		}
	}
	if got := MeasureSoonUntil(today).String(); got != "2026-03-31" {
		t.Errorf("MeasureSoonUntil = %s", got)
	}
}
