package criteria

import "fupin/internal/fupin"

// Kind is the value type of a parameter.
type Kind string

// Parameter kinds. Values are always stored as text; Integer and Number
// values are decimal numbers, Enum values one of Def.Enum's codes.
const (
	KindInteger Kind = "integer"
	KindNumber  Kind = "number"
	KindEnum    Kind = "enum"
)

// Parameter keys. They are stable: stored rows and verdicts refer to them.
const (
	KeyEduAgeMin            = "edu_age_min"
	KeyEduAgeMax            = "edu_age_max"
	KeyWaterMinLPD          = "water_min_lpd"
	KeyWaterMinLPDScarce    = "water_min_lpd_scarce"
	KeyWaterFetchMaxMinutes = "water_fetch_max_minutes"
	KeyWaterFetchMaxMetres  = "water_fetch_max_distance_m"
	KeyWaterFetchMaxClimb   = "water_fetch_max_vertical_m"
	KeyWaterMaxDaysWithout  = "water_max_days_without_supply"
	KeyYidabiaoBasis        = "yidabiao_basis"
	KeyMonitoringLine       = "monitoring_line"
	KeyPovertyLine          = "poverty_line"
	KeyHighSpendingRatio    = "high_spending_ratio"
	KeyIncomeDropRatio      = "income_drop_ratio"
	KeyDisabilityMaxGrade   = "disability_max_grade"
)

// Def describes one policy parameter: what it means, its type and range, its
// built-in default and where that default comes from.
type Def struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
	Kind  Kind   `json:"kind"`
	// Min and Max bound Integer and Number values (inclusive unless
	// MinExclusive is set).
	Min          float64 `json:"min"`
	Max          float64 `json:"max"`
	MinExclusive bool    `json:"min_exclusive,omitempty"`
	// Decimals is the most decimal places a Number may have.
	Decimals int              `json:"decimals,omitempty"`
	Enum     []fupin.CodeItem `json:"enum,omitempty"`
	Default  string           `json:"default"`
	// Source names the policy document the default comes from, or says
	// that no document was found and the value must be configured.
	Source string `json:"source"`
}

// pk indexes a parameter in defs; the order of defs is the order of keys in
// Params.All and in the Version hash.
type pk uint8

const (
	pEduAgeMin pk = iota
	pEduAgeMax
	pWaterMinLPD
	pWaterMinLPDScarce
	pWaterFetchMinutes
	pWaterFetchMetres
	pWaterFetchClimb
	pWaterMaxDays
	pYidabiaoBasis
	pMonitoringLine
	pPovertyLine
	pHighSpendingRatio
	pIncomeDropRatio
	pDisabilityMaxGrade
	numParams
)

// Basis values of the 一达标 criterion.
const (
	BasisWater  = "water"
	BasisIncome = "income"
)

const (
	srcWater = "重庆市 2023 农村饮水安全评价准则（城口县水利局发布）"
	srcEdu   = "义务教育适龄 6–15 周岁（控辍保学；据二手来源，可配置）"
)

