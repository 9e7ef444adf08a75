package aid

import (
	"fmt"

	"fupin/internal/fupin"
)

// Pairing is a household's 帮扶责任人 (结对帮扶) for a period; active while
// EndedOn is unset. A household has at most one active pairing.
type Pairing struct {
	ID            int64      `json:"id"`
	HouseholdID   int64      `json:"household_id"`
	HouseholdNo   string     `json:"household_no"`
	HeadName      string     `json:"head_name" description:"户主姓名"`
	HouseholdType string     `json:"household_type"`
	MonitorType   string     `json:"monitor_type"`
	VillageCode   string     `json:"village_code"`
	VillageName   string     `json:"village_name"`
	CadreID       int64      `json:"cadre_id"`
	CadreName     string     `json:"cadre_name" description:"帮扶责任人"`
	CadreUnit     string     `json:"cadre_unit" description:"帮扶责任人的派出单位"`
	StartedOn     fupin.Date `json:"started_on"`
	EndedOn       fupin.Date `json:"ended_on"`
	EndReason     string     `json:"end_reason"`
	RotationID    *int64     `json:"rotation_id" description:"经轮换交接结对或解除时的轮换编号"`
	CreatedBy     string     `json:"created_by"`
}

// PairingChange names a household's new helper.
type PairingChange struct {
	CadreID   int64      `json:"cadre_id" required:"true" description:"新的帮扶责任人（干部编号）"`
	StartedOn fupin.Date `json:"started_on" description:"结对日期，默认今天"`
	Reason    string     `json:"reason" description:"更换原因（已有帮扶责任人时填写）"`
}

// CheckPairingStart keeps a household's helper history in order: a new
// pairing starts no later than today, not before the pairing it replaces
// started, and not before the cadre took up an active posting.
func CheckPairingStart(today, on fupin.Date, cadre *Cadre, current []Pairing) error {
	bad := func(msg string) error {
		return &fupin.Error{Code: fupin.EInvalid, Message: msg, Fields: map[string]string{"started_on": msg}}
	}
	if on.After(today) {
		return bad("结对日期不能晚于今天")
	}
	if len(current) > 0 && on.Before(current[0].StartedOn) {
		return bad(fmt.Sprintf("结对日期不能早于现任帮扶责任人%s的结对日期 %s", current[0].CadreName, current[0].StartedOn))
	}
	var first fupin.Date
	for _, p := range ActivePostings(cadre.Postings) {
		if first.IsZero() || p.StartedOn.Before(first) {
			first = p.StartedOn
		}
	}
	if on.Before(first) {
		return bad(fmt.Sprintf("结对日期不能早于%s在岗岗位的到任日期 %s", cadre.Name, first))
	}
	return nil
}

// ActivePostings keeps the postings that have not ended.
func ActivePostings(ps []Posting) []Posting {
	var out []Posting
	for _, p := range ps {
		if p.EndedOn.IsZero() {
			out = append(out, p)
		}
	}
	return out
}

// PairingPage is one page of active pairings.
type PairingPage struct {
	Items []Pairing `json:"items"`
	Total int       `json:"total"`
}

// UnpairedHousehold is a household that needs a helper and has none.
type UnpairedHousehold struct {
	HouseholdID   int64  `json:"household_id"`
	HouseholdNo   string `json:"household_no"`
	HeadName      string `json:"head_name"`
	HouseholdType string `json:"household_type"`
	MonitorType   string `json:"monitor_type"`
	VillageCode   string `json:"village_code"`
	VillageName   string `json:"village_name"`
}

// UnpairedReport lists the violations of the pairing invariant in an area.
type UnpairedReport struct {
	Items []UnpairedHousehold `json:"items" description:"须有帮扶责任人而没有的农户（最多 1000 户）"`
	Total int                 `json:"total" description:"违反\"每户恰好一名帮扶责任人\"的户数"`
	Need  int                 `json:"need" description:"须有帮扶责任人的户数（脱贫户和未消除风险的监测户）"`
}

// HelperLoad is one helper's workload.
type HelperLoad struct {
	CadreID    int64  `json:"cadre_id"`
	CadreName  string `json:"cadre_name"`
	UnitName   string `json:"unit_name"`
	Households int    `json:"households" description:"在帮户数"`
	Monitored  int    `json:"monitored" description:"其中监测户"`
	ExPoor     int    `json:"ex_poor" description:"其中脱贫户"`
}
