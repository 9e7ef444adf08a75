package layout

import (
	"strconv"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// ExportHeader returns the header row of the layout: the national list's
// 28 columns followed by Fupin's extra columns (see the package
// documentation). The slice is a fresh copy.
func ExportHeader() []string {
	out := make([]string, nExport)
	for f := range out {
		out[f] = fields[f].name
	}
	return out
}

// EncodeHousehold writes h as rows of the layout, one per member: the
// current members first (the 户主 first among them), then those who left,
// with their 减员 columns. Household-level columns are repeated on every
// row. mask, when not nil, is applied to ID numbers and phone numbers (for
// example auth's masking of what a role may not see); the unmasked export
// imports back into the same registry (see the package documentation for
// what the layout does not carry). 县, 乡(镇) and 行政村 are the names of the
// village code's divisions, blank when the code is unknown.
func EncodeHousehold(h *fupin.Household, mask func(string) string) [][]string {
	var e Encoder
	cells := e.Append(nil, h, mask)
	rows := make([][]string, len(cells)/Width)
	for k := range rows {
		rows[k] = cells[k*Width : (k+1)*Width : (k+1)*Width]
	}
	return rows
}

// Width is the number of cells in a row of the layout (len(ExportHeader())).
const Width = int(nExport)

// Encoder writes households as EncodeHousehold does, for a file of many:
// Append fills a buffer the caller reuses instead of allocating rows, and
// the division names of the last village code are kept (a village's export
// looked them up for every household). The zero value is ready to use; an
// Encoder is not safe for concurrent use.
type Encoder struct {
	code  string
	names [3]string // 县, 乡(镇), 行政村 of code
	order []int
}

// Append appends the rows of h, Width cells each, to dst and returns the
// extended slice; the rows are those of EncodeHousehold(h, mask).
func (e *Encoder) Append(dst []string, h *fupin.Household, mask func(string) string) []string {
	if mask == nil {
		mask = func(s string) string { return s }
	}
	var hh [nExport]string
	e.divisions(&hh, h.VillageCode)
	householdCells(&hh, h, mask)
	e.order = memberOrder(e.order[:0], h.Members)
	for _, i := range e.order {
		dst = append(dst, hh[:]...)
		memberCells(dst[len(dst)-Width:], &h.Members[i], mask)
	}
	return dst
}

// divisions writes the names of the village code's divisions, blank when
// the code is unknown.
func (e *Encoder) divisions(c *[nExport]string, code string) {
	if code != e.code {
		e.code, e.names = code, [3]string{}
		if path, err := region.Path(code); err == nil {
			for _, r := range path {
				switch r.Level {
				case region.LevelCounty:
					e.names[0] = r.Name
				case region.LevelTownship:
					e.names[1] = r.Name
				case region.LevelVillage:
					e.names[2] = r.Name
				}
			}
		}
	}
	c[fCounty], c[fTownship], c[fVillage] = e.names[0], e.names[1], e.names[2]
}

// memberOrder appends to out the member indexes: active 户主, other active members,
// members who left, each group in record order.
func memberOrder(out []int, ms []fupin.Member) []int {
	for pass := 0; pass < 3; pass++ {
		for i := range ms {
			m := &ms[i]
			head := m.Active() && m.Relation == "head"
			if pass == 0 && head || pass == 1 && m.Active() && !head || pass == 2 && !m.Active() {
				out = append(out, i)
			}
		}
	}
	return out
}

// householdCells writes the household's columns but the divisions'
// (Encoder.divisions).
func householdCells(c *[nExport]string, h *fupin.Household, mask func(string) string) {
	c[fNaturalVillage], c[fHouseholdNo], c[fVillageCode], c[fAddress] = h.NaturalVillage, h.HouseholdNo, h.VillageCode, h.Address
	if h.Phone != "" {
		c[fPhone] = mask(h.Phone)
	}
	active := 0
	for i := range h.Members {
		if h.Members[i].Active() {
			active++
		}
	}
	c[fSize] = strconv.Itoa(active)
	if len(h.Risks) > 0 {
		c[fCause] = fupin.Risks.LabelOf(h.Risks[0])
	}
	labels := make([]string, len(h.Risks))
	for i, r := range h.Risks {
		labels[i] = fupin.Risks.LabelOf(r)
	}
	c[fRisks] = strings.Join(labels, "、")
	switch h.Housing.Grade {
	case "A", "B":
		c[fDangerous] = "否"
	case "C", "D":
		c[fDangerous] = "是"
	}
	c[fIdentifiedOn], c[fExitedOn] = h.IdentifiedOn.String(), h.ExitedOn.String()
	c[fMonitorOn], c[fEliminatedOn] = h.MonitorIdentifiedOn.String(), h.RiskEliminatedOn.String()
	c[fType] = label(householdTypes, h.Type)
	c[fPovertyAttr] = label(povertyAttrs, h.PovertyAttr)
	c[fMonitorType] = label(monitorTypes, h.MonitorType)
	if h.MonitorType != "" {
		c[fRiskEliminated] = yesNo(!h.RiskEliminatedOn.IsZero())
	}
	c[fEliminationMode] = label(eliminationModes, h.EliminationMode)
	conditionCells(c, h)
	incomeCells(c, h)
}

// conditionCells writes housing, water, living, land and basics.
func conditionCells(c *[nExport]string, h *fupin.Household) {
	hs, w, l, land := &h.Housing, &h.Water, &h.Living, &h.Land
	c[fHousingArea], c[fGrade] = optNum(hs.AreaM2), label(housingGrades, hs.Grade)
	c[fRelocated], c[fOtherSafeHome], c[fInstitutional] = yesNo(hs.Relocated), yesNo(hs.OtherSafeHome), yesNo(hs.InstitutionalCare)
	c[fSupply], c[fLitres], c[fScarce] = label(waterSupplies, w.Supply), optNum(w.LitresPerDay), yesNo(w.ScarceArea)
	c[fQuality], c[fTap] = optYesNo(w.QualityOK), optYesNo(w.TapAtHome)
	c[fFetchMinutes], c[fFetchDistance], c[fFetchVertical] = optNum(w.FetchMinutes), optNum(w.FetchDistanceM), optNum(w.FetchVerticalM)
	if w.DaysWithoutSupply != nil {
		c[fDaysWithout] = strconv.Itoa(*w.DaysWithoutSupply)
	}
	c[fElectricity], c[fRadioTV], c[fBroadband] = yesNo(l.Electricity), yesNo(l.RadioTV), yesNo(l.Broadband)
	c[fRoadType], c[fRoadDistance] = label(roadTypes, l.RoadType), optNum(l.RoadDistanceKm)
	c[fCultivated], c[fForest], c[fReturned] = num(land.Cultivated), num(land.Forest), num(land.Returned)
	c[fOrchard], c[fPasture], c[fWaterArea] = num(land.Orchard), num(land.Pasture), num(land.WaterArea)
	c[fFood], c[fClothing] = optYesNo(h.Basics.FoodSecure), optYesNo(h.Basics.ClothingSecure)
	c[fCheckedOn], c[fBasicsNote] = h.Basics.CheckedOn.String(), h.Basics.Note
}

// incomeCells writes the latest income year and its per-capita net income.
func incomeCells(c *[nExport]string, h *fupin.Household) {
	if len(h.Incomes) == 0 {
		return
	}
	y := h.Incomes[0]
	for _, o := range h.Incomes[1:] {
		if o.Year > y.Year {
			y = o
		}
	}
	if y.PerCapitaNet == nil {
		y.Compute(h.Members)
	}
	if y.PerCapitaNet != nil {
		c[fPerCapita] = y.PerCapitaNet.String()
	}
	c[fIncomeYear] = strconv.Itoa(y.Year)
	c[fHouseholdNet] = y.Net.String()
	c[fClaims], c[fOutOfPocket] = y.Claims.String(), y.EligibleOutOfPocket.String()
	if y.DeclaredNet != nil && y.Wage == 0 && y.Business == 0 && y.Property == 0 && y.Transfer == 0 && y.BusinessExpense == 0 {
		return // a total without components: the components stay blank
	}
	c[fWage], c[fBusiness], c[fProperty] = y.Wage.String(), y.Business.String(), y.Property.String()
	c[fTransfer], c[fBusinessExpense] = y.Transfer.String(), y.BusinessExpense.String()
}

func memberCells(c []string, m *fupin.Member, mask func(string) string) {
	c[fPersonNo], c[fName] = m.PersonNo, m.Name
	if m.IDNumber != "" {
		c[fIDNumber] = mask(m.IDNumber)
	}
	if m.Phone != "" {
		c[fMemberPhone] = mask(m.Phone)
	}
	c[fRelation], c[fEthnicity] = label(relations, m.Relation), m.Ethnicity
	c[fEducation], c[fSchool] = label(educations, m.Education), label(schoolStatuses, m.SchoolStatus)
	c[fHealth], c[fLabour] = label(healthStatuses, m.Health), label(labourSkills, m.Labour)
	c[fMigrantMonths], c[fCriticalIllness] = strconv.Itoa(m.MigrantMonths), yesNo(m.CriticalIllness)
	c[fDropout], c[fMigrantPlace] = label(dropoutReasons, m.DropoutExemption), label(migrantPlaces, m.MigrantPlace)
	if m.DisabilityGrade >= 0 && m.DisabilityGrade < len(disabilityLabels) {
		c[fDisability] = disabilityLabels[m.DisabilityGrade]
	} else {
		c[fDisability] = strconv.Itoa(m.DisabilityGrade)
	}
	c[fMedical], c[fPension] = label(insurances, m.MedicalInsurance), label(insurances, m.PensionInsurance)
	c[fDibao], c[fTekun] = yesNo(m.Dibao), yesNo(m.Tekun)
	c[fWelfareJob], c[fMemberRelocated] = yesNo(m.PublicWelfareJob), yesNo(m.Relocated)
	c[fJoinedOn], c[fJoinReason] = m.JoinedOn.String(), label(joinReasons, m.JoinReason)
	c[fLeftOn], c[fLeaveReason], c[fLeaveNote] = m.LeftOn.String(), label(leaveReasons, m.LeaveReason), m.LeaveNote
}

func label(t *codeTable, code string) string {
	if code == "" {
		return ""
	}
	return t.list.LabelOf(code)
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func optYesNo(b *bool) string {
	if b == nil {
		return ""
	}
	return yesNo(*b)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func optNum(f *float64) string {
	if f == nil {
		return ""
	}
	return num(*f)
}
