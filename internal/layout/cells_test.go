package layout

import (
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int    // yyyymmdd
		bad  string // part of the reason when rejected
	}{
		{in: "1", want: 19000101},
		{in: "59", want: 19000228},
		{in: "60", bad: "1900-02-29"},
		{in: "61", want: 19000301},
		{in: "43896", want: 20200306},
		{in: "43896.0", want: 20200306},
		{in: "43896.75", want: 20200306},
		{in: "44197", want: 20210101},
		{in: "0", bad: "超出范围"},
		{in: "2021-03-05", want: 20210305},
		{in: "2021/3/5", want: 20210305},
		{in: "2021.3.5", want: 20210305},
		{in: "2021年3月5日", want: 20210305},
		{in: "2021年03月05", want: 20210305},
		{in: "20210305", want: 20210305},
		{in: "２０２１－０３－０５", want: 20210305},
		{in: "2021-03-05 00:00:00", want: 20210305},
		{in: "2021-03-05T08:00:00Z", want: 20210305},
		{in: "2020-02-29", want: 20200229},
		{in: "2021-02-29", bad: "不存在"},
		{in: "2021-13-01", bad: "不是有效日期"},
		{in: "20211301", bad: "不是有效日期"},
		{in: "2021", bad: "缺少月或日"},
		{in: "2021.03", bad: "缺少月或日"},
		{in: "2021年3月", bad: "不完整"}, {in: "2021-3-", bad: "不完整"},
		{in: "3/5/2021", bad: "年份在前"},
		{in: "昨天", bad: "无法识别"},
		{in: "2021-03-05x", bad: "无法识别"},
		{in: "1899-12-31", bad: "不是有效日期"},
	} {
		got, reason := parseDate(tc.in)
		switch {
		case tc.bad != "" && !strings.Contains(reason, tc.bad):
			t.Errorf("parseDate(%q) = %d, %q; want a reason with %q", tc.in, got, reason, tc.bad)
		case tc.bad == "" && (reason != "" || got != tc.want):
			t.Errorf("parseDate(%q) = %d, %q; want %d", tc.in, got, reason, tc.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	units := []string{"元", "亩"}
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0", 0, true}, {"12", 12, true}, {"1234.50", 1234.5, true}, {"1,234.50", 1234.5, true},
		{"1,234,567", 1234567, true}, {"1234.50元", 1234.5, true}, {"2.5 亩", 2.5, true},
		{"１２.５", 12.5, true}, {"¥300", 300, true}, {"-3.5", -3.5, true}, {".5", 0.5, true},
		{"0.1", 0.1, true}, {"123456789012.34", 123456789012.34, true},
		{"1,23", 0, false}, {"12,3456", 0, false}, {",123", 0, false}, {"1.2.3", 0, false},
		{"1e5", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"0x10", 0, false},
		{"三", 0, false}, {"", 0, false}, {".", 0, false}, {"3米", 0, false},
	} {
		got, reason := parseNumber(tc.in, units)
		if (reason == "") != tc.ok || tc.ok && got != tc.want {
			t.Errorf("parseNumber(%q) = %v, %q; want %v ok=%v", tc.in, got, reason, tc.want, tc.ok)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"0", 0, true}, {"0.00", 0, true}, {"1234.5", 123450, true}, {"1,234.50元", 123450, true},
		{"0.125", 13, true}, {"0.1", 10, true}, {"12", 1200, true}, {"99999999999", 0, false}, {"x", 0, false},
	} {
		got, reason := parseMoney(tc.in, []string{"元"})
		if (reason == "") != tc.ok || tc.ok && got != tc.want {
			t.Errorf("parseMoney(%q) = %d, %q; want %d ok=%v", tc.in, got, reason, tc.want, tc.ok)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, in := range []string{"是", "有", "√", "✓", "Y", "y", "YES", "Yes", "1", "1.0", "true", "TRUE", "Ｙ", " 是 "} {
		if b, reason := parseBool(in); !b || reason != "" {
			t.Errorf("parseBool(%q) = %v, %q; want true", in, b, reason)
		}
	}
	for _, in := range []string{"否", "无", "没有", "×", "✗", "N", "n", "No", "0", "false", "Ｎ"} {
		if b, reason := parseBool(in); b || reason != "" {
			t.Errorf("parseBool(%q) = %v, %q; want false", in, b, reason)
		}
	}
	for _, in := range []string{"可能", "2", "是否"} {
		if _, reason := parseBool(in); reason == "" {
			t.Errorf("parseBool(%q) accepted", in)
		}
	}
}

func TestParseCodes(t *testing.T) {
	for _, tc := range []struct {
		f        fieldID
		in, want string
	}{
		{fRelation, "户主", "head"}, {fRelation, "之子", "son"}, {fRelation, "子", "son"},
		{fRelation, "儿子", "son"}, {fRelation, "长女", "daughter"}, {fRelation, "妻", "spouse"},
		{fRelation, "之兄弟姐妹", "sibling"}, {fRelation, "孫子", "grandson"}, {fRelation, "head", "head"},
		{fSchool, "非在校生", "none"}, {fSchool, "小学一年级", "primary"}, {fSchool, "小学6年级", "primary"},
		{fSchool, "三年级", "primary"}, {fSchool, "七年级", "junior"}, {fSchool, "初一", "junior"},
		{fSchool, "初三", "junior"}, {fSchool, "九年级", "junior"}, {fSchool, "高二", "senior"},
		{fSchool, "学前教育", "preschool"}, {fSchool, "送教上门", "home_schooled"}, {fSchool, "辍学", "dropout"},
		{fSchool, "本科", "undergraduate"}, {fSchool, "中职二年级", "secondary_vocational"},
		{fLabour, "丧失劳动力", "lost"}, {fLabour, "无劳动力", "none"}, {fLabour, "弱劳动力或半劳动力", "weak"},
		{fLabour, "半劳动力", "weak"}, {fLabour, "普通劳动力", "ordinary"}, {fLabour, "技能劳动力", "skilled"},
		{fType, "脱贫户", "ex_poor"}, {fType, "脱贫户（已脱贫）", "ex_poor"}, {fType, "脱贫户(已脱贫)", "ex_poor"},
		{fType, "一般农户", "ordinary"}, {fType, "普通农户", "ordinary"},
		{fMonitorType, "边缘易致贫户", "marginal"}, {fMonitorType, "突发严重困难户", "sudden"},
		{fMonitorType, "脱贫不稳定户", "unstable"}, {fMonitorType, "无", ""},
		{fEthnicity, "汉族", "汉族"}, {fEthnicity, "汉", "汉族"}, {fEthnicity, "土家", "土家族"},
		{fEducation, "文盲", "illiterate"}, {fEducation, "中专", "vocational"},
		{fGrade, "C级", "C"}, {fGrade, "c", "C"}, {fGrade, "D级（整幢危房）", "D"}, {fGrade, "A级", "A"},
		{fMedical, "城乡居民基本医疗保险", "resident"}, {fMedical, "职工", "employee"}, {fMedical, "否", "none"},
		{fPovertyAttr, "五保户", "tekun"}, {fPovertyAttr, "低保贫困户", "dibao"},
		{fRoadType, "水泥路", "hardened"}, {fMigrantPlace, "省外", "out_province"},
		{fLeaveReason, "死亡", "death"}, {fJoinReason, "出生", "birth"},
		{fHealth, "健康", "healthy"}, {fHealth, "长期慢性病", "chronic"}, {fHealth, "患大病", "serious"},
		{fHealth, "残疾", "disabled"}, {fHealth, "残疾,长期慢性病", "disabled"},
		{fHealth, "长期慢性病、患大病", "serious"}, {fHealth, "健康 残疾", "disabled"},
		{fRisks, "因病、因学", "illness,education"}, {fRisks, "因病致贫", "illness"},
		{fRisks, "缺劳力,因灾", "lack_labour,disaster"},
	} {
		v, reason := parseCell(tc.f, tc.in)
		if reason != "" || v.s != tc.want {
			t.Errorf("%s %q = %q, %q; want %q", fields[tc.f].name, tc.in, v.s, reason, tc.want)
		}
	}
	for _, tc := range []struct {
		f  fieldID
		in string
	}{
		{fRelation, "邻居"}, {fSchool, "十年级"}, {fHealth, "良好,发烧"}, {fRisks, "因病、运气差"},
		{fType, "贫困户"}, {fEthnicity, "火星族"}, {fGrade, "E"},
	} {
		if v, reason := parseCell(tc.f, tc.in); reason == "" {
			t.Errorf("%s %q accepted as %q", fields[tc.f].name, tc.in, v.s)
		} else if !strings.Contains(reason, tc.in) && !strings.Contains(reason, "不在") {
			t.Errorf("%s %q: reason %q does not name the value", fields[tc.f].name, tc.in, reason)
		}
	}
}

func TestParseCellOther(t *testing.T) {
	for _, tc := range []struct {
		f    fieldID
		in   string
		want value
		bad  string
	}{
		{f: fHouseholdNo, in: "500236266200001", want: value{s: "500236266200001", set: true}},
		{f: fHouseholdNo, in: "500236266200001.0", want: value{s: "500236266200001", set: true}},
		{f: fHouseholdNo, in: "'0012", want: value{s: "0012", set: true}},
		{f: fHouseholdNo, in: "5.00236E+17", bad: "科学计数法"},
		{f: fPhone, in: "13912345678.0", want: value{s: "13912345678", set: true}},
		{f: fPhone, in: "1.39123E+10", bad: "科学计数法"},
		{f: fMigrantMonths, in: "6个月", want: value{i: 6, set: true}},
		{f: fMigrantMonths, in: "6.0", want: value{i: 6, set: true}},
		{f: fMigrantMonths, in: "6.5", bad: "整数"},
		{f: fDisability, in: "二级", want: value{i: 2, set: true}},
		{f: fDisability, in: "3级", want: value{i: 3, set: true}},
		{f: fDisability, in: "4", want: value{i: 4, set: true}},
		{f: fDisability, in: "无", want: value{set: true}},
		{f: fDisability, in: "五级", bad: "残疾等级"},
		{f: fCultivated, in: "2.5亩", want: value{f: 2.5, set: true}},
		{f: fQuality, in: "/", want: value{}},
		{f: fName, in: "—", want: value{}},
		{f: fSafeWater, in: "乱写", want: value{s: "乱写", set: true}},
		{f: fPerCapita, in: "乱写", bad: "不是有效数字"},
		{f: fPerCapita, in: "9800元", want: value{i: 980000, set: true}},
	} {
		v, reason := parseCell(tc.f, tc.in)
		switch {
		case tc.bad != "" && !strings.Contains(reason, tc.bad):
			t.Errorf("%s %q = %+v, %q; want a reason with %q", fields[tc.f].name, tc.in, v, reason, tc.bad)
		case tc.bad == "" && (reason != "" || v != tc.want):
			t.Errorf("%s %q = %+v, %q; want %+v", fields[tc.f].name, tc.in, v, reason, tc.want)
		}
	}
}

func TestTrim(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a", "a ", "\u3000张三", "张三\u3000", "张三", "\u00a0x", "x\u00a0",
		"中\u2003", "（月）", "\t1\n", "é", " é "} {
		if got, want := trim(s), strings.TrimSpace(s); got != want {
			t.Errorf("trim(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestParseVillageCode(t *testing.T) {
	if v, reason := parseCell(fVillageCode, "500236266200.0"); reason != "" || v.s != "500236266200" {
		t.Errorf("500236266200.0 = %q, %q", v.s, reason)
	}
	if _, reason := parseCell(fVillageCode, "5.00236E+11"); !strings.Contains(reason, "村代码已被 Excel 转成科学计数法") {
		t.Errorf("5.00236E+11: %q", reason)
	}
}
