package monitor

import (
	"testing"

	"fupin/internal/fupin"
)

func TestResolveLimits(t *testing.T) {
	rows := []LimitRow{
		{Area: "", Key: "home_check", Value: 4},
		{Area: "500236", Key: "home_check", Value: 2},
		{Area: "500236266", Key: "total", Value: 15},
		{Area: "500236266", Key: "home_check", Value: 1},
		{Area: "500236266200", Key: "notice_days", Value: 7},
		{Area: "500236", Key: "bogus", Value: 9},
		{Area: "500236", Key: "county", Value: 99},       // out of range: skipped
		{Area: "500236266", Key: "min_months", Value: 5}, // under half a year: skipped
		{Area: "500236266200", Key: "min_months", Value: 12},
	}
	for _, c := range []struct {
		code string
		want Limits
	}{
		{"110101", Limits{HomeCheck: 4, CrossCheck: 5, Review: 5, NoticeDays: 5, Total: 20, AlertDays: 2, MinMonths: 6}},
		{"500236001001", Limits{HomeCheck: 2, CrossCheck: 5, Review: 5, NoticeDays: 5, Total: 20, AlertDays: 2, MinMonths: 6}},
		{"500236266201", Limits{HomeCheck: 1, CrossCheck: 5, Review: 5, NoticeDays: 5, Total: 15, AlertDays: 2, MinMonths: 6}},
		{"500236266200", Limits{HomeCheck: 1, CrossCheck: 5, Review: 5, NoticeDays: 7, Total: 15, AlertDays: 2, MinMonths: 12}},
	} {
		if got := ResolveLimits(rows, c.code); got != c.want {
			t.Errorf("ResolveLimits(%s) = %+v, want %+v", c.code, got, c.want)
		}
	}
	// Row order does not matter: the longest prefix wins.
	rev := []LimitRow{rows[3], rows[1], rows[0]}
	if got := ResolveLimits(rev, "500236266200").HomeCheck; got != 1 {
		t.Errorf("reversed rows: home_check %d, want 1", got)
	}
}

func TestCheckLimitRow(t *testing.T) {
	for _, c := range []struct {
		row   LimitRow
		field string
	}{
		{LimitRow{Area: "500236266", Key: "home_check", Value: 2}, ""},
		{LimitRow{Area: "500236266", Key: "home_check", Value: 0}, ""},
		{LimitRow{Area: "", Key: "total", Value: 60}, ""},
		{LimitRow{Area: "500236266", Key: "total", Value: 61}, "value"},
		{LimitRow{Area: "500236266", Key: "notice_days", Value: NoLimit}, "value"},
		{LimitRow{Area: "500236266", Key: "home_check", Value: NoLimit}, "value"},
		{LimitRow{Area: "500236266", Key: "total", Value: NoLimit}, "value"},
		{LimitRow{Area: "500236266", Key: "township", Value: NoLimit}, ""},
		{LimitRow{Area: "500236266200", Key: "county", Value: NoLimit}, ""},
		{LimitRow{Area: "500236266", Key: "township", Value: -2}, "value"},
		{LimitRow{Area: "500236266", Key: "min_months", Value: 5}, "value"},
		{LimitRow{Area: "500236266", Key: "min_months", Value: 12}, ""},
		{LimitRow{Area: "500236266", Key: "min_months", Value: NoLimit}, "value"},
		{LimitRow{Area: "500236266", Key: "term_months", Value: 2}, "key"},
		{LimitRow{Area: "50023x", Key: "home_check", Value: 2}, "area"},
		{LimitRow{Area: "5002362662001", Key: "home_check", Value: 2}, "area"},
	} {
		err := CheckLimitRow(c.row)
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.row, err)
			}
			continue
		}
		e, ok := err.(*fupin.Error)
		if !ok || e.Code != fupin.EInvalid || e.Fields[c.field] == "" {
			t.Errorf("%+v: %v, want invalid naming %s", c.row, err, c.field)
		}
	}
	// A value out of range names the limit, its bounds and its unit.
	err := CheckLimitRow(LimitRow{Area: "500236266", Key: "min_months", Value: 37})
	if e, ok := err.(*fupin.Error); !ok || e.Fields["value"] != "风险消除前最短监测时长应在 6–36 个月之间" {
		t.Errorf("min_months 37: %v", err)
	}
}

// TestLimitDefsMatchKeys keeps the definitions and Limits.Set in step: every
// definition's default is what DefaultLimits holds, its bounds are accepted.
func TestLimitDefsMatchKeys(t *testing.T) {
	if len(LimitDefs) != len(LimitKeys) {
		t.Fatalf("%d definitions, %d keys", len(LimitDefs), len(LimitKeys))
	}
	def := DefaultLimits()
	for i, d := range LimitDefs {
		if d.Key != LimitKeys[i] {
			t.Errorf("definition %d is %s, key %s", i, d.Key, LimitKeys[i])
		}
		l := DefaultLimits()
		if err := l.Set(d.Key, d.Max); err != nil {
			t.Errorf("%s max %d refused: %v", d.Key, d.Max, err)
		}
		if err := l.Set(d.Key, d.Default); err != nil && d.Default != 0 {
			t.Errorf("%s default refused: %v", d.Key, err)
		}
		if l != def {
			t.Errorf("%s: default %d is not DefaultLimits' value", d.Key, d.Default)
		}
	}
}

// A child area clears a parent's 乡镇审核/县级审定 limit with NoLimit (the
// total still binds), sets the default number of another limit to go back
// to it, and a NoLimit row of a key that must have a limit (not storable,
// but read from an older or hand-edited table) is never applied.
func TestResolveLimitsChildClears(t *testing.T) {
	rows := []LimitRow{
		{Area: "500236", Key: "township", Value: 5},
		{Area: "500236", Key: "county", Value: 4},
		{Area: "500236", Key: "home_check", Value: 6},
		{Area: "500236266", Key: "township", Value: NoLimit},
		{Area: "500236266", Key: "home_check", Value: 3},
		{Area: "500236266200", Key: "county", Value: NoLimit},
		{Area: "500236266200", Key: "review", Value: NoLimit},
	}
	for _, c := range []struct {
		code string
		want Limits
	}{
		{"500236001001", Limits{HomeCheck: 6, CrossCheck: 5, Review: 5, NoticeDays: 5, Township: 5, County: 4, Total: 20, AlertDays: 2, MinMonths: 6}},
		{"500236266201", Limits{HomeCheck: 3, CrossCheck: 5, Review: 5, NoticeDays: 5, Township: 0, County: 4, Total: 20, AlertDays: 2, MinMonths: 6}},
		{"500236266200", Limits{HomeCheck: 3, CrossCheck: 5, Review: 5, NoticeDays: 5, Township: 0, County: 0, Total: 20, AlertDays: 2, MinMonths: 6}},
	} {
		if got := ResolveLimits(rows, c.code); got != c.want {
			t.Errorf("ResolveLimits(%s) = %+v, want %+v", c.code, got, c.want)
		}
	}
	// The cleared step is bounded by the total only.
	l := ResolveLimits(rows, "500236266201")
	if started, opened := OverdueBefore(Builtin(), l, StageTownship, d(2026, 3, 30)); !started.IsZero() || opened.IsZero() {
		t.Errorf("a cleared 乡镇审核 limit: bounds (%s, %s), want the total's only", started, opened)
	}
}
