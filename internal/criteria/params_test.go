package criteria

import (
	"strings"
	"testing"

	"fupin/internal/fupin"
)

func TestDefsDefaultsAreValid(t *testing.T) {
	for _, d := range Defs() {
		if err := ValidateParam(d.Key, d.Default); err != nil {
			t.Errorf("default of %s: %v", d.Key, err)
		}
		if d.Label == "" || d.Source == "" || d.Kind == "" {
			t.Errorf("%s: label, source and kind are required: %+v", d.Key, d)
		}
	}
	p := Defaults()
	for _, u := range p.All() {
		if !u.Default || u.Area != "" || u.Year != 0 {
			t.Errorf("Defaults() %s = %+v, want a built-in default", u.Key, u)
		}
	}
	if got, want := len(p.All()), len(Defs()); got != want {
		t.Errorf("len(All()) = %d, want %d", got, want)
	}
}

func TestResolvePrecedence(t *testing.T) {
	rows := []ParamRow{
		row("", 2021, KeyMonitoringLine, "6100"),
		row("50", 2021, KeyMonitoringLine, "6200"),
		row("500236", 2021, KeyMonitoringLine, "6300"),
		row("500236266", 2021, KeyMonitoringLine, "6400"),
		row("500236266", 2026, KeyMonitoringLine, "9999"), // later year: never used for 2024
		row("44", 2021, KeyMonitoringLine, "7000"),        // another province
		row("5002", 2023, KeyWaterMinLPD, "40"),
		row("5002", 2025, KeyWaterMinLPD, "45"),
		row("50", 2022, KeyWaterMinLPD, "38"),
	}
	tests := []struct {
		name        string
		rows        []ParamRow
		area        string
		year        int
		key         string
		want        string
		wantArea    string
		wantYear    int
		wantDefault bool
	}{
		{"no rows: default", nil, "500236266200", 2024, KeyMonitoringLine, "6000", "", 0, true},
		{"national row beats default", rows[:1], "500236266200", 2024, KeyMonitoringLine, "6100", "", 2021, false},
		{"province beats national", rows[:2], "500236266200", 2024, KeyMonitoringLine, "6200", "50", 2021, false},
		{"county beats province", rows[:3], "500236266200", 2024, KeyMonitoringLine, "6300", "500236", 2021, false},
		{"township beats county", rows, "500236266200", 2024, KeyMonitoringLine, "6400", "500236266", 2021, false},
		{"other township of the county", rows, "500236101001", 2024, KeyMonitoringLine, "6300", "500236", 2021, false},
		{"other province", rows, "440300000000", 2024, KeyMonitoringLine, "7000", "44", 2021, false},
		{"later-year row not used", rows, "500236266200", 2025, KeyMonitoringLine, "6400", "500236266", 2021, false},
		{"later-year row used from its year", rows, "500236266200", 2026, KeyMonitoringLine, "9999", "500236266", 2026, false},
		{"before any row: default", rows, "500236266200", 2020, KeyMonitoringLine, "6000", "", 0, true},
		{"latest earlier year", rows, "500236266200", 2024, KeyWaterMinLPD, "40", "5002", 2023, false},
		{"row of the year", rows, "500236266200", 2025, KeyWaterMinLPD, "45", "5002", 2025, false},
		{"specific area without a row yet falls back", rows, "500236266200", 2022, KeyWaterMinLPD, "38", "50", 2022, false},
		{"unset key keeps default", rows, "500236266200", 2024, KeyEduAgeMax, "15", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Resolve(tt.rows, tt.area, tt.year)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := p.Get(tt.key)
			if got.Value != tt.want || got.Area != tt.wantArea || got.Year != tt.wantYear || got.Default != tt.wantDefault {
				t.Errorf("Get(%s) = %+v, want value %s from %q/%d (default %v)", tt.key, got,
					tt.want, tt.wantArea, tt.wantYear, tt.wantDefault)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name    string
		rows    []ParamRow
		area    string
		wantErr string
	}{
		{"bad value", []ParamRow{row("50", 2021, KeyWaterMinLPD, "abc")}, "500236266200", "应为数字"},
		{"bad area", []ParamRow{row("5", 2021, KeyWaterMinLPD, "30")}, "500236266200", "区划代码前缀"},
		{"bad year", []ParamRow{row("50", 1990, KeyWaterMinLPD, "30")}, "500236266200", "年度"},
		{"conflicting duplicate", []ParamRow{row("50", 2021, KeyWaterMinLPD, "30"),
			row("50", 2021, KeyWaterMinLPD, "31")}, "500236266200", "两个不同的值"},
		{"invalid area argument", nil, "50x", "区划代码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.rows, tt.area, 2024)
			switch {
			case err == nil:
				t.Fatalf("Resolve: no error, want %q", tt.wantErr)
			case !strings.Contains(err.Error(), tt.wantErr) || fupin.ErrorCode(err) != fupin.EInvalid:
				t.Errorf("Resolve: %v (%s), want invalid containing %q", err, fupin.ErrorCode(err), tt.wantErr)
			}
		})
	}
	// Rows that do not apply are not checked, and unknown keys are ignored.
	rows := []ParamRow{row("44", 2021, KeyWaterMinLPD, "abc"), row("50", 2030, KeyWaterMinLPD, "abc"),
		row("50", 2021, "retired_key", "x"), row("50", 2021, KeyEduAgeMin, "12"), row("50", 2021, KeyEduAgeMax, "11")}
	if _, err := Resolve(rows[:3], "500236266200", 2024); err != nil {
		t.Errorf("Resolve with non-applicable rows: %v", err)
	}
	if _, err := Resolve(rows, "500236266200", 2024); err == nil || !strings.Contains(err.Error(), "高于上限") {
		t.Errorf("Resolve with min 12 > max 11: %v, want an error", err)
	}
}

func TestVersion(t *testing.T) {
	base := []ParamRow{row("50", 2021, KeyMonitoringLine, "6000"), row("500236", 2023, KeyWaterMinLPD, "35")}
	v := func(rows []ParamRow, area string, year int) string {
		t.Helper()
		p, err := Resolve(rows, area, year)
		if err != nil {
			t.Fatal(err)
		}
		return p.Version()
	}
	a := v(base, "500236266200", 2024)
	if got := v(base, "500236266200", 2024); got != a {
		t.Errorf("version not stable: %s then %s", a, got)
	}
	if got := v(base, "500236101001", 2025); got != a {
		t.Errorf("same rows used elsewhere: version %s, want %s", got, a)
	}
	reordered := []ParamRow{base[1], base[0], row("44", 2021, KeyMonitoringLine, "9000")}
	if got := v(reordered, "500236266200", 2024); got != a {
		t.Errorf("row order or unused rows changed the version: %s, want %s", got, a)
	}
	changed := []ParamRow{base[0], row("500236", 2023, KeyWaterMinLPD, "36")}
	if got := v(changed, "500236266200", 2024); got == a {
		t.Errorf("value changed but version stayed %s", got)
	}
	moved := []ParamRow{base[0], row("5002", 2023, KeyWaterMinLPD, "35")}
	if got := v(moved, "500236266200", 2024); got == a {
		t.Errorf("origin changed but version stayed %s", got)
	}
	if got := v(nil, "500236266200", 2024); got == a || got != Defaults().Version() {
		t.Errorf("defaults version = %s, want %s and not %s", got, Defaults().Version(), a)
	}
	if len(a) != 12 {
		t.Errorf("version %q, want 12 hex digits", a)
	}
}

func TestValidateParam(t *testing.T) {
	tests := []struct {
		key, value string
		wantErr    string
	}{
		{KeyWaterMinLPD, "35", ""},
		{KeyWaterMinLPD, "34.9", ""},
		{KeyWaterMinLPD, "34.95", "最多 1 位小数"},
		{KeyWaterMinLPD, "0", "应 ≥ 1"},
		{KeyWaterMinLPD, "501", "≤ 500"},
		{KeyWaterMinLPD, "", "不能为空"},
		{KeyWaterMinLPD, " 35", "应为数字"},
		{KeyWaterMinLPD, "3.5e1", "应为数字"},
		{KeyWaterMinLPD, "NaN", "应为数字"},
		{KeyWaterMinLPD, "35.", "应为数字"},
		{KeyWaterMinLPD, "+35", "应为数字"},
		{KeyEduAgeMin, "6", ""},
		{KeyEduAgeMin, "6.5", "应为整数"},
		{KeyEduAgeMin, "6.0", ""},
		{KeyWaterMaxDaysWithout, "0", ""},
		{KeyWaterMaxDaysWithout, "-1", "应 ≥ 0"},
		{KeyYidabiaoBasis, "income", ""},
		{KeyYidabiaoBasis, "water", ""},
		{KeyYidabiaoBasis, "Water", "只能取"},
		{KeyMonitoringLine, "6000.50", ""},
		{KeyMonitoringLine, "6000.505", "最多 2 位小数"},
		{KeyHighSpendingRatio, "0", "应 > 0"},
		{KeyIncomeDropRatio, "1", ""},
		{KeyIncomeDropRatio, "1.01", "≤ 1"},
		{KeyDisabilityMaxGrade, "2", ""},
		{KeyDisabilityMaxGrade, "5", "≤ 4"},
		{"no_such_key", "1", "未知的政策参数"},
	}
	for _, tt := range tests {
		err := ValidateParam(tt.key, tt.value)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ValidateParam(%s, %q) = %v, want nil", tt.key, tt.value, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ValidateParam(%s, %q) = %v, want error containing %q", tt.key, tt.value, err, tt.wantErr)
		case err != nil && fupin.ErrorCode(err) != fupin.EInvalid:
			t.Errorf("ValidateParam(%s, %q): code %s, want invalid", tt.key, tt.value, fupin.ErrorCode(err))
		}
	}
}

func TestNormalizeParam(t *testing.T) {
	tests := []struct{ key, value, want string }{
		{KeyWaterMinLPD, " 35.0 ", "35"},
		{KeyMonitoringLine, "6000.50", "6000.5"},
		{KeyEduAgeMin, "06", "6"},
		{KeyYidabiaoBasis, "income ", "income"},
	}
	for _, tt := range tests {
		got, err := NormalizeParam(tt.key, tt.value)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeParam(%s, %q) = %q, %v, want %q", tt.key, tt.value, got, err, tt.want)
		}
	}
}
