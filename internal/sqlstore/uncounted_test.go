package sqlstore

import (
	"testing"
	"time"

	"fupin/internal/fupin"
)

// TestCountedSame: only the fields no per-village count reads, the version
// and the update time may differ for a write to advance no village.
func TestCountedSame(t *testing.T) {
	base := func() *fupin.Household {
		return &fupin.Household{ID: 7, VillageCode: "500236266201", Type: "ex_poor", PovertyAttr: "general",
			Phone: "13900001111", Address: "一组", Version: 3, UpdatedAt: time.Unix(100, 0), Size: 2,
			Members: []fupin.Member{{ID: 1, Name: "谭一"}, {ID: 2, Name: "谭二"}}}
	}
	cases := []struct {
		name   string
		change func(h *fupin.Household)
		same   bool
	}{
		{"nothing", func(h *fupin.Household) {}, true},
		{"phone, address, natural village, note, land, version, update time", func(h *fupin.Household) {
			h.Phone, h.Address, h.NaturalVillage, h.Basics.Note = "13900002222", "二组", "二组", "已核实"
			h.Land.Cultivated, h.Version, h.UpdatedAt = 3, 4, time.Unix(200, 0)
		}, true},
		{"type", func(h *fupin.Household) { h.Type = "ordinary" }, false},
		{"village", func(h *fupin.Household) { h.VillageCode = "500236266202" }, false},
		{"monitoring type", func(h *fupin.Household) { h.MonitorType = "unstable" }, false},
		{"risk eliminated", func(h *fupin.Household) { h.RiskEliminatedOn = fupin.NewDate(2025, 1, 1) }, false},
		{"housing grade", func(h *fupin.Household) { h.Housing.Grade = "D" }, false},
		{"food", func(h *fupin.Household) { no := false; h.Basics.FoodSecure = &no }, false},
		{"a member's name", func(h *fupin.Household) { h.Members[1].Name = "谭三" }, false},
		{"deleted", func(h *fupin.Household) { now := time.Unix(300, 0); h.DeletedAt = &now }, false},
	}
	for _, c := range cases {
		after := base()
		c.change(after)
		before := base()
		if got := countedSame(before, after); got != c.same {
			t.Errorf("%s: countedSame = %v, want %v", c.name, got, c.same)
		}
		if before.Phone != "13900001111" || before.Version != 3 {
			t.Errorf("%s: countedSame changed its argument: %+v", c.name, before)
		}
	}
	if countedSame(nil, base()) {
		t.Error("a missing record counted as the same")
	}
}
