package fupin

import (
	"strconv"
	"strings"

	"fupin/internal/idcard"
)

// Member is a person in a household. People are never deleted: they join
// (建档时在册, 出生, 婚入, 迁入) and leave (死亡, 迁出, 婚嫁, 其他) with a date and a
// reason, so that household size in past years stays right.
// Sex and BirthDate are derived from IDNumber by the server.
type Member struct {
	ID               int64  `json:"id" readOnly:"true"`
	HouseholdID      int64  `json:"household_id" readOnly:"true"`
	PersonNo         string `json:"person_no" description:"人编号（国家系统编号），可空"`
	Name             string `json:"name" required:"true"`
	IDNumber         string `json:"id_number" required:"true" description:"公民身份号码，15 位自动升为 18 位"`
	Relation         string `json:"relation" required:"true" description:"与户主关系 code list relation"`
	Sex              string `json:"sex" readOnly:"true"`
	BirthDate        Date   `json:"birth_date" readOnly:"true"`
	Ethnicity        string `json:"ethnicity"`
	Education        string `json:"education"`
	SchoolStatus     string `json:"school_status"`
	DropoutExemption string `json:"dropout_exemption" description:"失辍学原因（因病、重度残疾送教上门等可豁免）"`
	Health           string `json:"health"`
	DisabilityGrade  int    `json:"disability_grade" description:"残疾等级 1–4，0 为无"`
	Labour           string `json:"labour"`
	MigrantMonths    int    `json:"migrant_months" description:"务工时间（月）"`
	MigrantPlace     string `json:"migrant_place"`
	MedicalInsurance string `json:"medical_insurance" description:"基本医疗保险 resident/employee/none"`
	CriticalIllness  bool   `json:"critical_illness_insurance" description:"参加大病保险"`
	PensionInsurance string `json:"pension_insurance"`
	Dibao            bool   `json:"dibao"`
	Tekun            bool   `json:"tekun"`
	PublicWelfareJob bool   `json:"public_welfare_job"`
	Relocated        bool   `json:"relocated"`
	Phone            string `json:"phone"`
	JoinedOn         Date   `json:"joined_on"`
	JoinReason       string `json:"join_reason"`
	LeftOn           Date   `json:"left_on" readOnly:"true"`
	LeaveReason      string `json:"leave_reason" readOnly:"true"`
	LeaveNote        string `json:"leave_note,omitempty" readOnly:"true"`
}

// Active reports whether the member is still in the household.
func (m *Member) Active() bool { return m.LeftOn.IsZero() }

// PresentOn reports whether the member belonged to the household on d:
// joined on or before d (or joined at registration), born by then, and not
// yet left.
func (m *Member) PresentOn(d Date) bool {
	if !m.JoinedOn.IsZero() && m.JoinedOn.After(d) || m.BirthDate.After(d) {
		return false
	}
	return m.LeftOn.IsZero() || m.LeftOn.After(d)
}

// AgeOn returns the member's full years of age on d, -1 when unknown.
func (m *Member) AgeOn(d Date) int {
	if m.BirthDate.IsZero() {
		return -1
	}
	b, t := m.BirthDate.Time(), d.Time()
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || (t.Month() == b.Month() && t.Day() < b.Day()) {
		age--
	}
	return age
}

// Normalize trims the member's text and canonicalises the ID number; on
// success it derives sex and birth date. Problems are added to errs under
// prefix (for example "members[2]").
func (m *Member) Normalize(errs FieldErrors, prefix string, today Date) {
	m.Name = strings.TrimSpace(m.Name)
	m.Phone = NormalizePhone(m.Phone)
	id, err := idcard.Parse(m.IDNumber, today.Time())
	if err != nil {
		errs.Add(prefix+".id_number", err.Error())
		return
	}
	m.IDNumber = id.Number
	m.Sex = string(id.Sex)
	m.BirthDate = DateOf(id.Birth)
}