var defs = [numParams]Def{
	pEduAgeMin: {Key: KeyEduAgeMin, Label: "义务教育适龄下限", Unit: "周岁", Kind: KindInteger,
		Min: 3, Max: 15, Default: "6", Source: srcEdu},
	pEduAgeMax: {Key: KeyEduAgeMax, Label: "义务教育适龄上限", Unit: "周岁", Kind: KindInteger,
		Min: 6, Max: 20, Default: "15", Source: srcEdu},
	pWaterMinLPD: {Key: KeyWaterMinLPD, Label: "水量标准", Unit: "升/人·天", Kind: KindNumber,
		Min: 1, Max: 500, Decimals: 1, Default: "35", Source: "水量 ≥ 35 升/人·天，" + srcWater},
	pWaterMinLPDScarce: {Key: KeyWaterMinLPDScarce, Label: "缺水地区水量标准", Unit: "升/人·天",
		Kind: KindNumber, Min: 1, Max: 500, Decimals: 1, Default: "20",
		Source: "缺水地区水量 ≥ 20 升/人·天，" + srcWater},
	pWaterFetchMinutes: {Key: KeyWaterFetchMaxMinutes, Label: "单次取水往返时间上限", Unit: "分钟",
		Kind: KindNumber, Min: 1, Max: 240, Decimals: 1, Default: "20",
		Source: "取水往返 ≤ 20 分钟，" + srcWater},
	pWaterFetchMetres: {Key: KeyWaterFetchMaxMetres, Label: "取水水平距离上限", Unit: "米",
		Kind: KindNumber, Min: 1, Max: 20000, Decimals: 1, Default: "800",
		Source: "水平距离 ≤ 800 米，" + srcWater},
	pWaterFetchClimb: {Key: KeyWaterFetchMaxClimb, Label: "取水垂直距离上限", Unit: "米",
		Kind: KindNumber, Min: 1, Max: 5000, Decimals: 1, Default: "80",
		Source: "垂直距离 ≤ 80 米，" + srcWater},
	pWaterMaxDays: {Key: KeyWaterMaxDaysWithout, Label: "全年缺水天数上限", Unit: "天",
		Kind: KindInteger, Min: 0, Max: 366, Default: "36",
		Source: "供水保障率：全年断水或供水不足 ≤ 36 天，" + srcWater},
	pYidabiaoBasis: {Key: KeyYidabiaoBasis, Label: "一达标口径", Unit: "", Kind: KindEnum,
		Enum:    []fupin.CodeItem{{Code: BasisWater, Label: "饮水安全达标"}, {Code: BasisIncome, Label: "收入达标"}},
		Default: BasisWater,
		Source:  "重庆“一达标”含义未证实，默认按饮水安全，可选收入"},
	pMonitoringLine: {Key: KeyMonitoringLine, Label: "防返贫监测线", Unit: "元/人·年", Kind: KindNumber,
		Min: 0, Max: 1000000, Decimals: 2, Default: "6000",
		Source: "重庆 2021 年人均纯收入 6000 元（巫溪县落实渝委农组〔2021〕6号，官方）；" +
			"2022 年起各年数值未找到，由管理员逐年录入"},
	pPovertyLine: {Key: KeyPovertyLine, Label: "扶贫标准（现价）", Unit: "元/人·年", Kind: KindNumber,
		Min: 0, Max: 1000000, Decimals: 2, Default: "4000",
		Source: "2010 年不变价 2300 元，2020 年现价约 4000 元（二手来源，国家统计局原文未找到）"},
	pHighSpendingRatio: {Key: KeyHighSpendingRatio, Label: "刚性支出预警比例", Unit: "合规自付支出 ÷ 家庭纯收入",
		Kind: KindNumber, Min: 0, MinExclusive: true, Max: 10, Decimals: 3, Default: "0.5",
		Source: "未证实：监测“刚性支出骤增”的比例无公开统一标准，默认 0.5 仅为起始值，" +
			"须按本地文件配置"},
	pIncomeDropRatio: {Key: KeyIncomeDropRatio, Label: "收入骤减预警降幅", Unit: "较上年人均纯收入的比例",
		Kind: KindNumber, Min: 0, MinExclusive: true, Max: 1, Decimals: 3, Default: "0.3",
		Source: "未证实：监测“收入大幅缩减”的降幅无公开统一标准，默认 0.3 仅为起始值，" +
			"须按本地文件配置"},
	pDisabilityMaxGrade: {Key: KeyDisabilityMaxGrade, Label: "残疾预警等级上限", Unit: "级",
		Kind: KindInteger, Min: 1, Max: 4, Default: "4",
		Source: "重点关注残疾人，尤其重度残疾（1–2 级）；默认 4 即所有等级都预警，" +
			"设为 2 只预警重度（可配置）"},
}

// Defs returns the parameter table in a stable order, for the admin API and
// documentation. The slice is a copy.
func Defs() []Def {
	out := make([]Def, numParams)
	copy(out, defs[:])
	return out
}

// LookupDef returns the definition of key.
func LookupDef(key string) (Def, bool) {
	if i, ok := keyIndex(key); ok {
		return defs[i], true
	}
	return Def{}, false
}

func keyIndex(key string) (pk, bool) {
	for i := range defs {
		if defs[i].Key == key {
			return pk(i), true
		}
	}
	return 0, false
}
