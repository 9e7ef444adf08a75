package layout

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/region"
)

// mkID returns a valid ID number for a birth date (yyyymmdd) and sequence.
func mkID(birth, seq string) string {
	s := "500236" + birth + seq
	return s + string(idcard.CheckChar(s))
}

// table builds a sheet from a header and rows given as column → value.
func table(name string, header []string, rows ...map[string]string) sheet {
	s := sheet{name: name, rows: [][]string{header}}
	for _, r := range rows {
		row := make([]string, len(header))
		for i, h := range header {
			row[i] = r[h]
		}
		s.rows = append(s.rows, row)
	}
	return s
}

var natHeader = []string{"县", "乡(镇)", "行政村", "户编号", "人编号", "姓名", "证件号码", "人数",
	"与户主关系", "户类型", "危房户", "致贫原因", "监测对象类型", "风险识别时间", "风险是否消除", "风险消除时间"}

// person returns a national-list row of household no in 天台村; the 户主
// row has 户类型 一般农户 unless kv says otherwise.
func person(no, name, id, rel string, kv ...string) map[string]string {
	r := map[string]string{"县": "奉节县", "乡(镇)": "平安乡", "行政村": "天台村", "户编号": no,
		"姓名": name, "证件号码": id, "与户主关系": rel}
	if rel == "户主" {
		r["户类型"] = "一般农户"
	}
	for i := 0; i+1 < len(kv); i += 2 {
		r[kv[i]] = kv[i+1]
	}
	return r
}

var (
	idA1, idA2, idA3 = mkID("19700301", "011"), mkID("19720615", "022"), mkID("20000101", "031")
	idB1, idB2       = mkID("19650912", "041"), mkID("19680203", "052")
)

var township = Options{Today: testToday, Area: "500236266"}

func TestDecodeNational(t *testing.T) {
	got := decodeAll(t, township, table("Sheet1", natHeader,
		person("H1", "张大山", idA1, "户主", "人数", "3", "户类型", "脱贫户（已脱贫）", "危房户", "是",
			"致贫原因", "因病", "监测对象类型", "脱贫不稳定户", "风险识别时间", "44287", "风险是否消除", "否"),
		person("H1", "李小花", idA2, "妻"),
		person("H1", "张小山", idA3, "长子"),
		person("H2", "王五", idB1, "户主", "人数", "1"),
	))
	if len(got) != 2 {
		t.Fatalf("got %d households, want 2", len(got))
	}
	for _, d := range got {
		if len(d.Errors) > 0 {
			t.Fatalf("errors: %+v", d.Errors)
		}
	}
	h := got[0].Household
	want := struct {
		village, typ, monitor, grade, head string
		risks                              []string
		size                               int
		monitorOn                          fupin.Date
		relations                          []string
	}{"500236266200", "ex_poor", "unstable", "C", "张大山", []string{"illness"}, 3,
		fupin.NewDate(2021, 4, 1), []string{"head", "spouse", "son"}}
	var rels []string
	for _, m := range h.Members {
		rels = append(rels, m.Relation)
	}
	if h.VillageCode != want.village || h.Type != want.typ || h.MonitorType != want.monitor ||
		h.Housing.Grade != want.grade || h.HeadName != want.head || !slices.Equal(h.Risks, want.risks) ||
		h.Size != want.size || h.MonitorIdentifiedOn != want.monitorOn || !slices.Equal(rels, want.relations) {
		t.Errorf("household = %+v", h)
	}
	if h.Members[2].SchoolStatus != "" {
		t.Errorf("school status %q without the column, want empty", h.Members[2].SchoolStatus)
	}
	if r := got[0].Rows; len(r) != 3 || r[0] != (RowRef{"Sheet1", 2}) || r[2] != (RowRef{"Sheet1", 4}) {
		t.Errorf("Rows = %v", r)
	}
}

// errorsOf returns "row column: reason" lines of all households.
func errorsOf(ds []Decoded) []string {
	var out []string
	for _, d := range ds {
		for _, e := range d.Errors {
			out = append(out, e.Sheet+"!"+itoa(e.Row)+" "+e.Column+"="+e.Value+": "+e.Reason)
		}
	}
	return out
}

// wantErrors checks that each want (sheet!row column: part of reason)
// matches one error and that there are no others.
func wantErrors(t *testing.T, ds []Decoded, want ...string) {
	t.Helper()
	got := errorsOf(ds)
	used := make([]bool, len(got))
	for _, w := range want {
		loc, part, _ := strings.Cut(w, ": ")
		found := false
		for i, g := range got {
			if !used[i] && strings.HasPrefix(g, loc) && strings.Contains(g, part) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing error %q", w)
		}
	}
	for i, g := range got {
		if !used[i] {
			t.Errorf("unexpected error %q", g)
		}
	}
}