// Validate checks the member's own fields after Normalize.
func (m *Member) Validate(errs FieldErrors, prefix string, today Date) {
	p := prefix + "."
	if m.Name == "" {
		errs.Add(p+"name", "姓名不能为空")
	} else if len([]rune(m.Name)) > 40 {
		errs.Add(p+"name", "姓名过长")
	}
	checkCode(errs, p+"relation", m.Relation, Relations, true)
	if m.Ethnicity != "" && !IsEthnicity(m.Ethnicity) {
		errs.Add(p+"ethnicity", "民族不在代码表中："+m.Ethnicity)
	}
	checkCode(errs, p+"education", m.Education, Educations, false)
	checkCode(errs, p+"school_status", m.SchoolStatus, SchoolStatuses, false)
	checkCode(errs, p+"dropout_exemption", m.DropoutExemption, DropoutExemptions, false)
	checkCode(errs, p+"health", m.Health, HealthStatuses, false)
	checkCode(errs, p+"labour", m.Labour, LabourSkills, false)
	checkCode(errs, p+"migrant_place", m.MigrantPlace, MigrantPlaces, false)
	checkCode(errs, p+"medical_insurance", m.MedicalInsurance, Insurances, false)
	checkCode(errs, p+"pension_insurance", m.PensionInsurance, Insurances, false)
	checkCode(errs, p+"join_reason", m.JoinReason, JoinReasons, false)
	if m.DropoutExemption != "" && m.SchoolStatus != "dropout" && m.SchoolStatus != "home_schooled" {
		errs.Add(p+"dropout_exemption", "只有失学辍学或送教上门的成员才填写失辍学原因")
	}
	if m.DisabilityGrade < 0 || m.DisabilityGrade > 4 {
		errs.Add(p+"disability_grade", "残疾等级应为 1–4 级，无残疾填 0")
	}
	if m.MigrantMonths < 0 || m.MigrantMonths > 12 {
		errs.Add(p+"migrant_months", "务工时间应在 0–12 个月之间")
	}
	if m.Phone != "" && !phonePattern.MatchString(m.Phone) {
		errs.Add(p+"phone", "联系电话格式不正确")
	}
	if m.JoinedOn.After(today) {
		errs.Add(p+"joined_on", "日期不能晚于今天")
	}
	if !m.BirthDate.IsZero() && !m.JoinedOn.IsZero() && m.JoinedOn.Before(m.BirthDate) {
		errs.Add(p+"joined_on", "加入日期不能早于出生日期")
	}
	if m.JoinReason == "birth" && !m.JoinedOn.IsZero() && !m.BirthDate.IsZero() &&
		m.JoinedOn.Time().Sub(m.BirthDate.Time()).Hours() > 24*366 {
		errs.Add(p+"join_reason", "因出生增员的成员，加入日期应在出生后一年内")
	}
}

// ValidateMembers normalises and validates a household's members: each
// member's fields, no ID number twice, and exactly one active 户主.
func ValidateMembers(errs FieldErrors, members []Member, today Date) {
	seen := map[string]int{}
	heads := 0
	for i := range members {
		m := &members[i]
		prefix := "members[" + itoa(i) + "]"
		m.Normalize(errs, prefix, today)
		m.Validate(errs, prefix, today)
		// A member who left is history: the same person may have left and
		// re-joined, so only current members must be distinct.
		if j, dup := seen[m.IDNumber]; dup && m.IDNumber != "" && m.Active() {
			errs.Add(prefix+".id_number", "与第 "+itoa(j+1)+" 位成员的身份证号码重复")
		}
		if m.Active() {
			seen[m.IDNumber] = i
		}
		if m.Active() && m.Relation == "head" {
			heads++
		}
	}
	switch {
	case len(members) == 0:
		errs.Add("members", "至少要有一名家庭成员（户主）")
	case heads == 0:
		errs.Add("members", "家庭成员中必须有一名户主")
	case heads > 1:
		errs.Add("members", "一户只能有一名户主，现有 "+itoa(heads)+" 名")
	}
}

// MemberLeave records a member leaving a household.
type MemberLeave struct {
	Version int64  `json:"version" required:"true"`
	LeftOn  Date   `json:"left_on" required:"true"`
	Reason  string `json:"reason" required:"true" description:"死亡 death / 迁出 move_out / 婚嫁 marriage / 其他 other"`
	Note    string `json:"note"`
	// NewHeadID names the member who becomes 户主 when the head leaves.
	NewHeadID int64 `json:"new_head_id,omitempty"`
}

// Validate checks a leave request.
func (l *MemberLeave) Validate(today Date) error {
	errs := FieldErrors{}
	if l.LeftOn.IsZero() {
		errs.Add("left_on", "减员日期不能为空")
	} else if l.LeftOn.After(today) {
		errs.Add("left_on", "减员日期不能晚于今天")
	}
	checkCode(errs, "reason", l.Reason, LeaveReasons, true)
	if len([]rune(l.Note)) > 500 {
		errs.Add("note", "说明不能超过 500 字")
	}
	return errs.Err()
}

func itoa(i int) string { return strconv.Itoa(i) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
