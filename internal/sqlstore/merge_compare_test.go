package sqlstore

import (
	"testing"

	"fupin/internal/fupin"
)

// sameHousehold and memberCmp decide whether a re-imported household is
// written: equal values held in different pointers or date forms are the
// same, and any stored field that differs is a change.
func TestMergeCompare(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	yes := func() *bool { b := true; return &b }
	base := func() *fupin.Household {
		return &fupin.Household{HouseholdNo: "1", VillageCode: "500236104201", Type: "poverty_exited",
			Risks: []string{"illness"}, IdentifiedOn: fupin.NewDate(2015, 3, 1),
			Housing: fupin.Housing{AreaM2: f(80)}, Water: fupin.Water{TapAtHome: yes()}}
	}
	same := base()
	same.Housing.AreaM2, same.Water.TapAtHome = f(80), yes()
	same.IdentifiedOn = fupin.DateOf(fupin.NewDate(2015, 3, 1).Time().Add(0))
	same.Version, same.Size, same.HeadName = 9, 4, "户主"
	if !sameHousehold(base(), same) {
		t.Error("equal values in other pointers differ")
	}
	for name, edit := range map[string]func(h *fupin.Household){
		"area":    func(h *fupin.Household) { h.Housing.AreaM2 = f(81) },
		"no area": func(h *fupin.Household) { h.Housing.AreaM2 = nil },
		"tap":     func(h *fupin.Household) { h.Water.TapAtHome = nil },
		"risks":   func(h *fupin.Household) { h.Risks = nil },
		"date":    func(h *fupin.Household) { h.IdentifiedOn = fupin.NewDate(2015, 3, 2) },
		"note":    func(h *fupin.Household) { h.Basics.Note = "x" },
	} {
		h := base()
		edit(h)
		if sameHousehold(base(), h) {
			t.Errorf("%s: a change is not seen", name)
		}
	}
	m := fupin.Member{ID: 1, HouseholdID: 2, Name: "甲", IDNumber: "x", BirthDate: fupin.NewDate(1980, 1, 2)}
	n := m
	n.ID, n.HouseholdID, n.JoinReason = 7, 8, "registered"
	if memberCmp(&m) != memberCmp(&n) {
		t.Error("ids or the default join reason make members differ")
	}
	n.Dibao = true
	if memberCmp(&m) == memberCmp(&n) {
		t.Error("a changed member is the same")
	}
}
