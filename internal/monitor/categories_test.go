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
