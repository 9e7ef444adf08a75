package criteria

import (
	"bytes"
	"encoding/json"

	"fupin/internal/fupin"
)

// Fact is one household fact a rule used. It is a compact typed value of 32
// bytes whose only pointer is the member name, so that evaluation builds no
// strings and writes few pointers. JSON renders it as
// {"name","label","member","value","display","flag"}: value is null for a
// missing fact, a boolean, a number (money in yuan) or a code; display is the
// code's Chinese label.
type Fact struct {
	Name FactName
	Kind FactKind
	// Flag marks the facts that made the rule fail or stay unknown.
	Flag Flag
	// Code is the index of a ValueCode value in Name.Codes().
	Code uint8
	// Num holds ValueBool (0/1), ValueInt, ValueNumber and ValueMoney (in
	// fen) values.
	Num float64
	// Member is the member's name for member facts.
	Member string
}

// FactKind is the type of a Fact's value.
type FactKind uint8

// Fact kinds.
const (
	ValueMissing FactKind = iota // not recorded
	ValueBool
	ValueInt
	ValueNumber
	ValueMoney   // Num in fen
	ValueCode    // a code of Name.Codes(), by index
	ValueInvalid // a code that is not in Name.Codes(); the value is not kept
)

// Flag marks a decisive fact.
type Flag uint8

// Flags: FlagFail facts made the rule fail, FlagUnknown facts left it unknown.
const (
	FlagNone Flag = iota
	FlagFail
	FlagUnknown
)

// FactName identifies a fact; String gives its stable English name.
type FactName uint8

// Fact names.
const (
	FactFoodSecure FactName = iota + 1
	FactClothingSecure
	FactAge
	FactSchoolStatus
	FactDropoutExemption
	FactMedicalInsurance
	FactHousingGrade
	FactRelocated
	FactOtherSafeHome
	FactInstitutionalCare
	FactLitresPerDay
	FactScarceArea
	FactQualityOK
	FactTapAtHome
	FactFetchMinutes
	FactFetchDistance
	FactFetchVertical
	FactDaysWithoutSupply
	FactBasisStatus
	FactPerCapitaNet
	FactNet
	FactSize
	FactOutOfPocket
	FactPrevPerCapitaNet
	FactHealth
	FactDisabilityGrade
	FactLabour
	numFactNames
)

// statusCodes lets a Status be a coded fact value.
var statusCodes = fupin.CodeList{Name: "status", Label: "结果", Items: []fupin.CodeItem{
	{Code: string(Pass), Label: "达标"}, {Code: string(Fail), Label: "未达标"}, {Code: string(Unknown), Label: "待核实"},
}}

var factMeta = [numFactNames]struct {
	name, label string
	codes       *fupin.CodeList
}{
	FactFoodSecure:        {"basics.food_secure", "不愁吃", nil},
	FactClothingSecure:    {"basics.clothing_secure", "不愁穿", nil},
	FactAge:               {"member.age", "年龄（周岁）", nil},
	FactSchoolStatus:      {"member.school_status", "在校生状况", &fupin.SchoolStatuses},
	FactDropoutExemption:  {"member.dropout_exemption", "失辍学原因", &fupin.DropoutExemptions},
	FactMedicalInsurance:  {"member.medical_insurance", "基本医疗保险", &fupin.Insurances},
	FactHousingGrade:      {"housing.grade", "危房等级", &fupin.HousingGrades},
	FactRelocated:         {"housing.relocated", "易地扶贫搬迁", nil},
	FactOtherSafeHome:     {"housing.other_safe_home", "另有安全住房", nil},
	FactInstitutionalCare: {"housing.institutional_care", "集中供养", nil},
	FactLitresPerDay:      {"water.litres_per_day", "水量（升/人·天）", nil},
	FactScarceArea:        {"water.scarce_area", "缺水地区", nil},
	FactQualityOK:         {"water.quality_ok", "水质合格", nil},
	FactTapAtHome:         {"water.tap_at_home", "自来水入户", nil},
	FactFetchMinutes:      {"water.fetch_minutes", "单次取水往返时间（分钟）", nil},
	FactFetchDistance:     {"water.fetch_distance_m", "取水水平距离（米）", nil},
	FactFetchVertical:     {"water.fetch_vertical_m", "取水垂直距离（米）", nil},
	FactDaysWithoutSupply: {"water.days_without_supply", "全年缺水天数", nil},
	FactBasisStatus:       {"standard.basis_status", "一达标所依据项目的结果", &statusCodes},
	FactPerCapitaNet:      {"income.per_capita_net", "人均纯收入（元）", nil},
	FactNet:               {"income.net", "家庭纯收入（元）", nil},
	FactSize:              {"income.size", "年末在册人数", nil},
	FactOutOfPocket:       {"income.eligible_out_of_pocket", "合规自付支出（元）", nil},
	FactPrevPerCapitaNet:  {"income.prev_per_capita_net", "上年人均纯收入（元）", nil},
	FactHealth:            {"member.health", "健康状况", &fupin.HealthStatuses},
	FactDisabilityGrade:   {"member.disability_grade", "残疾等级", nil},
	FactLabour:            {"member.labour", "劳动技能", &fupin.LabourSkills},
}

