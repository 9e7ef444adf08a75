package monitor

import (
	"strings"
	"testing"

	"fupin/internal/fupin"
)

func eligibleInput() EligibilityInput {
	return EligibilityInput{
		IdentifiedOn: d(2026, 1, 15), Today: d(2026, 7, 15), MinMonths: 6, Line: 600000,
		Incomes:          []IncomePoint{{Period: "2025 年", PerCapita: 720000}, {Period: "2026 年第 2 季度", PerCapita: 650000}},
		SpendingResolved: true,
		Items:            []ItemStatus{{"义务教育", "pass"}, {"基本医疗", "pass"}, {"住房安全", "pass"}, {"饮水安全", "pass"}},
		Measures:         []string{"employment"},
	}
}

func TestCheckElimination(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(in *EligibilityInput)
		eligible bool
		failing  string
		override bool
	}{
		{"all met", nil, true, "", false},
		{"six months exactly", func(in *EligibilityInput) { in.Today = d(2026, 7, 15) }, true, "", false},
		{"one day short of six months", func(in *EligibilityInput) { in.Today = d(2026, 7, 14) }, false, "监测时长", false},
		{"default is six months", func(in *EligibilityInput) { in.MinMonths = 0; in.Today = d(2026, 7, 14) }, false, "监测时长", false},
		{"configured twelve months", func(in *EligibilityInput) { in.MinMonths = 12 }, false, "监测时长", false},
		{"month end: 31 Aug + 6 = 28 Feb", func(in *EligibilityInput) {
			in.IdentifiedOn, in.Today = d(2025, 8, 31), d(2026, 2, 28)
		}, true, "", false},
		{"month end: one day short", func(in *EligibilityInput) {
			in.IdentifiedOn, in.Today = d(2025, 8, 31), d(2026, 2, 27)
		}, false, "监测时长", false},
		{"no identification date", func(in *EligibilityInput) { in.IdentifiedOn = fupin.Date{} }, false, "监测时长", false},
		{"income exactly at the line", func(in *EligibilityInput) { in.Incomes[1].PerCapita = 600000 }, true, "", false},
		{"newer quarter one fen below", func(in *EligibilityInput) { in.Incomes[1].PerCapita = 599999 }, false, "人均纯收入", false},
		{"year below, quarter above", func(in *EligibilityInput) { in.Incomes[0].PerCapita = 500000 }, false, "人均纯收入", false},
		{"no income records", func(in *EligibilityInput) { in.Incomes = nil }, false, "人均纯收入", false},
		{"rigid spending open", func(in *EligibilityInput) { in.SpendingResolved = false }, false, "刚性支出", false},
		{"housing fails", func(in *EligibilityInput) { in.Items[2].Status = "fail" }, false, "住房安全", false},
		{"water unknown", func(in *EligibilityInput) { in.Items[3].Status = "unknown" }, false, "饮水安全", false},
		{"no verdict", func(in *EligibilityInput) { in.Items = nil }, false, "三保障和饮水安全", false},
		{"no labour, only social protection", func(in *EligibilityInput) {
			in.NoLabour, in.Measures = true, []string{"social_security"}
		}, true, "", true},
		{"no labour with a development measure", func(in *EligibilityInput) {
			in.NoLabour, in.Measures = true, []string{"social_security", "public_job"}
		}, true, "", false},
		{"labour, only social protection", func(in *EligibilityInput) { in.Measures = []string{"social_security"} }, true, "", false},
		{"two failures listed", func(in *EligibilityInput) { in.SpendingResolved = false; in.Incomes = nil }, false, "人均纯收入、刚性支出", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := eligibleInput()
			if tt.edit != nil {
				tt.edit(&in)
			}
			e := CheckElimination(in)
			if e.Eligible != tt.eligible || e.Failing() != tt.failing || e.NeedsOverride != tt.override {
				t.Errorf("got eligible=%v failing=%q override=%v, want %v %q %v; checks %+v",
					e.Eligible, e.Failing(), e.NeedsOverride, tt.eligible, tt.failing, tt.override, e.Checks)
			}
			if tt.override && e.Warning == "" {
				t.Error("override without a warning")
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct{ from, want fupin.Date }{
		{d(2025, 8, 31), d(2026, 2, 28)},
		{d(2023, 8, 31), d(2024, 2, 29)},
		{d(2026, 1, 15), d(2026, 7, 15)},
		{d(2025, 12, 31), d(2026, 6, 30)},
	}
	for _, tt := range tests {
		if got := AddMonths(tt.from, 6); !got.Equal(tt.want) {
			t.Errorf("AddMonths(%s, 6) = %s, want %s", tt.from, got, tt.want)
		}
	}
}

func TestStepDue(t *testing.T) {
	cal, l := Builtin(), DefaultLimits()
	tests := []struct {
		name                   string
		stage                  string
		opened, started, today fupin.Date
		want                   fupin.Date
		overdue                bool
	}{
		{"home check across 2026 spring festival", StageHomeCheck, d(2026, 2, 12), d(2026, 2, 12), d(2026, 2, 24), d(2026, 2, 24), false},
		{"home check overdue the day after", StageHomeCheck, d(2026, 2, 12), d(2026, 2, 12), d(2026, 2, 25), d(2026, 2, 24), true},
		{"cross check across national day 2025", StageCrossCheck, d(2025, 9, 22), d(2025, 9, 26), d(2025, 10, 9), d(2025, 10, 10), false},
		{"notice counts calendar days", StageNotice, d(2026, 2, 2), d(2026, 2, 14), d(2026, 2, 18), d(2026, 2, 18), false},
		{"notice overdue", StageNotice, d(2026, 2, 2), d(2026, 2, 14), d(2026, 2, 19), d(2026, 2, 18), true},
		// township has no limit of its own: the 20-day total applies.
		{"township bounded by the total", StageTownship, d(2026, 3, 2), d(2026, 3, 20), d(2026, 3, 30), d(2026, 3, 30), false},
		{"total earlier than the step", StageCrossCheck, d(2026, 3, 2), d(2026, 3, 26), d(2026, 3, 31), d(2026, 3, 30), true},
		{"elimination steps have no total", StageElimTownship, d(2026, 1, 5), d(2026, 3, 2), d(2026, 12, 1), fupin.Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StepDue(cal, l, tt.stage, tt.opened, tt.started, tt.today)
			if !got.On.Equal(tt.want) || got.Overdue != tt.overdue {
				t.Errorf("StepDue = %s overdue=%v, want %s %v", got.On, got.Overdue, tt.want, tt.overdue)
			}
		})
	}
}

func TestLimitsSet(t *testing.T) {
	l := DefaultLimits()
	if err := l.Set("review", 7); err != nil || l.Review != 7 {
		t.Fatalf("Set review: %v %d", err, l.Review)
	}
	for _, c := range []struct {
		key string
		v   int
	}{{"review", -1}, {"review", 61}, {"notice_days", 0}, {"alert_days", 0}, {"nope", 3}} {
		if err := l.Set(c.key, c.v); fupin.ErrorCode(err) != fupin.EInvalid {
			t.Errorf("Set(%s, %d) = %v, want invalid", c.key, c.v, err)
		}
	}
	if due, _ := AlertDue(Builtin(), DefaultLimits(), d(2025, 1, 24)); !due.Equal(d(2025, 1, 27)) {
		t.Errorf("AlertDue = %s, want 2025-01-27 (1/26 is a make-up Sunday)", due)
	}
}

// OverdueBefore agrees with StepDue for every step, every start and opening
// date within 90 days before today, for days around the 2026 Spring
// Festival and National Day 2025 (holidays and make-up working days), under
// the default limits and under limits where the township and county steps
// have their own.
func TestOverdueBeforeAgreesWithStepDue(t *testing.T) {
	cal := Builtin()
	own := DefaultLimits()
	own.Township, own.County, own.NoticeDays, own.Total = 4, 2, 7, 15
	for _, l := range []Limits{DefaultLimits(), own} {
		for _, today := range []fupin.Date{d(2026, 2, 24), d(2026, 2, 25), d(2026, 3, 2), d(2025, 10, 9), d(2025, 10, 11)} {
			for _, stage := range Steps() {
				started, opened := OverdueBefore(cal, l, stage, today)
				for back := 0; back < 90; back++ {
					s := AddDays(today, -back)
					for _, o := range []fupin.Date{s, AddDays(s, -3), AddDays(s, -17)} {
						want := StepDue(cal, l, stage, o, s, today).Overdue
						got := (!started.IsZero() && s.Before(started)) || (!opened.IsZero() && o.Before(opened))
						if got != want {
							t.Fatalf("%+v %s today %s started %s opened %s: bounds (%s, %s) say overdue=%v, StepDue %v",
								l, stage, today, s, o, started, opened, got, want)
						}
					}
				}
			}
		}
	}
}

// SpanCoverage names the unloaded years the deadlines of steps begun in a
// span can reach: up to 60 working days after the last start.
func TestSpanCoverage(t *testing.T) {
	cal := Builtin()
	for _, c := range []struct {
		first, last fupin.Date
		want        string
	}{
		{d(2025, 3, 1), d(2026, 6, 1), ""},
		{d(2026, 3, 1), d(2026, 10, 20), "2027"},
		{d(2022, 5, 1), d(2024, 2, 1), "2022、2023"},
		{fupin.Date{}, fupin.Date{}, ""},
	} {
		got := SpanCoverage(cal, c.first, c.last).Note()
		if c.want == "" && got != "" || c.want != "" && !strings.HasPrefix(got, c.want+" 年") {
			t.Errorf("SpanCoverage(%s, %s) = %q, want years %q", c.first, c.last, got, c.want)
		}
	}
}
