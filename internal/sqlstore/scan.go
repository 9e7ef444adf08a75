package sqlstore

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// The column lists below and the matching scan/args functions are the one
// place that maps domain structs to table columns.

const householdCols = `household_no, village_code, natural_village, address, phone, household_type,
	poverty_attr, monitor_type, risks, identified_on, exited_on, monitor_identified_on,
	risk_eliminated_on, elimination_mode, land_cultivated, land_forest, land_returned, land_orchard,
	land_pasture, land_water, housing_area, housing_grade, housing_relocated, housing_other_safe,
	housing_institutional, water_supply, water_lpd, water_scarce, water_quality_ok, water_tap,
	water_fetch_minutes, water_fetch_distance, water_fetch_vertical, water_days_short, electricity,
	radio_tv, broadband, road_type, road_distance, food_secure, clothing_secure, basics_note,
	basics_checked_on`

// householdColCount is the number of columns in householdCols.
const householdColCount = 43

const householdSelect = `SELECT h.id, ` + householdCols + `, h.head_name, h.size, h.version,
	h.created_at, h.updated_at, h.deleted_at, h.delete_reason FROM households h`

// householdReturning returns what householdSelect reads, from an UPDATE of
// households (a RETURNING clause names the table's own columns).
const householdReturning = ` RETURNING id, ` + householdCols + `, head_name, size, version,
	created_at, updated_at, deleted_at, delete_reason`

type scanner interface{ Scan(dest ...any) error }

func householdArgs(h *fupin.Household) []any {
	var no any
	if h.HouseholdNo != "" {
		no = h.HouseholdNo
	}
	return []any{no, h.VillageCode, h.NaturalVillage, h.Address, h.Phone, h.Type,
		h.PovertyAttr, h.MonitorType, strings.Join(h.Risks, ","), h.IdentifiedOn, h.ExitedOn,
		h.MonitorIdentifiedOn, h.RiskEliminatedOn, h.EliminationMode, h.Land.Cultivated,
		h.Land.Forest, h.Land.Returned, h.Land.Orchard, h.Land.Pasture, h.Land.WaterArea,
		h.Housing.AreaM2, h.Housing.Grade, h.Housing.Relocated, h.Housing.OtherSafeHome,
		h.Housing.InstitutionalCare, h.Water.Supply, h.Water.LitresPerDay, h.Water.ScarceArea,
		h.Water.QualityOK, h.Water.TapAtHome, h.Water.FetchMinutes, h.Water.FetchDistanceM,
		h.Water.FetchVerticalM, h.Water.DaysWithoutSupply, h.Living.Electricity, h.Living.RadioTV,
		h.Living.Broadband, h.Living.RoadType, h.Living.RoadDistanceKm, h.Basics.FoodSecure,
		h.Basics.ClothingSecure, h.Basics.Note, h.Basics.CheckedOn}
}

func scanHousehold(row scanner) (*fupin.Household, error) {
	var h fupin.Household
	var no *string
	var risks string
	err := row.Scan(append(householdDest(&h, &no, &risks),
		&h.HeadName, &h.Size, &h.Version, &h.CreatedAt, &h.UpdatedAt, &h.DeletedAt, &h.DeleteReason)...)
	if err != nil {
		return nil, err
	}
	finishHousehold(&h, no, risks)
	h.CreatedAt, h.UpdatedAt = h.CreatedAt.UTC(), h.UpdatedAt.UTC()
	return &h, nil
}

// householdDest returns the scan destinations of h.id and householdCols,
// with room for the columns the caller appends; no and risks are finished
// by finishHousehold.
func householdDest(h *fupin.Household, no **string, risks *string) []any {
	return append(make([]any, 0, householdColCount+8), &h.ID, no, &h.VillageCode, &h.NaturalVillage, &h.Address, &h.Phone, &h.Type,
		&h.PovertyAttr, &h.MonitorType, risks, &h.IdentifiedOn, &h.ExitedOn,
		&h.MonitorIdentifiedOn, &h.RiskEliminatedOn, &h.EliminationMode, &h.Land.Cultivated,
		&h.Land.Forest, &h.Land.Returned, &h.Land.Orchard, &h.Land.Pasture, &h.Land.WaterArea,
		&h.Housing.AreaM2, &h.Housing.Grade, &h.Housing.Relocated, &h.Housing.OtherSafeHome,
		&h.Housing.InstitutionalCare, &h.Water.Supply, &h.Water.LitresPerDay, &h.Water.ScarceArea,
		&h.Water.QualityOK, &h.Water.TapAtHome, &h.Water.FetchMinutes, &h.Water.FetchDistanceM,
		&h.Water.FetchVerticalM, &h.Water.DaysWithoutSupply, &h.Living.Electricity, &h.Living.RadioTV,
		&h.Living.Broadband, &h.Living.RoadType, &h.Living.RoadDistanceKm, &h.Basics.FoodSecure,
		&h.Basics.ClothingSecure, &h.Basics.Note, &h.Basics.CheckedOn)
}

