package layout

import (
	"strings"
	"time"

	"fupin/internal/fupin"
)

// value is a parsed cell, kept small and with one pointer because a
// household's 60-odd values are parsed and copied for every household.
// set is false for a blank cell.
type value struct {
	s   string  // text, a code, or risk codes joined by ","
	f   float64 // a decimal number
	i   int     // a whole number, money in fen, or a date as yyyymmdd
	b   bool
	set bool
}

func (v value) equal(o value) bool { return v == o }

// date returns a date value as a fupin.Date, the zero Date when blank.
func (v value) date() fupin.Date {
	if !v.set || v.i == 0 {
		return fupin.Date{}
	}
	return fupin.NewDate(v.i/10000, time.Month(v.i/100%100), v.i%100)
}

// risks returns a risk list value as codes, empty (not nil) when blank.
func (v value) risks() []string {
	if v.s == "" {
		return []string{}
	}
	return strings.Split(v.s, ",")
}

// parseCell parses the trimmed cell raw of field f. reason is the Chinese
// explanation when the cell is bad.
func parseCell(f fieldID, raw string) (v value, reason string) {
	if raw == "" || isBlankMark(raw) {
		return value{}, ""
	}
	spec := &fields[f]
	v.set = true
	switch spec.kind {
	case kText, kID:
		v.s = raw
	case kNo:
		v.s, reason = parseDigitText(raw, spec.name)
	case kPhone:
		v.s, reason = parseDigitText(raw, "电话号码")
	case kDate:
		v.i, reason = parseDate(raw)
	case kBool, kOptBool:
		v.b, reason = parseBool(raw)
	case kFloat, kOptFloat:
		v.f, reason = parseNumber(raw, spec.units)
	case kInt, kOptInt:
		v.i, reason = parseInt(raw, spec.units)
	case kMoney:
		v.i, reason = parseMoney(raw, spec.units)
	case kCode:
		var ok bool
		if v.s, ok = spec.codes.lookup(raw); !ok {
			reason = spec.codes.unknown(raw)
		}
	case kRisks:
		var list []string
		if list, reason = parseRisks(raw); reason == "" {
			v.s = strings.Join(list, ",")
		}
	case kHealth:
		v.s, reason = parseHealth(raw)
	case kDisability:
		v.i, reason = parseDisability(raw)
	case kIgnore:
		v.s = raw
	}
	if reason != "" {
		return value{}, reason
	}
	return v, ""
}

// parseRisks reads a "、"-joined list of risk labels. A trailing 致贫 or 返贫
// on a label is ignored ("因病致贫" = 因病).
func parseRisks(raw string) ([]string, string) {
	if c, ok := risks.lookup(raw); ok {
		return []string{c}, ""
	}
	parts := splitList(raw)
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		c, ok := risks.lookup(p)
		if !ok {
			return nil, risks.unknown(p)
		}
		out = append(out, c)
	}
	return out, ""
}

// parseHealth reads 健康状况; a cell naming several conditions
// ("残疾,长期慢性病") yields the most severe one by healthRank.
func parseHealth(raw string) (string, string) {
	if c, ok := healthStatuses.lookup(raw); ok {
		return c, ""
	}
	best := ""
	for _, p := range splitList(raw) {
		c, ok := healthStatuses.lookup(p)
		if !ok {
			return "", healthStatuses.unknown(p)
		}
		if best == "" || healthRank(c) > healthRank(best) {
			best = c
		}
	}
	if best == "" {
		return "", healthStatuses.unknown(raw)
	}
	return best, ""
}

// optional holds the values behind a household's pointer fields, so
// that they cost one allocation.
type optional struct {
	area, litres, fetchMin, fetchDist, fetchVert, road float64
	quality, tap, food, clothing                       bool
	days                                               int
}

func optFloat(dst *float64, v value) *float64 {
	if !v.set {
		return nil
	}
	*dst = v.f
	return dst
}

func optBool(dst *bool, v value) *bool {
	if !v.set {
		return nil
	}
	*dst = v.b
	return dst
}