func TestDecodeSplitAcrossSheets(t *testing.T) {
	first := table("Sheet1", natHeader,
		person("H1", "张大山", idA1, "户主"), person("H1", "李小花", idA2, "配偶"))
	second := table("Sheet2", natHeader, person("H1", "张小山", idA3, "之子"), person("H2", "王五", idB1, "户主"))
	got := decodeAll(t, township, first, second)
	wantErrors(t, got)
	if len(got) != 2 || len(got[0].Household.Members) != 3 {
		t.Fatalf("got %d households, first with %d members", len(got), len(got[0].Household.Members))
	}
	want := []RowRef{{"Sheet1", 2}, {"Sheet1", 3}, {"Sheet2", 2}}
	if !slices.Equal(got[0].Rows, want) {
		t.Errorf("Rows = %v, want %v", got[0].Rows, want)
	}

	// The second sheet may also continue without repeating the header.
	second.rows = second.rows[1:]
	got = decodeAll(t, township, first, second)
	wantErrors(t, got)
	if len(got) != 2 || len(got[0].Household.Members) != 3 || got[1].Rows[0] != (RowRef{"Sheet2", 2}) {
		t.Errorf("without header: got %d households, rows %v", len(got), got[0].Rows)
	}
}

func TestDecodeSamePersonTwice(t *testing.T) {
	got := decodeAll(t, township, table("Sheet1", natHeader,
		person("H1", "张大山", idA1, "户主"), person("H1", "张小山", idA3, "之子"),
		person("H2", "王五", idB1, "户主"), person("H2", "张小山", idA3, "其他")))
	wantErrors(t, got, "Sheet1!5 证件号码="+idA3+": 已在第 3 行出现")
}

func TestDecodeNoHead(t *testing.T) {
	got := decodeAll(t, township, table("Sheet1", natHeader,
		person("H1", "李小花", idA2, "配偶", "户类型", "普通农户"), person("H1", "张小山", idA3, "之子"),
		person("H2", "王五", idB1, "户主")))
	wantErrors(t, got, "Sheet1!2 与户主关系=配偶: 第 2、3 行")
	if len(got[0].Errors) != 1 || len(got[1].Errors) != 0 {
		t.Errorf("errors by household: %d, %d", len(got[0].Errors), len(got[1].Errors))
	}
}

func TestDecodeOutsideArea(t *testing.T) {
	others, err := region.Children("500236001")
	if err != nil || len(others) == 0 {
		t.Fatalf("no villages in 永安街道: %v", err)
	}
	other := others[0].Code
	header := append([]string{"村代码"}, natHeader...)
	got := decodeAll(t, township, table("Sheet1", header,
		person("H1", "张大山", idA1, "户主", "村代码", other),
		person("H2", "王五", idB1, "户主", "行政村", "", "县", "巫山县", "乡(镇)", "")))
	wantErrors(t, got,
		"Sheet1!2 村代码="+other+": 不在本次导入的区域（500236266）内",
		"Sheet1!3 县=巫山县: 不在导入区域（奉节县）内")
}

func TestDecodeNames(t *testing.T) {
	got := decodeAll(t, Options{Today: testToday, Area: "50"}, table("Sheet1", natHeader,
		person("H1", "张大山", idA1, "户主", "县", "奉节", "乡(镇)", "平安", "行政村", "咏梧"),
		person("H2", "王五", idB1, "户主", "行政村", "不存在村"),
		person("H3", "赵六", idB2, "户主", "乡(镇)", "")))
	wantErrors(t, got,
		"Sheet1!3 行政村=不存在村: 在平安乡找不到行政村“不存在村”",
		"Sheet1!4 乡(镇)=: 缺少乡(镇)名称")
	if c := got[0].Household.VillageCode; c != "500236266212" {
		t.Errorf("咏梧村 resolved to %q", c)
	}

	calls := 0
	resolve := func(county, township, village string) (string, error) {
		calls++
		if village == "天台村" {
			return "500236266200", nil
		}
		return "", errors.New("本系统没有这个村")
	}
	got = decodeAll(t, Options{Today: testToday, Area: "500236266", Resolve: resolve}, table("Sheet1", natHeader,
		person("H1", "张大山", idA1, "户主"), person("H2", "王五", idB1, "户主", "行政村", "外村"),
		person("H3", "赵六", idB2, "户主")))
	wantErrors(t, got, "Sheet1!3 行政村=外村: 本系统没有这个村")
	if calls != 2 {
		t.Errorf("Resolve called %d times, want 2 (cached)", calls)
	}

	// A village-level area needs neither code nor names.
	got = decodeAll(t, Options{Today: testToday, Area: "500236266200"}, table("Sheet1",
		[]string{"户编号", "姓名", "证件号码", "与户主关系", "户类型"},
		map[string]string{"户编号": "1", "姓名": "张大山", "证件号码": idA1, "与户主关系": "户主", "户类型": "普通农户"}))
	wantErrors(t, got)
	if got[0].Household.VillageCode != "500236266200" {
		t.Errorf("village area: code %q", got[0].Household.VillageCode)
	}
}

