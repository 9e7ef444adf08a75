package fupin

import (
	"regexp"
	"strings"
	"time"
)

// Household is the unit every rule is applied to.
// Nested groups (land, housing, water, living, basics) are stored flat.
// Pointer fields are facts that may be unrecorded; the policy engine treats
// an unrecorded fact as "unknown", never as a pass.
type Household struct {
	ID             int64    `json:"id" readOnly:"true"`
	HouseholdNo    string   `json:"household_no" description:"户编号（国家系统编号），可空"`
	VillageCode    string   `json:"village_code" description:"所在村 12 位统计用区划代码" required:"true"`
	NaturalVillage string   `json:"natural_village"`
	Address        string   `json:"address"`
	Phone          string   `json:"phone"`
	Type           string   `json:"household_type" description:"户类型 code list household_type" required:"true"`
	PovertyAttr    string   `json:"poverty_attr" description:"贫困户属性（仅脱贫户）"`
	MonitorType    string   `json:"monitor_type" description:"监测对象类型，空为非监测户"`
	Risks          []string `json:"risks" description:"致贫/返贫风险，最多 5 项"`
	// IdentifiedOn is the first identification date (首次识别时间).
	IdentifiedOn Date `json:"identified_on"`
	// ExitedOn is the date a 脱贫户 left poverty (2014–2020 history).
	ExitedOn Date `json:"exited_on"`
	// MonitorIdentifiedOn is when the household became a monitoring object.
	MonitorIdentifiedOn Date   `json:"monitor_identified_on"`
	RiskEliminatedOn    Date   `json:"risk_eliminated_on"`
	EliminationMode     string `json:"elimination_mode"`

	Land    Land    `json:"land"`
	Housing Housing `json:"housing"`
	Water   Water   `json:"water"`
	Living  Living  `json:"living"`
	Basics  Basics  `json:"basics"`

	Version      int64      `json:"version" description:"乐观锁版本号，修改时必须带回"`
	CreatedAt    time.Time  `json:"created_at" readOnly:"true"`
	UpdatedAt    time.Time  `json:"updated_at" readOnly:"true"`
	DeletedAt    *time.Time `json:"deleted_at,omitempty" readOnly:"true"`
	DeleteReason string     `json:"delete_reason,omitempty" readOnly:"true"`

	// HeadName and Size describe the current members; the server fills them.
	HeadName string `json:"head_name" readOnly:"true"`
	Size     int    `json:"size" readOnly:"true"`

	Members []Member     `json:"members,omitempty"`
	Incomes []IncomeYear `json:"incomes,omitempty" readOnly:"true"`
}

// Land holds areas in 亩.
type Land struct {
	Cultivated float64 `json:"cultivated" description:"耕地（亩）"`
	Forest     float64 `json:"forest" description:"林地（亩）"`
	Returned   float64 `json:"returned" description:"退耕还林（亩）"`
	Orchard    float64 `json:"orchard" description:"林果（亩）"`
	Pasture    float64 `json:"pasture" description:"牧草地（亩）"`
	WaterArea  float64 `json:"water_area" description:"水面（亩）"`
}

// Housing holds what 住房安全 is judged on.
type Housing struct {
	AreaM2            *float64 `json:"area_m2" description:"住房面积（平方米）"`
	Grade             string   `json:"grade" description:"危房等级 A/B/C/D，空为未鉴定"`
	Relocated         bool     `json:"relocated" description:"易地扶贫搬迁（已交钥匙）"`
	OtherSafeHome     bool     `json:"other_safe_home" description:"另有安全住房"`
	InstitutionalCare bool     `json:"institutional_care" description:"集中供养"`
}

// Water holds what 饮水安全 is judged on (Chongqing 2023 check).
type Water struct {
	Supply            string   `json:"supply" description:"集中供水 / 分散供水"`
	LitresPerDay      *float64 `json:"litres_per_day" description:"水量（升/人·天）"`
	ScarceArea        bool     `json:"scarce_area" description:"缺水地区"`
	QualityOK         *bool    `json:"quality_ok" description:"水质有检测报告或现场检查合格"`
	TapAtHome         *bool    `json:"tap_at_home" description:"自来水入户"`
	FetchMinutes      *float64 `json:"fetch_minutes" description:"单次取水往返时间（分钟）"`
	FetchDistanceM    *float64 `json:"fetch_distance_m" description:"取水水平距离（米）"`
	FetchVerticalM    *float64 `json:"fetch_vertical_m" description:"取水垂直距离（米）"`
	DaysWithoutSupply *int     `json:"days_without_supply" description:"全年缺水天数"`
}

