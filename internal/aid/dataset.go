package aid

import (
	"fupin/internal/fupin"
)

// HouseholdNeed is a household that needs a helper, as a generator of
// aid data (the demo) sees it.
type HouseholdNeed struct {
	ID          int64
	VillageCode string
	Monitored   bool // a 监测户 whose risk is not eliminated
}

// Dataset is a township's aid forces written at once by the store's
// loader (DB.LoadAid): the demo generator produces one. Indexes refer to
// the dataset's own slices (Unit -1 is a cadre from outside the group).
type Dataset struct {
	GroupName, LeadUnit, AreaCode string
	Units                         []DatasetUnit
	Cadres                        []DatasetCadre
	Postings                      []DatasetPosting
	Pairings                      []DatasetPairing
	Visits                        []DatasetVisit
	CheckIns                      []DatasetCheckIn
	Leaves                        []DatasetLeave
	// Rotation is a rotation in progress: postings changing hands, with the
	// outgoing cadres' confirmations given and the rest outstanding.
	Rotation []DatasetHandover
}

// DatasetUnit is a member unit and its paired village.
type DatasetUnit struct{ Name, VillageCode string }

// DatasetCadre is a person sent by a unit (Unit is an index of Units, -1 for
// the lead unit or a county body named by UnitName).
type DatasetCadre struct {
	Name, IDNumber, Phone, UnitName, Post, Rank, Political string
	Unit                                                   int
}

// DatasetPosting is a cadre's posting (Cadre indexes Cadres).
type DatasetPosting struct {
	Cadre          int
	Role, AreaCode string
	StartedOn      fupin.Date
}

// DatasetPairing pairs a household with a helper (Cadre indexes Cadres).
type DatasetPairing struct {
	HouseholdID int64
	Cadre       int
	StartedOn   fupin.Date
}

// DatasetVisit is a visit of a helper to a household.
type DatasetVisit struct {
	HouseholdID    int64
	VillageCode    string
	Cadre          int
	On             fupin.Date
	Kind, Findings string
}

// DatasetCheckIn is a day a cadre was in the area of a posting.
type DatasetCheckIn struct {
	Cadre    int
	AreaCode string
	Day      fupin.Date
}

// DatasetLeave is an approved leave, returned on Returned.
type DatasetLeave struct {
	Cadre              int
	AreaCode, Reason   string
	From, To, Returned fupin.Date
}

// DatasetHandover is one posting of a rotation in progress (Posting indexes
// Postings, Incoming indexes Cadres).
type DatasetHandover struct{ Posting, Incoming int }

// DatasetStats counts the records of a dataset.
type DatasetStats struct {
	Units, Cadres, Postings, Pairings, Visits, CheckIns, Leaves, Handover int
}

// Stats counts the records of d.
func (d *Dataset) Stats() DatasetStats {
	return DatasetStats{Units: len(d.Units), Cadres: len(d.Cadres), Postings: len(d.Postings), Pairings: len(d.Pairings),
		Visits: len(d.Visits), CheckIns: len(d.CheckIns), Leaves: len(d.Leaves), Handover: len(d.Rotation)}
}
