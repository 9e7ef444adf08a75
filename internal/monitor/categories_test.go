package monitor

import (
	"strings"
	"testing"

	"fupin/internal/fupin"
)

func codesOf(items []fupin.CodeItem) string {
	var c []string
	for _, it := range items {
		c = append(c, it.Code)
	}
	return strings.Join(c, ",")
}

func TestCategoriesFor(t *testing.T) {
	rows := []CategoryRow{
		{Area: "50", Year: 2026, Codes: []string{"prevent", "dibao", "tekun", "dibao_edge"}},
		{Area: "500236266", Year: 2026, Codes: []string{"prevent"}},
		{Area: "500236266", Year: 2027, Codes: []string{"prevent", "sudden"}},
	}
	for _, tt := range []struct {
		code string
		year int
		want string
	}{
		{"500236266200", 2025, "unstable,marginal,sudden"}, // transition period everywhere
		{"500236266200", 2026, "prevent"},                  // the township's row
		{"500236266200", 2028, "prevent,sudden"},           // the township's later row
		{"500236001001", 2026, "prevent,dibao,tekun,dibao_edge"},
		{"110101001001", 2026, "unstable,marginal,sudden"}, // not configured
	} {
		if got := codesOf(CategoriesFor(rows, tt.code, tt.year)); got != tt.want {
			t.Errorf("CategoriesFor(%s, %d) = %s, want %s", tt.code, tt.year, got, tt.want)
		}
	}
}

func TestCheckCategoryRow(t *testing.T) {
	for _, tt := range []struct {
		row   CategoryRow
		field string
	}{
		{CategoryRow{Area: "500236", Year: 2026, Codes: []string{"prevent", "dibao"}}, ""},
		{CategoryRow{Area: "500236", Year: 2026}, ""},
		{CategoryRow{Area: "500236", Year: 2024, Codes: []string{"unstable"}}, ""},
		{CategoryRow{Area: "500236", Year: 2025, Codes: []string{"prevent"}}, "codes[0]"},
		{CategoryRow{Area: "500236", Year: 2026, Codes: []string{"dibao", "dibao"}}, "codes[1]"},
		{CategoryRow{Area: "500236", Year: 2026, Codes: []string{"general"}}, "codes[0]"},
		{CategoryRow{Area: "5002x", Year: 2026, Codes: []string{"prevent"}}, "area"},
		{CategoryRow{Area: "500236", Year: 2020, Codes: []string{"unstable"}}, "year"},
	} {
		err := CheckCategoryRow(tt.row)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.row, err)
			}
			continue
		}
		if e, ok := err.(*fupin.Error); !ok || e.Fields[tt.field] == "" {
			t.Errorf("%+v: %v, want invalid %s", tt.row, err, tt.field)
		}
	}
}

func TestCheckHouseholdCategory(t *testing.T) {
	rows := []CategoryRow{
		{Area: "500236266", Year: 2026, Codes: []string{"prevent", "dibao"}},
	}
	date := func(s string) fupin.Date {
		d, err := fupin.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	today := date("2026-12-07")
	for _, tt := range []struct {
		name, village, typ, identified string
		want                           string // a substring of the message, "" for valid
	}{
		{"not monitored", "500236266200", "", "", ""},
		{"unknown code is ValidateFields'", "500236266200", "general", "", ""},
		{"transition type identified in 2023", "500236266200", "unstable", "2023-05-01", ""},
		{"transition type identified on the last day of 2025", "500236266200", "sudden", "2025-12-31", ""},
		{"常态化 type of the area in 2026", "500236266200", "prevent", "2026-01-01", ""},
		{"常态化 type with no date: checked against today", "500236266200", "dibao", "", ""},
		{"常态化 type dated in the transition period", "500236266200", "prevent", "2025-12-31", "不适用于本地区 2025 年（该年度适用：脱贫不稳定户、边缘易致贫户、突发严重困难户）"},
		{"transition type dated 2026 where the area configured 常态化", "500236266200", "marginal", "2026-01-02", "不适用于本地区 2026 年（该年度适用：防止返贫致贫对象、低保对象）"},
		{"transition type with no date: asks for the date", "500236266200", "unstable", "", "如为往年认定，请填写监测识别时间"},
		{"常态化 type the area did not configure", "500236266200", "tekun", "2026-03-01", "“特困人员”不适用"},
		{"area not configured: transition types go on", "110101001001", "unstable", "2026-03-01", ""},
		{"area not configured: no 常态化 type", "110101001001", "prevent", "2026-03-01", "该年度适用：脱贫不稳定户"},
	} {
		h := &fupin.Household{VillageCode: tt.village, MonitorType: tt.typ}
		if tt.identified != "" {
			h.MonitorIdentifiedOn = date(tt.identified)
		}
		errs := fupin.FieldErrors{}
		CheckHouseholdCategory(errs, rows, h, today)
		got := errs["monitor_type"]
		switch {
		case tt.want == "" && len(errs) != 0:
			t.Errorf("%s: %v, want valid", tt.name, errs)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s: monitor_type = %q, want it to contain %q", tt.name, got, tt.want)
		}
	}
}