// setMember stores a parsed member-level value.
func setMember(m *fupin.Member, f fieldID, v value) {
	switch f {
	case fPersonNo:
		m.PersonNo = v.s
	case fName:
		m.Name = v.s
	case fIDNumber:
		m.IDNumber = v.s
	case fRelation:
		m.Relation = v.s
	case fEthnicity:
		m.Ethnicity = v.s
	case fEducation:
		m.Education = v.s
	case fSchool:
		m.SchoolStatus = v.s
	case fHealth:
		m.Health = v.s
	case fLabour:
		m.Labour = v.s
	case fMigrantMonths:
		m.MigrantMonths = v.i
	case fCriticalIllness:
		m.CriticalIllness = v.b
	case fMemberPhone:
		m.Phone = v.s
	case fDropout:
		m.DropoutExemption = v.s
	case fDisability:
		m.DisabilityGrade = v.i
	case fMigrantPlace:
		m.MigrantPlace = v.s
	case fMedical:
		m.MedicalInsurance = v.s
	case fPension:
		m.PensionInsurance = v.s
	case fDibao:
		m.Dibao = v.b
	case fTekun:
		m.Tekun = v.b
	case fWelfareJob:
		m.PublicWelfareJob = v.b
	case fMemberRelocated:
		m.Relocated = v.b
	case fJoinedOn:
		m.JoinedOn = v.date()
	case fJoinReason:
		m.JoinReason = v.s
	case fLeftOn:
		m.LeftOn = v.date()
	case fLeaveReason:
		m.LeaveReason = v.s
	case fLeaveNote:
		m.LeaveNote = v.s
	}
}

// setHousehold stores the household-level values that map one-to-one onto
// fields of h. Location, size, income and the cross-checked columns (致贫原因,
// 危房户, 风险是否消除) are handled by the builder.
func setHousehold(h *fupin.Household, vals *[nExport]value) {
	h.HouseholdNo = vals[fHouseholdNo].s
	h.NaturalVillage = vals[fNaturalVillage].s
	h.Address = vals[fAddress].s
	h.Phone = vals[fPhone].s
	h.Type = vals[fType].s
	h.PovertyAttr = vals[fPovertyAttr].s
	h.MonitorType = vals[fMonitorType].s
	h.Risks = vals[fRisks].risks()
	h.IdentifiedOn = vals[fIdentifiedOn].date()
	h.ExitedOn = vals[fExitedOn].date()
	h.MonitorIdentifiedOn = vals[fMonitorOn].date()
	h.RiskEliminatedOn = vals[fEliminatedOn].date()
	h.EliminationMode = vals[fEliminationMode].s
	h.Land = fupin.Land{Cultivated: vals[fCultivated].f, Forest: vals[fForest].f,
		Returned: vals[fReturned].f, Orchard: vals[fOrchard].f,
		Pasture: vals[fPasture].f, WaterArea: vals[fWaterArea].f}
	o := new(optional)
	h.Housing = fupin.Housing{AreaM2: optFloat(&o.area, vals[fHousingArea]), Grade: vals[fGrade].s,
		Relocated: vals[fRelocated].b, OtherSafeHome: vals[fOtherSafeHome].b,
		InstitutionalCare: vals[fInstitutional].b}
	h.Water = fupin.Water{Supply: vals[fSupply].s, LitresPerDay: optFloat(&o.litres, vals[fLitres]),
		ScarceArea: vals[fScarce].b, QualityOK: optBool(&o.quality, vals[fQuality]),
		TapAtHome:      optBool(&o.tap, vals[fTap]),
		FetchMinutes:   optFloat(&o.fetchMin, vals[fFetchMinutes]),
		FetchDistanceM: optFloat(&o.fetchDist, vals[fFetchDistance]),
		FetchVerticalM: optFloat(&o.fetchVert, vals[fFetchVertical])}
	if v := vals[fDaysWithout]; v.set {
		o.days = v.i
		h.Water.DaysWithoutSupply = &o.days
	}
	h.Living = fupin.Living{Electricity: vals[fElectricity].b, RadioTV: vals[fRadioTV].b,
		Broadband: vals[fBroadband].b, RoadType: vals[fRoadType].s,
		RoadDistanceKm: optFloat(&o.road, vals[fRoadDistance])}
	h.Basics = fupin.Basics{FoodSecure: optBool(&o.food, vals[fFood]),
		ClothingSecure: optBool(&o.clothing, vals[fClothing]),
		Note:           vals[fBasicsNote].s, CheckedOn: vals[fCheckedOn].date()}
}