func TestDecodeReappearingHouseholdNo(t *testing.T) {
	got := decodeAll(t, township, table("Sheet1", natHeader,
		person("H1", "张大山", idA1, "户主"), person("H2", "王五", idB1, "户主"),
		person("H1", "张小山", idA3, "之子", "户类型", "普通农户")))
	wantErrors(t, got,
		"Sheet1!4 户编号=H1: 户编号“H1”已在第 2 行出现",
		"Sheet1!4 与户主关系=之子: 没有与户主关系为“户主”")
	if len(got) != 3 {
		t.Errorf("got %d households, want 3", len(got))
	}
}

func TestDecodeConflicts(t *testing.T) {
	got := decodeAll(t, township, table("Sheet1", natHeader,
		person("H1", "张大山", idA1, "户主", "户类型", "脱贫户", "人数", "3"),
		person("H1", "李小花", idA2, "配偶", "户类型", "", "人数", "3.0"),
		person("H1", "张小山", idA3, "之子", "户类型", "普通农户", "人数", "")))
	wantErrors(t, got, "Sheet1!4 户类型=普通农户: 同一户各行的“户类型”应一致：本行为“普通农户”，第 2 行为“脱贫户”")
	if got[0].Household.Type != "ex_poor" {
		t.Errorf("type %q, want the head's ex_poor", got[0].Household.Type)
	}
}

func TestDecodeIDNumbers(t *testing.T) {
	old15 := "500236700301011"
	got := decodeAll(t, township, table("Sheet1", natHeader,
		person("H1", "张大山", old15, "户主"),
		person("H1", "李小花", "5.00236E+17", "配偶"),
		person("H1", "张小山", strings.ToLower(mkID("20000101", "033")), "之子"),
		person("H1", "张二山", badCheck(mkID("20050101", "041")), "之子")))
	sci := "号码已被 Excel 转成科学计数法"
	if !strings.Contains(errorsOf(got)[0], sci) {
		t.Errorf("first error %q, want the scientific-notation message", errorsOf(got)[0])
	}
	wantErrors(t, got, "Sheet1!3 证件号码=5.00236E+17: "+sci, "Sheet1!5 证件号码=: 校验位错误")
	if id := got[0].Household.Members[0].IDNumber; id != "500236197003010115" && len(id) != 18 {
		t.Errorf("15-digit ID became %q", id)
	}
	if m := got[0].Household.Members[0]; m.BirthDate != fupin.NewDate(1970, 3, 1) || m.Sex != "male" {
		t.Errorf("derived birth %v sex %q", m.BirthDate, m.Sex)
	}
}

func TestDecodeCrossChecks(t *testing.T) {
	header := append(slices.Clone(natHeader), "危房等级", "致贫返贫风险", "风险消除方式")
	got := decodeAll(t, township, table("Sheet1", header,
		person("H1", "张大山", idA1, "户主", "危房户", "是", "危房等级", "A级"),
		person("H2", "王五", idB1, "户主", "危房户", "否", "致贫原因", "因病", "致贫返贫风险", "缺资金"),
		person("H3", "赵六", idB2, "户主", "监测对象类型", "边缘易致贫户", "风险识别时间", "2022-05-01",
			"风险是否消除", "是", "风险消除方式", "帮扶后消除")))
	wantErrors(t, got,
		"Sheet1!2 危房户=是: 与危房等级“A级”矛盾",
		"Sheet1!4 风险是否消除=是: 风险已消除，但未填写风险消除时间",
		"Sheet1!4 风险消除时间=: 填写了风险消除方式，但未填写风险消除时间")
	if h := got[1].Household; !slices.Equal(h.Risks, []string{"lack_funds"}) || h.Housing.Grade != "" {
		t.Errorf("H2 risks %v grade %q: 致贫返贫风险 wins, 否 leaves the grade unknown", h.Risks, h.Housing.Grade)
	}
}