// Living holds 水电路讯 facts other than water.
type Living struct {
	Electricity    bool     `json:"electricity" description:"通生活用电"`
	RadioTV        bool     `json:"radio_tv" description:"通广播电视"`
	Broadband      bool     `json:"broadband" description:"通宽带"`
	RoadType       string   `json:"road_type" description:"入户路类型"`
	RoadDistanceKm *float64 `json:"road_distance_km" description:"与村主干路距离（公里）"`
}

// Basics is what the visiting cadre records for 不愁吃 / 不愁穿.
type Basics struct {
	FoodSecure     *bool  `json:"food_secure" description:"不愁吃"`
	ClothingSecure *bool  `json:"clothing_secure" description:"不愁穿"`
	Note           string `json:"note"`
	CheckedOn      Date   `json:"checked_on"`
}

// Deleted reports whether the household was soft-deleted.
func (h *Household) Deleted() bool { return h.DeletedAt != nil }

var (
	phonePattern       = regexp.MustCompile(`^[0-9+][0-9\-]{6,19}$`)
	householdNoPattern = regexp.MustCompile(`^[0-9A-Za-z\-]{1,32}$`)
)

// Normalize trims text fields and canonicalises phone numbers in place.
func (h *Household) Normalize() {
	h.HouseholdNo = strings.TrimSpace(h.HouseholdNo)
	h.VillageCode = strings.TrimSpace(h.VillageCode)
	h.NaturalVillage = strings.TrimSpace(h.NaturalVillage)
	h.Address = strings.TrimSpace(h.Address)
	h.Phone = NormalizePhone(h.Phone)
	if h.Risks == nil {
		h.Risks = []string{}
	}
}

// NormalizePhone removes spaces and turns full-width digits into ASCII; a
// mobile number however written ("+86 139-1234-0000", "0086 13912340000",
// "(139)12340000") becomes its 11 digits, so that masking and searching
// see one form.
func NormalizePhone(s string) string {
	s = normalizePhoneChars(s)
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == '-' || r == '(' || r == ')' || r == '.' || r == '+':
			return -1
		}
		return 'x'
	}, s)
	switch {
	case len(digits) == 13 && strings.HasPrefix(digits, "86"):
		digits = digits[2:]
	case len(digits) == 15 && strings.HasPrefix(digits, "0086"):
		digits = digits[4:]
	}
	if len(digits) == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9' && !strings.Contains(digits, "x") {
		return digits
	}
	return s
}

