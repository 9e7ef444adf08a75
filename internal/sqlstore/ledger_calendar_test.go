package sqlstore

import (
	"testing"
	"time"

	"fupin/internal/ledger"
	"fupin/internal/monitor"
)

// TestLedgerBucketsUseHolidayCalendar: a store's deadline buckets count
// the National Day holiday as days off and its make-up Saturday as a
// working day, where the weekday counter would not.
func TestLedgerBucketsUseHolidayCalendar(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	count := calendarWorkingDays(monitor.Builtin())
	for _, tt := range []struct {
		from, to      string
		want, weekday int
	}{
		{"2025-09-30", "2025-10-09", 1, 7}, // 1–8 October off
		{"2025-10-09", "2025-10-12", 2, 1}, // Saturday 11 October worked
		{"2025-10-13", "2025-10-17", 4, 4},
	} {
		if got := count(day(tt.from), day(tt.to)); got != tt.want {
			t.Errorf("%s → %s: %d working days, want %d", tt.from, tt.to, got, tt.want)
		}
		if got := ledger.Weekdays(day(tt.from), day(tt.to)); got != tt.weekday {
			t.Errorf("weekdays %s → %s: %d, want %d", tt.from, tt.to, got, tt.weekday)
		}
	}
	db := &DB{}
	if opened, err := Open(t.Context(), t.TempDir()+"/c.db"); err == nil {
		db = opened
		defer db.Close()
	} else {
		t.Fatal(err)
	}
	if got := db.WorkingDays(day("2025-09-30"), day("2025-10-09")); got != 1 {
		t.Errorf("an opened store counts %d working days over National Day, want 1", got)
	}
}
