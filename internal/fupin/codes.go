package fupin

import "fmt"

// CodeItem is one entry of a code list: a stable English code for programs
// and the Chinese label people read and type in spreadsheets.
type CodeItem struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// CodeList is a closed list of allowed values for a coded field.
type CodeList struct {
	Name  string     `json:"name"`
	Label string     `json:"label"`
	Items []CodeItem `json:"items"`
}

// Has reports whether code is in the list.
func (l CodeList) Has(code string) bool {
	for _, it := range l.Items {
		if it.Code == code {
			return true
		}
	}
	return false
}

// LabelOf returns the Chinese label of code, or code itself when unknown.
func (l CodeList) LabelOf(code string) string {
	for _, it := range l.Items {
		if it.Code == code {
			return it.Label
		}
	}
	return code
}

// CodeOf maps a Chinese label (or a code) back to its code; ok is false when
// the value is in neither form.
func (l CodeList) CodeOf(labelOrCode string) (code string, ok bool) {
	for _, it := range l.Items {
		if it.Label == labelOrCode || it.Code == labelOrCode {
			return it.Code, true
		}
	}
	return "", false
}

// Check reports a list that lacks a name, a label or items, or has an item
// with an empty or repeated code or label (a label must map back to one
// code, as CodeOf reads spreadsheet cells). It is for tests of the lists.
func (l CodeList) Check() error {
	if l.Name == "" || l.Label == "" || len(l.Items) == 0 {
		return fmt.Errorf("code list %q (%s): no name, label or items", l.Name, l.Label)
	}
	codes, labels := map[string]bool{}, map[string]bool{}
	for _, it := range l.Items {
		if it.Code == "" || it.Label == "" || codes[it.Code] || labels[it.Label] {
			return fmt.Errorf("code list %s: item %+v is empty or repeats a code or label", l.Name, it)
		}
		codes[it.Code], labels[it.Label] = true, true
	}
	return nil
}

