package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/fupin"
)

// TestEncoderAppendMatchesEncodeHousehold: one Encoder over a township's
// households (villages in turn, an unknown village code between them)
// appending into a buffer that is cut back and refilled, as the export
// does, writes the rows EncodeHousehold writes for each alone.
func TestEncoderAppendMatchesEncodeHousehold(t *testing.T) {
	hs := demoHouseholds(t, 400)
	unknown := *hs[5]
	unknown.VillageCode = "500236999999"
	hs = append(hs[:6], append([]*fupin.Household{&unknown, hs[0]}, hs[6:]...)...)
	mask := func(s string) string { return "***" + s[len(s)-2:] }
	var enc Encoder
	var buf []string
	villages := map[string]bool{}
	for i, h := range hs {
		if i%50 == 0 {
			buf = buf[:0] // refilled over the rows before
		}
		start := len(buf)
		buf = enc.Append(buf, h, mask)
		var got [][]string
		for k := start; k < len(buf); k += Width {
			got = append(got, buf[k:k+Width])
		}
		if diff := cmp.Diff(EncodeHousehold(h, mask), got); diff != "" {
			t.Fatalf("household %d (%s, village %s): (-EncodeHousehold +Append):\n%s", i, h.HouseholdNo, h.VillageCode, diff)
		}
		villages[h.VillageCode] = true
	}
	if len(villages) < 3 {
		t.Fatalf("households of %d villages: want several", len(villages))
	}
	if row := EncodeHousehold(&unknown, nil)[0]; row[fCounty] != "" || row[fVillage] != "" {
		t.Errorf("unknown village code: divisions %q %q, want blank", row[fCounty], row[fVillage])
	}
}
