package fupin

import "testing"

// TestCodeListCheck: the registry's lists pass; a list without a name, or
// with a repeated code or label, does not.
func TestCodeListCheck(t *testing.T) {
	for _, l := range AllCodeLists() {
		if err := l.Check(); err != nil {
			t.Error(err)
		}
	}
	for _, bad := range []CodeList{
		{Label: "无名", Items: []CodeItem{{Code: "a", Label: "甲"}}},
		{Name: "x", Label: "重复代码", Items: []CodeItem{{Code: "a", Label: "甲"}, {Code: "a", Label: "乙"}}},
		{Name: "x", Label: "重复名称", Items: []CodeItem{{Code: "a", Label: "甲"}, {Code: "b", Label: "甲"}}},
		{Name: "x", Label: "空项", Items: []CodeItem{{Code: "", Label: "甲"}}},
		{Name: "x", Label: "无项"},
	} {
		if bad.Check() == nil {
			t.Errorf("%s: Check passed", bad.Label)
		}
	}
}