// The code lists of the registry. Labels follow the national 建档立卡 and
// 防返贫监测 forms.
var (
	HouseholdTypes = CodeList{"household_type", "户类型", []CodeItem{
		{"ordinary", "普通农户"}, {"ex_poor", "脱贫户"},
	}}
	PovertyAttrs = CodeList{"poverty_attr", "贫困户属性", []CodeItem{
		{"general", "一般贫困户"}, {"dibao", "低保贫困户"}, {"tekun", "特困供养户"},
	}}
	// MonitorTypes are the object categories a household can be monitored
	// under: the three of the transition period 2021–2025, then the 常态化
	// categories an area may configure from 2026 (which ones apply where
	// and when is monitor.CategoriesFor's business).
	MonitorTypes = CodeList{"monitor_type", "监测对象类型", []CodeItem{
		{"unstable", "脱贫不稳定户"}, {"marginal", "边缘易致贫户"}, {"sudden", "突发严重困难户"},
		{"prevent", "防止返贫致贫对象"}, {"dibao", "低保对象"}, {"tekun", "特困人员"}, {"dibao_edge", "低保边缘家庭"},
	}}
	Risks = CodeList{"risk", "致贫返贫风险", []CodeItem{
		{"illness", "因病"}, {"disability", "因残"}, {"education", "因学"}, {"disaster", "因自然灾害"},
		{"accident", "因意外事故"}, {"unstable_job", "因务工就业不稳"}, {"lack_labour", "缺劳动力"},
		{"lack_skill", "缺技术"}, {"lack_funds", "缺资金"}, {"lack_land", "缺土地"}, {"lack_water", "缺水"},
		{"transport", "交通条件落后"}, {"motivation", "自身发展动力不足"}, {"industry", "因产业项目失败"},
		{"housing", "住房出现安全问题"}, {"water", "饮水安全问题"}, {"spending", "刚性支出过大"}, {"other", "其他"},
	}}
	EliminationModes = CodeList{"elimination_mode", "风险消除方式", []CodeItem{
		{"assisted", "帮扶后消除"}, {"natural", "风险自然消失"},
	}}
	HousingGrades = CodeList{"housing_grade", "危房等级", []CodeItem{
		{"A", "A级"}, {"B", "B级"}, {"C", "C级（局部危房）"}, {"D", "D级（整幢危房）"},
	}}
	WaterSupplies = CodeList{"water_supply", "供水方式", []CodeItem{
		{"centralized", "集中供水"}, {"dispersed", "分散供水"},
	}}
	RoadTypes = CodeList{"road_type", "入户路类型", []CodeItem{
		{"hardened", "硬化路"}, {"gravel", "砂石路"}, {"dirt", "泥土路"}, {"none", "无入户路"},
	}}
	Relations = CodeList{"relation", "与户主关系", []CodeItem{
		{"head", "户主"}, {"spouse", "配偶"}, {"son", "之子"}, {"daughter", "之女"},
		{"son_in_law", "之女婿"}, {"daughter_in_law", "之儿媳"}, {"grandson", "之孙子"},
		{"granddaughter", "之孙女"}, {"great_grandchild", "之曾孙子女"}, {"father", "之父"},
		{"mother", "之母"}, {"grandfather", "之祖父"}, {"grandmother", "之祖母"},
		{"sibling", "之兄弟姐妹"}, {"other", "其他"},
	}}
	Educations = CodeList{"education", "文化程度", []CodeItem{
		{"preschool", "学龄前儿童"}, {"illiterate", "文盲或半文盲"}, {"primary", "小学"},
		{"junior", "初中"}, {"senior", "高中"}, {"vocational", "中专（中职）"}, {"college", "大专及以上"},
	}}
	SchoolStatuses = CodeList{"school_status", "在校生状况", []CodeItem{
		{"none", "非在校生"}, {"preschool", "学前教育"}, {"primary", "小学"}, {"junior", "七年级至九年级"},
		{"senior", "普通高中"}, {"secondary_vocational", "中职"}, {"higher_vocational", "高职高专"},
		{"undergraduate", "本科及以上"}, {"home_schooled", "送教上门"}, {"dropout", "失学辍学"},
	}}
	DropoutExemptions = CodeList{"dropout_exemption", "失辍学原因", []CodeItem{
		{"illness", "因病"}, {"severe_disability", "重度残疾"}, {"other", "其他"},
	}}
	HealthStatuses = CodeList{"health", "健康状况", []CodeItem{
		{"healthy", "健康"}, {"chronic", "长期慢性病"}, {"serious", "患大病"}, {"disabled", "残疾"},
	}}
	LabourSkills = CodeList{"labour", "劳动技能", []CodeItem{
		{"skilled", "技能劳动力"}, {"ordinary", "普通劳动力"}, {"weak", "弱劳动力或半劳动力"},
		{"lost", "丧失劳动力"}, {"none", "无劳动力"},
	}}
	Insurances = CodeList{"insurance", "基本保险", []CodeItem{
		{"resident", "城乡居民"}, {"employee", "职工"}, {"none", "未参保"},
	}}
	MigrantPlaces = CodeList{"migrant_place", "务工地点", []CodeItem{
		{"in_county", "县内"}, {"in_province", "省内县外"}, {"out_province", "省外"},
	}}
	JoinReasons = CodeList{"join_reason", "增员原因", []CodeItem{
		{"registered", "建档时在册"}, {"birth", "出生"}, {"marriage", "婚入"}, {"move_in", "迁入"},
	}}
	LeaveReasons = CodeList{"leave_reason", "减员原因", []CodeItem{
		{"death", "死亡"}, {"move_out", "迁出"}, {"marriage", "婚嫁"}, {"other", "其他"},
	}}
	Sexes = CodeList{"sex", "性别", []CodeItem{{"male", "男"}, {"female", "女"}}}
	// IncomeCategories are the four components of income plus the lines
	// that are not income but enter the calculations.
	IncomeCategories = CodeList{"income_category", "收支类别", []CodeItem{
		{"wage", "工资性收入"}, {"business", "生产经营性收入"}, {"property", "财产性收入"},
		{"transfer", "转移性收入"}, {"business_expense", "生产经营性支出"},
	}}
)

// AllCodeLists lists every code list, for the API and the console's pickers.
func AllCodeLists() []CodeList {
	return []CodeList{HouseholdTypes, PovertyAttrs, MonitorTypes, Risks, EliminationModes,
		HousingGrades, WaterSupplies, RoadTypes, Relations, Educations, SchoolStatuses,
		DropoutExemptions, HealthStatuses, LabourSkills, Insurances, MigrantPlaces,
		JoinReasons, LeaveReasons, Sexes, IncomeCategories}
}

// Ethnicities are the 56 nationalities as written on 户口簿, plus the two
// residual entries the forms use.
var Ethnicities = []string{
	"汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
	"满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
	"佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
	"达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
	"塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
	"独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他", "外国血统中国籍人士",
}

// IsEthnicity reports whether s is one of Ethnicities.
func IsEthnicity(s string) bool {
	for _, e := range Ethnicities {
		if e == s {
			return true
		}
	}
	return false
}
