package monitor

import (
	"strings"
	"testing"
	"time"

	"fupin/internal/fupin"
)

func d(y int, m time.Month, dd int) fupin.Date { return fupin.NewDate(y, m, dd) }

func TestAddWorkdays(t *testing.T) {
	cal := Builtin()
	tests := []struct {
		name     string
		start    fupin.Date
		n        int
		want     fupin.Date
		unloaded []int
	}{
		{"plain week", d(2025, 3, 3), 3, d(2025, 3, 6), nil},
		{"over a weekend", d(2025, 3, 6), 3, d(2025, 3, 11), nil},
		{"zero days", d(2025, 3, 6), 0, d(2025, 3, 6), nil},
		// 2025 春节: 1/26 (Sunday) is worked, 1/28–2/4 off, 2/8 (Saturday) worked.
		{"2025 spring festival, make-up Sunday counts", d(2025, 1, 24), 1, d(2025, 1, 26), nil},
		{"2025 spring festival, across the holiday", d(2025, 1, 24), 3, d(2025, 2, 5), nil},
		{"2025 spring festival, make-up Saturday after", d(2025, 2, 5), 3, d(2025, 2, 8), nil},
		// 2026 春节: 2/14 (Saturday) worked, 2/15–2/23 off, 2/28 (Saturday) worked.
		{"2026 spring festival", d(2026, 2, 12), 5, d(2026, 2, 26), nil},
		{"2026 spring festival, make-up 2/28", d(2026, 2, 26), 2, d(2026, 2, 28), nil},
		// 2024 春节: 2/4 and 2/18 (Sundays) worked, 2/10–2/17 off; 20 working days.
		{"2024 spring festival, 20 working days", d(2024, 2, 2), 20, d(2024, 3, 6), nil},
		// 2025 国庆节、中秋节: 9/28 (Sunday) worked, 10/1–10/8 off, 10/11 (Saturday) worked.
		{"2025 national day, make-up before", d(2025, 9, 26), 3, d(2025, 9, 30), nil},
		{"2025 national day, across", d(2025, 9, 26), 5, d(2025, 10, 10), nil},
		{"2025 national day, make-up after", d(2025, 9, 26), 6, d(2025, 10, 11), nil},
		// 2026 国庆节: 9/20 (Sunday) worked, 10/1–10/7 off, 10/10 (Saturday) worked.
		{"2026 national day, make-up before", d(2026, 9, 18), 2, d(2026, 9, 21), nil},
		{"2026 national day, after", d(2026, 9, 30), 1, d(2026, 10, 8), nil},
		{"2026 national day, make-up after", d(2026, 9, 30), 3, d(2026, 10, 10), nil},
		// 2026 元旦: 1/1–1/3 off, 1/4 (Sunday) worked.
		{"new year 2026", d(2025, 12, 31), 1, d(2026, 1, 4), nil},
		// 2027 is not loaded: weekends only, and the answer says so.
		{"into an unloaded year", d(2026, 12, 30), 3, d(2027, 1, 4), []int{2027}},
		{"unloaded year 2023", d(2023, 1, 20), 1, d(2023, 1, 23), []int{2023}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cv := cal.AddWorkdays(tt.start, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.start, tt.n, got, tt.want)
			}
			if len(cv.Unloaded) != len(tt.unloaded) || (len(tt.unloaded) > 0 && cv.Unloaded[0] != tt.unloaded[0]) {
				t.Errorf("unloaded = %v, want %v", cv.Unloaded, tt.unloaded)
			}
			if cv.Exact() != (len(tt.unloaded) == 0) || (!cv.Exact() && !strings.Contains(cv.Note(), "仅按周末计算")) {
				t.Errorf("coverage note = %q", cv.Note())
			}
		})
	}
}

func TestWorkdaysBetween(t *testing.T) {
	cal := Builtin()
	tests := []struct {
		from, to fupin.Date
		want     int
	}{
		{d(2025, 1, 24), d(2025, 2, 5), 3},
		{d(2025, 9, 30), d(2025, 10, 11), 3}, // 10/9, 10/10 and the make-up Saturday 10/11
		{d(2026, 2, 13), d(2026, 2, 13), 0},
		{d(2026, 2, 14), d(2026, 2, 13), 0},
	}
	for _, tt := range tests {
		if got, _ := cal.WorkdaysBetween(tt.from, tt.to); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestWorkday(t *testing.T) {
	cal := Builtin()
	tests := []struct {
		day  fupin.Date
		want bool
	}{
		{d(2024, 2, 9), true},   // 除夕 2024 is not an official holiday
		{d(2024, 2, 10), false}, // 春节
		{d(2024, 2, 18), true},  // make-up Sunday
		{d(2025, 1, 28), false}, // 除夕 2025 is a holiday since the 2024 revision
		{d(2025, 5, 5), false},
		{d(2025, 4, 27), true},
		{d(2026, 5, 9), true},
		{d(2026, 6, 19), false},
		{d(2026, 6, 20), false}, // an ordinary Saturday
		{d(2026, 6, 22), true},
	}
	for _, tt := range tests {
		if got := cal.Workday(tt.day); got != tt.want {
			t.Errorf("Workday(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}

func TestYearValidate(t *testing.T) {
	good := BuiltinYears()[0]
	tests := []struct {
		name  string
		edit  func(y *Year)
		field string
	}{
		{"no notice", func(y *Year) { y.Notice = "" }, "notice"},
		{"year out of range", func(y *Year) { y.Year = 1999 }, "year"},
		{"from in another year", func(y *Year) { y.Holidays[0].From = d(2023, 12, 31) }, "holidays[0].from"},
		{"to before from", func(y *Year) { y.Holidays[1].To = d(2024, 2, 9) }, "holidays[1].to"},
		{"too long", func(y *Year) { y.Holidays[1].To = d(2024, 3, 20) }, "holidays[1].to"},
		{"make-up on a weekday", func(y *Year) { y.Holidays[1].MakeUp[0] = d(2024, 2, 5) }, "holidays[1].make_up[0]"},
		{"make-up inside a holiday", func(y *Year) { y.Holidays[6].MakeUp[0] = d(2024, 10, 5) }, "holidays[6].make_up[0]"},
		{"no name", func(y *Year) { y.Holidays[2].Name = "" }, "holidays[2].name"},
		{"too many", func(y *Year) { y.Holidays = make([]Holiday, MaxHolidays+1) }, "holidays"},
	}
	if err := good.Validate(); err != nil {
		t.Fatalf("builtin 2024 invalid: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := BuiltinYears()[0]
			tt.edit(&y)
			err := y.Validate()
			e, ok := err.(*fupin.Error)
			if !ok || e.Code != fupin.EInvalid || e.Fields[tt.field] == "" {
				t.Fatalf("Validate() = %#v, want invalid on %s", err, tt.field)
			}
		})
	}
}

func TestCalendarLoadReplacesYear(t *testing.T) {
	y := Year{Year: 2027, Notice: "测试用通知", Holidays: []Holiday{hol("元旦", d(2027, 1, 1), d(2027, 1, 1))}}
	cal, err := NewCalendar(append(BuiltinYears(), y)...)
	if err != nil {
		t.Fatal(err)
	}
	got, cv := cal.AddWorkdays(d(2026, 12, 30), 3)
	if !cv.Exact() || !got.Equal(d(2027, 1, 5)) {
		t.Errorf("with 2027 loaded: %s %v, want 2027-01-05 exact", got, cv)
	}
	if n := len(cal.Years()); n != 4 || !cal.Loaded(2027) {
		t.Errorf("years = %d", n)
	}
}