// String returns the stable English name, such as "water.litres_per_day".
func (n FactName) String() string {
	if n < numFactNames {
		return factMeta[n].name
	}
	return ""
}

// Label returns the Chinese label.
func (n FactName) Label() string {
	if n < numFactNames {
		return factMeta[n].label
	}
	return ""
}

// Codes returns the code list of a coded fact, nil otherwise.
func (n FactName) Codes() *fupin.CodeList {
	if n < numFactNames {
		return factMeta[n].codes
	}
	return nil
}

func parseFactName(s string) FactName {
	for i := FactName(1); i < numFactNames; i++ {
		if factMeta[i].name == s {
			return i
		}
	}
	return 0
}

// Text returns the code of a ValueCode fact, "" otherwise.
func (f Fact) Text() string {
	if l := f.Name.Codes(); f.Kind == ValueCode && l != nil && int(f.Code) < len(l.Items) {
		return l.Items[f.Code].Code
	}
	return ""
}

// display returns the Chinese label of a ValueCode fact's code, "" otherwise.
func (f Fact) display() string {
	if l := f.Name.Codes(); f.Kind == ValueCode && l != nil && int(f.Code) < len(l.Items) {
		return l.Items[f.Code].Label
	}
	return ""
}

// Value returns the fact's value as nil (ValueMissing, ValueInvalid), bool, int,
// float64, fupin.Money or the code string.
func (f Fact) Value() any {
	switch f.Kind {
	case ValueBool:
		return f.Num != 0
	case ValueInt:
		return int(f.Num)
	case ValueNumber:
		return f.Num
	case ValueMoney:
		return fupin.Money(f.Num)
	case ValueCode:
		return f.Text()
	}
	return nil
}

// setCode records v as a code of the fact's list: ValueMissing when empty,
// ValueInvalid when not in the list.
func (f *Fact) setCode(v string) *Fact {
	if v == "" {
		return f
	}
	f.Kind = ValueInvalid
	if l := f.Name.Codes(); l != nil {
		for i := range l.Items {
			if c := l.Items[i].Code; len(c) == len(v) && c[0] == v[0] && c == v {
				f.Kind, f.Code = ValueCode, uint8(i)
				return f
			}
		}
	}
	return f
}

// factJSON is the wire form of a Fact. Value is nil, bool, float64 or a
// string when encoding and raw JSON when decoding.
type factJSON struct {
	Name    string `json:"name"`
	Label   string `json:"label"`
	Member  string `json:"member,omitempty"`
	Value   any    `json:"value"`
	Display string `json:"display,omitempty"`
	Flag    string `json:"flag,omitempty"`
}

func (f Fact) wire() factJSON {
	out := factJSON{Name: f.Name.String(), Label: f.Name.Label(), Member: f.Member, Flag: f.Flag.String()}
	switch f.Kind {
	case ValueBool:
		out.Value = f.Num != 0
	case ValueInt, ValueNumber:
		out.Value = f.Num
	case ValueMoney:
		out.Value = fupin.Money(f.Num).Yuan()
	case ValueCode:
		out.Value, out.Display = f.Text(), f.display()
	case ValueInvalid:
		out.Display = "代码无效"
	}
	return out
}

// MarshalJSON writes the fact with its Chinese label.
func (f Fact) MarshalJSON() ([]byte, error) { return json.Marshal(f.wire()) }

// UnmarshalJSON reads what MarshalJSON wrote. Numbers come back as ValueNumber
// (money in yuan), since JSON does not carry the finer kind.
func (f *Fact) UnmarshalJSON(b []byte) error {
	var raw json.RawMessage
	in := factJSON{Value: &raw}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*f = Fact{Name: parseFactName(in.Name), Member: in.Member, Flag: parseFlag(in.Flag)}
	v := bytes.TrimSpace(raw)
	switch {
	case in.Display == "代码无效":
		f.Kind = ValueInvalid
	case len(v) == 0 || string(v) == "null":
	case string(v) == "true" || string(v) == "false":
		f.Kind, f.Num = ValueBool, b2f(string(v) == "true")
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return err
		}
		f.setCode(s)
	default:
		f.Kind = ValueNumber
		return json.Unmarshal(v, &f.Num)
	}
	return nil
}

// String returns "fail", "unknown" or "".
func (g Flag) String() string {
	switch g {
	case FlagFail:
		return "fail"
	case FlagUnknown:
		return "unknown"
	}
	return ""
}

func parseFlag(s string) Flag {
	switch s {
	case "fail":
		return FlagFail
	case "unknown":
		return FlagUnknown
	}
	return FlagNone
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