func TestDecodeNoHouseholdNo(t *testing.T) {
	got := decodeAll(t, township, table("Sheet1", natHeader,
		person("", "张大山", idA1, "户主"), person("", "李小花", idA2, "配偶"),
		person("", "王五", idB1, "户主"), person("", "王小五", idB2, "之子", "减员日期", "")))
	wantErrors(t, got)
	if len(got) != 2 || len(got[0].Household.Members) != 2 || len(got[1].Household.Members) != 2 {
		t.Errorf("got %d households", len(got))
	}
}

func TestDecodeFieldErrors(t *testing.T) {
	header := append(slices.Clone(natHeader), "减员日期", "减员原因", "收入年度", "工资性收入", "首次识别时间", "务工时间（月）")
	got := decodeAll(t, township, table("Sheet1", header,
		person("H1", "张大山", idA1, "户主", "户类型", "", "人数", "3", "工资性收入", "1,000", "务工时间（月）", "13"),
		person("H1", "", idA2, "配偶", "首次识别时间", "2099-01-01"),
		person("H1", "张老汉", idB1, "之父", "减员日期", "2023-02-30"),
		person("H1", "张小山", idA3, "孙", "减员原因", "死亡"),
		person("H1", "张小妹", mkID("20100101", "042"), "乱七八糟")))
	wantErrors(t, got,
		"Sheet1!2 人数=3: 该户在册成员有 5 行",
		"Sheet1!2 户类型=: 户类型不能为空",
		"Sheet1!2 务工时间（月）=13: 务工时间应在 0–12 个月之间",
		"Sheet1!2 收入年度=: 填写了收入金额，但未填写收入年度",
		"Sheet1!3 姓名=: 姓名不能为空",
		"Sheet1!3 首次识别时间=2099-01-01: 日期不能晚于今天",
		"Sheet1!4 减员日期=2023-02-30: 不存在",
		"Sheet1!5 减员日期=: 填写了减员原因，但未填写减员日期",
		"Sheet1!6 与户主关系=乱七八糟: 不在“与户主关系”代码表中")
}

func TestDecodeSheetErrors(t *testing.T) {
	d := NewDecoder(township)
	var errs []error
	for i := 1; i <= 35; i++ {
		if _, err := d.Row("说明", i, []string{"这是说明"}); err != nil {
			errs = append(errs, err)
		}
	}
	var se *SheetError
	if len(errs) != 1 || !errors.As(errs[0], &se) || se.Row != 30 || !strings.Contains(se.Message, "找不到表头") {
		t.Errorf("errors %v", errs)
	}
	if _, err := d.Row("Sheet2", 1, []string{"户编号", "姓名", "证件号码", "民族", "文化程度"}); err != nil {
		t.Errorf("header row: %v", err)
	}
	_, err := d.Row("Sheet2", 2, []string{"1", "张三", idA1, "汉族", "小学"})
	if err == nil || !strings.Contains(err.Error(), "第 1 行的表头缺少必需的列：与户主关系、户类型、村代码或行政村") {
		t.Errorf("missing columns: %v", err)
	}
	if done, err := d.Row("Sheet2", 3, []string{"1", "张三", idA1, "汉族", "小学"}); done != nil || err != nil {
		t.Errorf("row of a refused sheet: %v %v", done, err)
	}
	// A refused header is not used for a following sheet without one.
	if done, err := d.Row("Sheet3", 1, []string{"1", "张三", idA1, "汉族", "小学"}); done != nil || err != nil {
		t.Errorf("row of a sheet without header: %v %v", done, err)
	}
	if h, ok := d.Header("Sheet2"); !ok || h.Row != 1 {
		t.Errorf("Header(Sheet2) = %+v, %v", h, ok)
	}
}

func TestDecodeSkipsTitlesBlanksAndRepeatedHeaders(t *testing.T) {
	s := table("Sheet1", natHeader, person("H1", "张大山", idA1, "户主"), person("H2", "王五", idB1, "户主"))
	s.rows = slices.Insert(s.rows, 0, []string{"奉节县平安乡脱贫人口名单"}, []string{""})
	s.rows = slices.Insert(s.rows, 4, []string{"", " ", ""}, natHeader)
	got := decodeAll(t, township, s)
	wantErrors(t, got)
	if len(got) != 2 || got[1].Rows[0].Row != 7 {
		t.Errorf("got %d households, second at %v", len(got), got[1].Rows)
	}
}
