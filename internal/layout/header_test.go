package layout

import (
	"slices"
	"testing"
)

func TestStripPinyin(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"續(xù)寫", "續寫"},
		{"鄉（xiāng）鎮(zhèn)", "鄉鎮"},
		{"平安鄉(xiāng)召開", "平安鄉召開"},
		{"年收入(元)", "年收入(元)"},
		{"人口(2023)", "人口(2023)"},
		{"ID(abc)", "ID(abc)"},
		{"务工时间(月)", "务工时间(月)"},
		{"户编号(hu bian hao)", "户编号"},
		{"编号(xiang1)", "编号"},
		{"(記者 段超 通訊員 王培權(quán))", "(記者 段超 通訊員 王培權)"},
		{"鄉(", "鄉("},
		{"鄉()", "鄉()"},
	} {
		if got := StripPinyin(tc.in); got != tc.want {
			t.Errorf("StripPinyin(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestToSimplified(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"戶編號", "户编号"},
		{"與戶主關係", "与户主关系"},
		{"證件號碼", "证件号码"},
		{"鄉(鎮)", "乡(镇)"},
		{"文化程度", "文化程度"},
		{"學歷", "学历"},
		{"聯繫電話", "联系电话"},
		{"脫貧戶", "脱贫户"},
		{"已经是简体", "已经是简体"},
	} {
		if got := ToSimplified(tc.in); got != tc.want {
			t.Errorf("ToSimplified(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSimplifyTable checks the table maps only traditional characters: no
// key appears in a simplified header name or code label.
func TestSimplifyTable(t *testing.T) {
	var text []rune
	for _, f := range fields {
		text = append(text, []rune(f.name)...)
		for _, a := range f.aliases {
			text = append(text, []rune(a)...)
		}
	}
	for _, tbl := range []*codeTable{relations, educations, schoolStatuses, healthStatuses, labourSkills,
		insurances, householdTypes, povertyAttrs, monitorTypes, risks, ethnicities} {
		for s := range tbl.m {
			text = append(text, []rune(s)...)
		}
	}
	for _, r := range text {
		if s, ok := tradToSimp[r]; ok {
			t.Errorf("%c (→ %c) is used in simplified text", r, s)
		}
	}
	for k, v := range tradToSimp {
		if _, ok := tradToSimp[v]; ok {
			t.Errorf("%c → %c maps to a key", k, v)
		}
	}
}

// TestHeaderAliases checks that no spelling is claimed by two columns.
func TestHeaderAliases(t *testing.T) {
	seen := map[string]fieldID{}
	for f := fieldID(0); f < nFields; f++ {
		for _, s := range append([]string{fields[f].name}, fields[f].aliases...) {
			n := normHeader(s)
			if g, dup := seen[n]; dup && g != f {
				t.Errorf("%q is claimed by %q and %q", s, fields[g].name, fields[f].name)
			}
			seen[n] = f
		}
	}
	for _, name := range ExportHeader() {
		if f, ok := matchHeader(name); !ok || fields[f].name != name {
			t.Errorf("export column %q is not recognised as itself", name)
		}
	}
}

func TestDetectHeader(t *testing.T) {
	national := []string{"县", "乡(镇)", "行政村", "自然村", "户编号", "人编号", "姓名", "证件号码", "与户主关系", "户类型"}
	for _, tc := range []struct {
		name    string
		rows    [][]string
		wantRow int
		want    map[string]int // column name → index
		unknown []string
		ignored []string
	}{
		{
			name:    "plain",
			rows:    [][]string{national, {"奉节县", "平安乡"}},
			wantRow: 1,
			want:    map[string]int{"县": 0, "户编号": 4, "证件号码": 7, "户类型": 9},
		},
		{
			name: "two title rows and merged cells",
			rows: [][]string{
				{"奉节县平安乡脱贫人口明细表", "", "", ""},
				{"填报单位：平安乡人民政府", "", "", "", "", "填报日期：2024年6月"},
				{"序号", "户编号", "姓名", "", "证件号码", "与户主关系", "户类型", "备 注"},
				{"1", "500236266200001", "张三"},
			},
			wantRow: 3,
			want:    map[string]int{"户编号": 1, "姓名": 2, "证件号码": 4, "与户主关系": 5, "户类型": 6},
			ignored: []string{"序号", "备 注"},
		},
		{
			name:    "traditional script",
			rows:    [][]string{{"縣", "鄉(鎮)", "戶編號", "姓名", "證件號碼", "與戶主關係", "戶類型", "文化程度"}},
			wantRow: 1,
			want:    map[string]int{"县": 0, "乡(镇)": 1, "户编号": 2, "证件号码": 4, "与户主关系": 5, "户类型": 6},
		},
		{
			name:    "pinyin glosses",
			rows:    [][]string{{"鄉(xiāng)鎮(zhèn)", "戶(hù)編號", "姓名(xìng míng)", "證件號碼", "與戶主關係", "户类型"}},
			wantRow: 1,
			want:    map[string]int{"乡(镇)": 0, "户编号": 1, "姓名": 2, "证件号码": 3},
		},
		{
			name: "other order, synonyms, full-width and line breaks",
			rows: [][]string{{"公民身份号码", "成员姓名", "户号", "与户主的关系", "务工时间\n（月）", "乡　镇",
				"村", "户联系电话", "耕地（亩）", "*户类型", "家庭人口数", "神秘列"}},
			wantRow: 1,
			want: map[string]int{"证件号码": 0, "姓名": 1, "户编号": 2, "与户主关系": 3, "务工时间（月）": 4,
				"乡(镇)": 5, "行政村": 6, "联系电话": 7, "耕地": 8, "户类型": 9, "人数": 10},
			unknown: []string{"神秘列"},
		},
		{
			name: "two-row header under group titles",
			rows: [][]string{
				{"户编号", "姓名", "证件号码", "与户主关系", "户类型", "收入情况", "", ""},
				{"", "", "", "", "", "收入年度", "工资性收入", "转移性收入"},
				{"500236266200001", "张三", "500236198001011234", "户主", "脱贫户", "2023", "100", "0"},
			},
			wantRow: 2,
			want:    map[string]int{"户编号": 0, "收入年度": 5, "工资性收入": 6, "转移性收入": 7},
		},
		{
			name:    "a repeated column is ignored",
			rows:    [][]string{{"姓名", "证件号码", "身份证号", "与户主关系", "户类型", "户编号"}},
			wantRow: 1,
			want:    map[string]int{"证件号码": 1},
			ignored: []string{"身份证号"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, ok := DetectHeader(tc.rows)
			if !ok {
				t.Fatal("no header found")
			}
			if h.Row != tc.wantRow {
				t.Errorf("Row = %d, want %d", h.Row, tc.wantRow)
			}
			got := map[string]int{}
			for _, c := range h.Columns {
				got[c.Name] = c.Index
			}
			for name, idx := range tc.want {
				if g, ok := got[name]; !ok || g != idx {
					t.Errorf("column %s at %d (found %v), want %d", name, g, ok, idx)
				}
			}
			if names := texts(h.Unknown); !slices.Equal(names, tc.unknown) {
				t.Errorf("Unknown = %q, want %q", names, tc.unknown)
			}
			if names := texts(h.Ignored); !slices.Equal(names, tc.ignored) {
				t.Errorf("Ignored = %q, want %q", names, tc.ignored)
			}
		})
	}
}

func texts(cs []Column) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text)
	}
	return out
}

func TestDetectHeaderNone(t *testing.T) {
	rows := [][]string{{"奉节县脱贫人口"}, {"姓名", "证件号码", "户类型", "备注"}}
	for i := 0; i < 40; i++ {
		rows = append(rows, []string{"张三", "500236198001011234"})
	}
	rows = append(rows, []string{"户编号", "姓名", "证件号码", "与户主关系", "户类型"})
	if h, ok := DetectHeader(rows); ok {
		t.Errorf("found a header at row %d: only 4 known names, or below row 30", h.Row)
	}
}

func TestHeaderMissing(t *testing.T) {
	h, ok := DetectHeader([][]string{{"户编号", "姓名", "证件号码", "民族", "文化程度", "健康状况"}})
	if !ok {
		t.Fatal("no header")
	}
	want := []string{"与户主关系", "户类型", "村代码或行政村"}
	if got := h.Missing(); !slices.Equal(got, want) {
		t.Errorf("Missing() = %q, want %q", got, want)
	}
}