func normalizePhoneChars(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == ' ' || r == '\u3000' || r == '\t':
		case r == '－' || r == '—':
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ValidateFields checks the household's own fields (not its members) and
// adds every problem to errs. today bounds dates.
func (h *Household) ValidateFields(errs FieldErrors, today Date) {
	if h.HouseholdNo != "" && !householdNoPattern.MatchString(h.HouseholdNo) {
		errs.Add("household_no", "户编号只能包含数字、字母和连字符，最长 32 位")
	}
	if len(h.VillageCode) != 12 || strings.Trim(h.VillageCode, "0123456789") != "" {
		errs.Add("village_code", "所在村应为 12 位村级统计用区划代码")
	}
	if h.Phone != "" && !phonePattern.MatchString(h.Phone) {
		errs.Add("phone", "联系电话格式不正确")
	}
	checkCode(errs, "household_type", h.Type, HouseholdTypes, true)
	checkCode(errs, "poverty_attr", h.PovertyAttr, PovertyAttrs, false)
	checkCode(errs, "monitor_type", h.MonitorType, MonitorTypes, false)
	checkCode(errs, "elimination_mode", h.EliminationMode, EliminationModes, false)
	if h.Type == "ordinary" && h.PovertyAttr != "" {
		errs.Add("poverty_attr", "普通农户没有贫困户属性")
	}
	if h.Type == "ordinary" && !h.ExitedOn.IsZero() {
		errs.Add("exited_on", "普通农户没有脱贫时间")
	}
	if h.MonitorType == "unstable" && h.Type != "ex_poor" {
		errs.Add("monitor_type", "脱贫不稳定户必须是脱贫户")
	}
	if h.MonitorType == "marginal" && h.Type != "ordinary" {
		errs.Add("monitor_type", "边缘易致贫户必须是普通农户（从未建档立卡）")
	}
	h.validateRisks(errs)
	h.validateDates(errs, today)
	h.validateFacts(errs)
}

func (h *Household) validateRisks(errs FieldErrors) {
	if len(h.Risks) > 5 {
		errs.Add("risks", "致贫/返贫风险最多填 5 项")
	}
	seen := map[string]bool{}
	for i, r := range h.Risks {
		p := "risks[" + itoa(i) + "]"
		if !Risks.Has(r) {
			errs.Add(p, "不在致贫/返贫风险代码表中："+r)
		} else if seen[r] {
			errs.Add(p, "风险重复："+Risks.LabelOf(r))
		}
		seen[r] = true
	}
}

func (h *Household) validateDates(errs FieldErrors, today Date) {
	for path, d := range map[string]Date{
		"identified_on": h.IdentifiedOn, "exited_on": h.ExitedOn,
		"monitor_identified_on": h.MonitorIdentifiedOn, "risk_eliminated_on": h.RiskEliminatedOn,
		"basics.checked_on": h.Basics.CheckedOn,
	} {
		if d.After(today) {
			errs.Add(path, "日期不能晚于今天")
		}
	}
	if !h.ExitedOn.IsZero() && h.ExitedOn.Before(h.IdentifiedOn) {
		errs.Add("exited_on", "脱贫时间不能早于首次识别时间")
	}
	if h.MonitorType == "" && (!h.MonitorIdentifiedOn.IsZero() || !h.RiskEliminatedOn.IsZero()) {
		errs.Add("monitor_type", "填写了监测识别或风险消除时间，但未填写监测对象类型")
	}
	// The mode of an elimination is not required: the national lists carry
	// the date (风险消除时间) but not the mode.
	if h.EliminationMode != "" && h.RiskEliminatedOn.IsZero() {
		errs.Add("risk_eliminated_on", "填写了风险消除方式，但未填写风险消除时间")
	}
	if !h.RiskEliminatedOn.IsZero() && h.RiskEliminatedOn.Before(h.MonitorIdentifiedOn) {
		errs.Add("risk_eliminated_on", "风险消除时间不能早于监测识别时间")
	}
}

func (h *Household) validateFacts(errs FieldErrors) {
	land := map[string]float64{"land.cultivated": h.Land.Cultivated, "land.forest": h.Land.Forest,
		"land.returned": h.Land.Returned, "land.orchard": h.Land.Orchard,
		"land.pasture": h.Land.Pasture, "land.water_area": h.Land.WaterArea}
	for p, v := range land {
		checkRange(errs, p, v, 0, 100000, "亩")
	}
	checkOptRange(errs, "housing.area_m2", h.Housing.AreaM2, 0, 10000, "平方米")
	checkCode(errs, "housing.grade", h.Housing.Grade, HousingGrades, false)
	checkCode(errs, "water.supply", h.Water.Supply, WaterSupplies, false)
	checkOptRange(errs, "water.litres_per_day", h.Water.LitresPerDay, 0, 2000, "升")
	checkOptRange(errs, "water.fetch_minutes", h.Water.FetchMinutes, 0, 1440, "分钟")
	checkOptRange(errs, "water.fetch_distance_m", h.Water.FetchDistanceM, 0, 100000, "米")
	checkOptRange(errs, "water.fetch_vertical_m", h.Water.FetchVerticalM, 0, 5000, "米")
	if d := h.Water.DaysWithoutSupply; d != nil && (*d < 0 || *d > 366) {
		errs.Add("water.days_without_supply", "全年缺水天数应在 0–366 之间")
	}
	checkCode(errs, "living.road_type", h.Living.RoadType, RoadTypes, false)
	checkOptRange(errs, "living.road_distance_km", h.Living.RoadDistanceKm, 0, 1000, "公里")
}

func checkCode(errs FieldErrors, path, v string, l CodeList, required bool) {
	switch {
	case v == "" && required:
		errs.Add(path, l.Label+"不能为空")
	case v != "" && !l.Has(v):
		errs.Add(path, l.Label+"不在代码表中："+v)
	}
}

func checkRange(errs FieldErrors, path string, v, lo, hi float64, unit string) {
	if v < lo || v > hi || v != v {
		errs.Add(path, "数值应在 "+ftoa(lo)+"–"+ftoa(hi)+" "+unit+" 之间")
	}
}

func checkOptRange(errs FieldErrors, path string, v *float64, lo, hi float64, unit string) {
	if v != nil {
		checkRange(errs, path, *v, lo, hi, unit)
	}
}