func finishHousehold(h *fupin.Household, no *string, risks string) {
	if no != nil {
		h.HouseholdNo = *no
	}
	h.Risks = []string{}
	if risks != "" {
		h.Risks = strings.Split(risks, ",")
	}
}

const memberCols = `person_no, name, id_number, relation, sex, birth_date, ethnicity, education,
	school_status, dropout_exemption, health, disability_grade, labour, migrant_months,
	migrant_place, medical_insurance, critical_illness, pension_insurance, dibao, tekun,
	public_welfare_job, relocated, phone, joined_on, join_reason, left_on, leave_reason, leave_note`

// memberColCount is the number of columns in memberCols.
const memberColCount = 28

const memberSelect = `SELECT id, household_id, ` + memberCols + ` FROM members`

func memberArgs(m *fupin.Member) []any {
	return []any{m.PersonNo, m.Name, m.IDNumber, m.Relation, m.Sex, m.BirthDate, m.Ethnicity,
		m.Education, m.SchoolStatus, m.DropoutExemption, m.Health, m.DisabilityGrade, m.Labour,
		m.MigrantMonths, m.MigrantPlace, m.MedicalInsurance, m.CriticalIllness,
		m.PensionInsurance, m.Dibao, m.Tekun, m.PublicWelfareJob, m.Relocated, m.Phone,
		m.JoinedOn, m.JoinReason, m.LeftOn, m.LeaveReason, m.LeaveNote}
}

func scanMember(row scanner) (fupin.Member, error) {
	var m fupin.Member
	err := scanMemberInto(row, &m)
	return m, err
}

// scanMemberInto scans into *m: batch reads scan into their slices, not
// into a value that escapes and is copied.
func scanMemberInto(row scanner, m *fupin.Member) error {
	return row.Scan(&m.ID, &m.HouseholdID, &m.PersonNo, &m.Name, &m.IDNumber, &m.Relation, &m.Sex,
		&m.BirthDate, &m.Ethnicity, &m.Education, &m.SchoolStatus, &m.DropoutExemption, &m.Health,
		&m.DisabilityGrade, &m.Labour, &m.MigrantMonths, &m.MigrantPlace, &m.MedicalInsurance,
		&m.CriticalIllness, &m.PensionInsurance, &m.Dibao, &m.Tekun, &m.PublicWelfareJob,
		&m.Relocated, &m.Phone, &m.JoinedOn, &m.JoinReason, &m.LeftOn, &m.LeaveReason, &m.LeaveNote)
}

const incomeCols = `year, wage, business, property, transfer, business_expense, claims, out_of_pocket, items, declared_net`

// incomeColCount is the number of columns in incomeCols, plus household_id and updated_at.
const incomeColCount = 12

func incomeArgs(y *fupin.IncomeYear) []any {
	var declared any
	if y.DeclaredNet != nil {
		declared = int64(*y.DeclaredNet)
	}
	return []any{y.Year, int64(y.Wage), int64(y.Business), int64(y.Property), int64(y.Transfer),
		int64(y.BusinessExpense), int64(y.Claims), int64(y.EligibleOutOfPocket), encodeItems(y.Items), declared}
}

// encodeItems writes income items as the JSON json.Marshal would produce;
// it is on the bulk-load path, where reflection cost a tenth of the time.
func encodeItems(items []fupin.IncomeItem) string {
	b := make([]byte, 0, 48*len(items)+2)
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"category":`...)
		b = appendJSONString(b, it.Category)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, it.Name)
		b = append(b, `,"amount":`...)
		b = strconv.AppendFloat(b, it.Amount.Yuan(), 'f', -1, 64)
		b = append(b, '}')
	}
	return string(append(b, ']'))
}

func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func scanIncome(row scanner) (fupin.IncomeYear, error) {
	var y fupin.IncomeYear
	var items string
	var declared sql.NullInt64
	err := row.Scan(&y.HouseholdID, &y.Year, &y.Wage, &y.Business, &y.Property, &y.Transfer,
		&y.BusinessExpense, &y.Claims, &y.EligibleOutOfPocket, &items, &declared, &y.UpdatedAt)
	if err != nil {
		return y, err
	}
	y.UpdatedAt = y.UpdatedAt.UTC()
	return y, finishIncome(&y, items, declared)
}

func finishIncome(y *fupin.IncomeYear, items string, declared sql.NullInt64) error {
	if declared.Valid {
		net := fupin.Money(declared.Int64)
		y.DeclaredNet = &net
	}
	y.Items = []fupin.IncomeItem{}
	if items == "[]" {
		return nil
	}
	var err error
	y.Items, err = decodeItems(items)
	return err
}

// placeholders returns "$from, $from+1, …" for n parameters.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(itoa(from + i))
	}
	return b.String()
}
