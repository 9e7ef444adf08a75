package fupin

import "testing"

// TestSettingDef checks the lookup and the bounds every settings family
// (aid rules, monitoring limits) checks a stored value against.
func TestSettingDef(t *testing.T) {
	defs := []SettingDef{
		{Key: "a", Label: "甲时限", Unit: "个工作日", Default: 3, Min: 1, Max: 60},
		{Key: "b", Label: "乙任期", Unit: "月", Default: 24, Min: 6, Max: 36},
	}
	if d := SettingDefOf(defs, "b"); d == nil || d != &defs[1] {
		t.Fatalf("SettingDefOf(b) = %v, want the second definition", d)
	}
	if d := SettingDefOf(defs, "c"); d != nil {
		t.Fatalf("SettingDefOf(c) = %+v, want nil", d)
	}
	for _, c := range []struct {
		def  SettingDef
		v    int
		want string
	}{
		{defs[0], 1, ""},
		{defs[0], 60, ""},
		{defs[0], 0, "甲时限应在 1–60 个工作日之间"},
		{defs[0], 61, "甲时限应在 1–60 个工作日之间"},
		{defs[1], 5, "乙任期应在 6–36 月之间"},
		{defs[1], 6, ""},
		{defs[1], 37, "乙任期应在 6–36 月之间"},
		{defs[1], -1, "乙任期应在 6–36 月之间"},
	} {
		if got := c.def.RangeError(c.v); got != c.want {
			t.Errorf("%s.RangeError(%d) = %q, want %q", c.def.Key, c.v, got, c.want)
		}
	}
}
