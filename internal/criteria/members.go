package criteria

// inSchool reports whether a school status means the child is being
// educated; 送教上门 (home_schooled) counts as in school.
func inSchool(status string) bool {
	switch status {
	case "preschool", "primary", "junior", "senior", "secondary_vocational",
		"higher_vocational", "undergraduate", "home_schooled":
		return true
	}
	return false
}

// exempt reports whether a dropout exemption is a health reason that the
// 义务教育 item accepts (因病, 重度残疾送教上门).
func exempt(reason string) bool { return reason == "illness" || reason == "severe_disability" }

// education evaluates 义务教育: no present member of compulsory-school age
// out of school without a health exemption. Each member of that age (or of
// unknown age and not in school) contributes an age fact, a school-status
// fact and, when recorded, a dropout-exemption fact.
func (e *evaluator) education(r *Result) {
	r.Item, r.Params = ItemEducation, e.p.useEdu
	s := len(e.facts)
	if len(e.members) == 0 {
		r.Status, r.Code, r.Facts = Unknown, codeEduNoMembers, e.since(s)
		return
	}
	lo, hi := int32(e.p.num[pEduAgeMin]), int32(e.p.num[pEduAgeMax])
	var fails, unknowns, exempts, seen int
	for _, pm := range e.members {
		m := e.member(pm)
		if pm.age >= 0 && (pm.age < lo || pm.age > hi) || pm.age < 0 && inSchool(m.SchoolStatus) {
			continue
		}
		seen++
		age := e.add(FactAge)
		age.Member = m.Name
		if pm.age < 0 {
			age.Flag = FlagUnknown
		} else {
			age.set(ValueInt, float64(pm.age))
		}
		st := Pass
		switch {
		case pm.age < 0:
			unknowns++
		case inSchool(m.SchoolStatus):
		case m.SchoolStatus == "dropout" && exempt(m.DropoutExemption):
			exempts++
		case m.SchoolStatus == "dropout":
			fails++
			st = Fail
		default: // "", "none" (非在校生: to be verified) or an invalid code
			unknowns++
			st = Unknown
		}
		f := e.add(FactSchoolStatus).setCode(m.SchoolStatus).flag(st)
		f.Member = m.Name
		if m.DropoutExemption != "" {
			f = e.add(FactDropoutExemption).setCode(m.DropoutExemption)
			f.Member = m.Name
		}
	}
	switch {
	case fails > 0:
		r.Status, r.Code = Fail, codeEduDropout
	case unknowns > 0:
		r.Status, r.Code = Unknown, codeEduUnknown
	case exempts > 0:
		r.Status, r.Code = Pass, codeEduExempt
	case seen == 0:
		r.Status, r.Code = Pass, codeEduNoneOfAge
	default:
		r.Status, r.Code = Pass, codeEduInSchool
	}
	r.Facts = e.since(s)
}

// medical evaluates 基本医疗: every present member enrolled in resident or
// employee basic medical insurance.
func (e *evaluator) medical(r *Result) {
	r.Item, r.Params = ItemMedical, e.p.useNone
	s := len(e.facts)
	if len(e.members) == 0 {
		r.Status, r.Code, r.Facts = Unknown, codeMedNoMembers, e.since(s)
		return
	}
	st := Pass
	for _, pm := range e.members {
		m := e.member(pm)
		f := e.add(FactMedicalInsurance).setCode(m.MedicalInsurance)
		f.Member = m.Name
		switch m.MedicalInsurance {
		case "resident", "employee":
		case "none":
			st = Fail
			f.Flag = FlagFail
		default: // not recorded or an invalid code
			st = worst(st, Unknown)
			f.Flag = FlagUnknown
		}
	}
	r.Status, r.Facts = st, e.since(s)
	switch st {
	case Pass:
		r.Code = codeMedInsured
	case Fail:
		r.Code = codeMedUninsured
	default:
		r.Code = codeMedMissing
	}
}
