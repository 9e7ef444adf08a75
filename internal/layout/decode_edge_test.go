package layout

import (
	"slices"
	"strings"
	"testing"
)

// badCheck replaces the check character of a valid ID number.
func badCheck(id string) string {
	c := byte('0')
	if id[17] == '0' {
		c = '1'
	}
	return id[:17] + string(c)
}

// TestDecodeBrokenHouseholdNo: a 户编号 that Excel turned into scientific
// notation joins every row into one "household"; the decoder checks it in
// bounded parts and says why.
func TestDecodeBrokenHouseholdNo(t *testing.T) {
	var rows []map[string]string
	for i := range 1200 {
		rel := "之子"
		if i%4 == 0 {
			rel = "户主"
		}
		rows = append(rows, person("5.00236E+17", "某人", mkID("19800101", itoa(100+i%900)), rel))
	}
	got := decodeAll(t, township, table("Sheet1", natHeader, rows...))
	if len(got) != 3 || len(got[0].Rows) != maxHouseholdRows || len(got[2].Rows) != 200 {
		t.Fatalf("got %d parts", len(got))
	}
	for _, d := range got {
		var sci, over bool
		for _, e := range d.Errors {
			sci = sci || strings.Contains(e.Reason, "科学计数法") && e.Column == "户编号" && !strings.Contains(e.Reason, "超过")
			over = over || strings.Contains(e.Reason, "超过 500 行")
		}
		if !sci || !over {
			t.Errorf("part at %v: scientific %v, overflow %v", d.Rows[0], sci, over)
		}
	}
}

func TestDecodeBlankSchoolStatus(t *testing.T) {
	national := append(slices.Clone(natHeader), "在校生状况")
	got := decodeAll(t, township, table("Sheet1", national, person("H1", "张大山", idA1, "户主")))
	if s := got[0].Household.Members[0].SchoolStatus; s != "none" {
		t.Errorf("national list: blank 在校生状况 = %q, want none", s)
	}
	withCode := append(national, "村代码")
	got = decodeAll(t, township, table("Sheet1", withCode, person("H1", "张大山", idA1, "户主", "村代码", "500236266200")))
	wantErrors(t, got)
	if s := got[0].Household.Members[0].SchoolStatus; s != "" {
		t.Errorf("Fupin layout: blank 在校生状况 = %q, want unrecorded", s)
	}
}

func TestDecodeTwoRowHeader(t *testing.T) {
	s := sheet{name: "Sheet1", rows: [][]string{
		{"户编号", "姓名", "证件号码", "民族", "文化程度", "户情况", "", "村代码"},
		{"", "", "", "", "", "与户主关系", "户类型", ""},
		{"H1", "张大山", idA1, "汉族", "小学", "户主", "普通农户", "500236266200"},
	}}
	got := decodeAll(t, township, s)
	wantErrors(t, got)
	if len(got) != 1 || got[0].Household.Type != "ordinary" || got[0].Rows[0].Row != 3 {
		t.Errorf("got %+v", got)
	}
}
