package layout

import (
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// codeTable maps every accepted spelling of a coded value to its code: the
// fupin label, the code itself, and the variants national and county files
// use. Lookups try the exact text first (exports use the labels), then the
// normalised text (full-width folded, spaces removed, simplified), then the
// normalised text without a trailing "(…)".
type codeTable struct {
	list fupin.CodeList
	m    map[string]string
	hint string // the labels, for messages
}

func newTable(list fupin.CodeList, synonyms map[string][]string) *codeTable {
	t := &codeTable{list: list, m: map[string]string{}}
	labels := make([]string, len(list.Items))
	for i, it := range list.Items {
		labels[i] = it.Label
		t.add(it.Label, it.Code)
		t.add(it.Code, it.Code)
		for _, s := range synonyms[it.Code] {
			t.add(s, it.Code)
		}
	}
	for _, s := range synonyms[""] { // spellings of "none" for optional codes
		t.add(s, "")
	}
	t.hint = strings.Join(labels, "、")
	if len(t.hint) > 120 && len(labels) > 8 {
		t.hint = strings.Join(labels[:8], "、") + " 等"
	}
	return t
}

func (t *codeTable) add(s, code string) {
	t.m[s] = code
	t.m[normValue(s)] = code
}

func (t *codeTable) lookup(s string) (string, bool) {
	if c, ok := t.m[s]; ok {
		return c, true
	}
	n := normValue(s)
	if c, ok := t.m[n]; ok {
		return c, true
	}
	if base, ok := cutBracketSuffix(n); ok {
		c, ok := t.m[base]
		return c, ok
	}
	return "", false
}

// unknown is the message for a value that is not in the table.
func (t *codeTable) unknown(v string) string {
	return "“" + v + "”不在“" + t.list.Label + "”代码表中，可填：" + t.hint
}

var (
	relations = newTable(fupin.Relations, map[string][]string{
		"head":             {"本人", "户主本人"},
		"spouse":           {"妻", "妻子", "夫", "丈夫", "之妻", "之夫", "爱人"},
		"son":              {"子", "儿子", "长子", "次子", "三子", "四子", "五子", "独子", "养子", "继子", "之长子", "之次子"},
		"daughter":         {"女", "女儿", "长女", "次女", "三女", "四女", "五女", "独女", "养女", "继女", "之长女", "之次女"},
		"son_in_law":       {"女婿", "婿"},
		"daughter_in_law":  {"儿媳", "儿媳妇", "媳", "之媳"},
		"grandson":         {"孙子", "孙", "外孙", "外孙子", "之外孙子", "之外孙"},
		"granddaughter":    {"孙女", "外孙女", "之外孙女"},
		"great_grandchild": {"曾孙", "曾孙子", "曾孙女", "曾孙子女", "之曾孙子", "之曾孙女", "之曾孙", "曾外孙子", "曾外孙女"},
		"father":           {"父亲", "父"},
		"mother":           {"母亲", "母"},
		"grandfather":      {"祖父", "爷爷", "外祖父"},
		"grandmother":      {"祖母", "奶奶", "外祖母"},
		"sibling": {"兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹",
			"之兄", "之弟", "之姐", "之妹", "之兄弟", "之姐妹"},
		"other": {"其它", "其他亲属", "其他关系"},
	})
	educations = newTable(fupin.Educations, map[string][]string{
		"preschool":  {"学龄前", "学前"},
		"illiterate": {"文盲", "半文盲", "文盲半文盲"},
		"primary":    {"小学文化"},
		"junior":     {"初中文化"},
		"senior":     {"高中文化"},
		"vocational": {"中专", "中职", "职高", "技校", "中专(中职)"},
		"college":    {"大专", "本科", "研究生", "硕士", "博士", "大学", "大学本科", "本科及以上"},
	})
	schoolStatuses = newTable(fupin.SchoolStatuses, schoolSynonyms())
	dropoutReasons = newTable(fupin.DropoutExemptions, map[string][]string{
		"illness": {"因病失学"}, "severe_disability": {"重度残疾送教上门"}, "other": {"其它"},
	})
	healthStatuses = newTable(fupin.HealthStatuses, map[string][]string{
		"healthy":  {"良好"},
		"chronic":  {"慢性病", "慢病", "患慢性病", "长期慢性病患者"},
		"serious":  {"大病", "重病", "重大疾病", "患重病"},
		"disabled": {"残疾人", "有残疾"},
	})
	labourSkills = newTable(fupin.LabourSkills, map[string][]string{
		"skilled": {"技能型劳动力"}, "ordinary": {"普通劳力"},
		"weak": {"弱劳动力", "半劳动力", "弱劳力", "半劳力"},
		"lost": {"丧失劳动能力"}, "none": {"无劳动能力"},
	})
	insurances = newTable(fupin.Insurances, map[string][]string{
		"resident": {"城乡居民基本医疗保险", "城乡居民医保", "居民医保", "城乡居民基本养老保险",
			"城乡居民养老保险", "居民养老保险", "城乡居民保险", "新农合", "新农保"},
		"employee": {"职工基本医疗保险", "职工医保", "城镇职工", "城镇职工基本医疗保险",
			"职工基本养老保险", "职工养老保险", "城镇职工养老保险"},
		"none": {"未参加", "未参保险", "否", "无"},
	})
	migrantPlaces = newTable(fupin.MigrantPlaces, map[string][]string{
		"in_county": {"县内务工"}, "in_province": {"省内县外务工", "县外省内"},
		"out_province": {"省外务工", "跨省"},
	})
	joinReasons = newTable(fupin.JoinReasons, map[string][]string{
		"registered": {"在册", "建档"}, "birth": {"新生儿"},
		"marriage": {"结婚", "嫁入", "娶入"}, "move_in": {"户口迁入"},
	})
	leaveReasons = newTable(fupin.LeaveReasons, map[string][]string{
		"death": {"去世", "病故"}, "move_out": {"户口迁出"},
		"marriage": {"嫁出", "出嫁", "婚出"}, "other": {"其它"},
	})
	householdTypes = newTable(fupin.HouseholdTypes, map[string][]string{
		"ordinary": {"一般农户", "一般户", "普通户", "非贫困户", "非建档立卡户"},
		"ex_poor":  {"脱贫户(已脱贫)", "已脱贫户", "已脱贫", "建档立卡脱贫户"},
	})
	povertyAttrs = newTable(fupin.PovertyAttrs, map[string][]string{
		"general": {"一般脱贫户"},
		"dibao":   {"低保户", "低保脱贫户", "低保(全家)", "低保(部分)", "低保"},
		"tekun":   {"特困供养贫困户", "特困户", "五保户", "五保贫困户", "特困供养", "特困供养脱贫户", "特困"},
	})
	monitorTypes = newTable(fupin.MonitorTypes, map[string][]string{
		"unstable": {"脱贫不稳定", "不稳定户"},
		"marginal": {"边缘易致贫", "边缘户"},
		"sudden":   {"突发严重困难", "严重困难户"},
		"":         {"无", "否", "非监测对象", "非监测户"},
	})
	eliminationModes = newTable(fupin.EliminationModes, map[string][]string{
		"assisted": {"帮扶消除", "帮扶后风险消除"},
		"natural":  {"自然消失", "自然消除", "风险自然消除"},
	})
	housingGrades = newTable(fupin.HousingGrades, map[string][]string{
		"A": {"A级(安全)", "a"}, "B": {"b"},
		"C": {"C级", "c", "局部危房"}, "D": {"D级", "d", "整幢危房"},
	})
	waterSupplies = newTable(fupin.WaterSupplies, map[string][]string{
		"centralized": {"集中", "集中式供水"}, "dispersed": {"分散", "分散式供水"},
	})
	roadTypes = newTable(fupin.RoadTypes, map[string][]string{
		"hardened": {"硬化", "水泥路", "沥青路", "柏油路"},
		"gravel":   {"沙石路", "砂石"},
		"dirt":     {"土路", "泥路"},
		"none":     {"无"},
	})
	risks = newTable(fupin.Risks, map[string][]string{
		"illness": {"因病致贫"}, "disability": {"因残致贫"}, "education": {"因学致贫"},
		"disaster": {"因灾", "因灾致贫", "自然灾害"}, "accident": {"意外事故", "因意外"},
		"unstable_job": {"务工就业不稳", "就业不稳"}, "lack_labour": {"缺劳力"},
		"transport": {"交通落后"}, "motivation": {"发展动力不足"},
		"industry": {"产业项目失败"}, "housing": {"住房安全问题"},
		"spending": {"刚性支出较大"}, "other": {"其它"},
	})
	ethnicities = ethnicityTable()
)

// schoolSynonyms spells out the grade-by-grade forms of 在校生状况 that
// national and county files use ("小学三年级", "七年级", "初二", "高一" …).
func schoolSynonyms() map[string][]string {
	cn := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九"}
	s := map[string][]string{
		"none":                 {"否", "无", "不在校", "非在校"},
		"preschool":            {"学前", "幼儿园", "学前班"},
		"primary":              {"小学在读", "小学生"},
		"junior":               {"初中", "初中在读", "初中生"},
		"senior":               {"高中", "高中在读", "高中生"},
		"secondary_vocational": {"中专", "职高", "技校", "中等职业教育"},
		"higher_vocational":    {"高职", "大专", "专科"},
		"undergraduate":        {"本科", "大学", "研究生", "硕士", "博士", "大学本科", "硕士研究生", "博士研究生"},
		"home_schooled":        {},
		"dropout":              {"失学", "辍学", "失辍学"},
	}
	for i := 0; i < 9; i++ {
		code := "primary"
		if i >= 6 {
			code = "junior"
		}
		n := strconv.Itoa(i + 1)
		s[code] = append(s[code], cn[i]+"年级", n+"年级")
		if i < 6 {
			s[code] = append(s[code], "小学"+cn[i]+"年级", "小学"+n+"年级")
		}
	}
	for i := 0; i < 3; i++ {
		n := strconv.Itoa(i + 1)
		s["junior"] = append(s["junior"], "初"+cn[i], "初中"+cn[i]+"年级", "初中"+n+"年级")
		s["senior"] = append(s["senior"], "高"+cn[i], "高中"+cn[i]+"年级", "高中"+n+"年级")
		s["secondary_vocational"] = append(s["secondary_vocational"], "中职"+cn[i]+"年级", "中职"+n+"年级")
		s["higher_vocational"] = append(s["higher_vocational"], "高职"+cn[i]+"年级", "高职"+n+"年级")
	}
	return s
}

// ethnicityTable accepts the 58 entries of fupin.Ethnicities and the short
// forms without 族 ("汉", "土家").
func ethnicityTable() *codeTable {
	list := fupin.CodeList{Name: "ethnicity", Label: "民族"}
	syn := map[string][]string{}
	for _, e := range fupin.Ethnicities {
		list.Items = append(list.Items, fupin.CodeItem{Code: e, Label: e})
		if short, ok := strings.CutSuffix(e, "族"); ok && short != "" {
			syn[e] = []string{short}
		}
	}
	syn["其他"] = append(syn["其他"], "其它")
	return newTable(list, syn)
}

// healthRank orders health codes for combined cells such as
// "残疾,长期慢性病": the most severe wins (see the package documentation).
func healthRank(code string) int {
	switch code {
	case "serious":
		return 3
	case "disabled":
		return 2
	case "chronic":
		return 1
	}
	return 0
}
