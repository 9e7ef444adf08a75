package layout

// The JSON paths of fupin.Household (householdKeep) and fupin.Member
// (memberKeep) that each column fills. A household merged from a file that
// lacks a column keeps what the registry holds at that path (see
// Decoded.AbsentHousehold): a national list carries none of Fupin's
// housing, water or land columns and must not blank them.
var householdKeep = map[fieldID][]string{
	fHouseholdNo: {"household_no"}, fNaturalVillage: {"natural_village"}, fAddress: {"address"},
	fPhone: {"phone"}, fType: {"household_type"}, fPovertyAttr: {"poverty_attr"},
	fMonitorType: {"monitor_type"}, fRisks: {"risks"}, fCause: {"risks"},
	fIdentifiedOn: {"identified_on"}, fExitedOn: {"exited_on"}, fMonitorOn: {"monitor_identified_on"},
	fEliminatedOn: {"risk_eliminated_on"}, fRiskEliminated: {"risk_eliminated_on"}, fEliminationMode: {"elimination_mode"},
	fCultivated: {"land.cultivated"}, fForest: {"land.forest"}, fReturned: {"land.returned"},
	fOrchard: {"land.orchard"}, fPasture: {"land.pasture"}, fWaterArea: {"land.water_area"},
	fHousingArea: {"housing.area_m2"}, fGrade: {"housing.grade"}, fDangerous: {"housing.grade"},
	fRelocated: {"housing.relocated"}, fOtherSafeHome: {"housing.other_safe_home"},
	fInstitutional: {"housing.institutional_care"},
	fSupply:        {"water.supply"}, fLitres: {"water.litres_per_day"}, fScarce: {"water.scarce_area"},
	fQuality: {"water.quality_ok"}, fTap: {"water.tap_at_home"}, fFetchMinutes: {"water.fetch_minutes"},
	fFetchDistance: {"water.fetch_distance_m"}, fFetchVertical: {"water.fetch_vertical_m"},
	fDaysWithout: {"water.days_without_supply"},
	fElectricity: {"living.electricity"}, fRadioTV: {"living.radio_tv"}, fBroadband: {"living.broadband"},
	fRoadType: {"living.road_type"}, fRoadDistance: {"living.road_distance_km"},
	fFood: {"basics.food_secure"}, fClothing: {"basics.clothing_secure"}, fBasicsNote: {"basics.note"},
	fCheckedOn: {"basics.checked_on"},
}

var memberKeep = map[fieldID][]string{
	fPersonNo: {"person_no"}, fEthnicity: {"ethnicity"}, fEducation: {"education"},
	fSchool: {"school_status"}, fHealth: {"health"}, fLabour: {"labour"},
	fMigrantMonths: {"migrant_months"}, fCriticalIllness: {"critical_illness_insurance"},
	fMemberPhone: {"phone"}, fDropout: {"dropout_exemption"}, fDisability: {"disability_grade"},
	fMigrantPlace: {"migrant_place"}, fMedical: {"medical_insurance"}, fPension: {"pension_insurance"},
	fDibao: {"dibao"}, fTekun: {"tekun"}, fWelfareJob: {"public_welfare_job"},
	fMemberRelocated: {"relocated"}, fJoinedOn: {"joined_on"}, fJoinReason: {"join_reason"},
	fLeftOn: {"left_on"}, fLeaveReason: {"leave_reason"}, fLeaveNote: {"leave_note"},
}

// absentPaths lists the paths of keep that no column of h fills.
func (h *Header) absentPaths(keep map[fieldID][]string) []string {
	present := map[string]bool{}
	all := map[string]bool{}
	for f, ps := range keep {
		for _, p := range ps {
			all[p] = true
			if h.col[f] >= 0 {
				present[p] = true
			}
		}
	}
	var out []string
	for p := range all {
		if !present[p] {
			out = append(out, p)
		}
	}
	return out
}
