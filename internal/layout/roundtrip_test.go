package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
)

func demoHouseholds(t testing.TB, n int) []*fupin.Household {
	t.Helper()
	var hs []*fupin.Household
	err := demo.Generate(demo.Options{Households: n, Today: testToday}, func(h *fupin.Household) error {
		hs = append(hs, h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func TestRoundTripDemo(t *testing.T) {
	hs := demoHouseholds(t, 300)
	got := decodeAll(t, Options{Today: testToday, Area: demo.TownshipCode}, sheetOf("Sheet1", hs...))
	if len(got) != len(hs) {
		t.Fatalf("decoded %d households, want %d", len(got), len(hs))
	}
	for i, d := range got {
		if len(d.Errors) > 0 {
			t.Errorf("household %s: %+v", hs[i].HouseholdNo, d.Errors)
			continue
		}
		if diff := cmp.Diff(carried(hs[i]), d.Household, roundTripOpts); diff != "" {
			t.Errorf("household %s (-want +got):\n%s", hs[i].HouseholdNo, diff)
		}
	}
}
