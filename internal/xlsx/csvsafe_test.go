package xlsx

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Cells that a spreadsheet would run as formulas are written with a leading apostrophe, and
// every cell reads back exactly as it was, apostrophes included.
func TestCSVSafeRoundTrip(t *testing.T) {
	cells := []string{`=HYPERLINK("http://evil.example","点击")`, "+8613912340000", "-500.25", "@SUM(A1:A9)",
		"\tcmd", "\rcmd", "'=already quoted", "''-1", "'4101051990", "'", "''", "", "冉光荣", "a=b", "500236266200"}
	want := map[string]bool{`=HYPERLINK("http://evil.example","点击")`: true, "+8613912340000": true, "-500.25": true,
		"@SUM(A1:A9)": true, "\tcmd": true, "\rcmd": true, "'=already quoted": true, "''-1": true}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = CSVSafe(c)
		if quoted := safe[i] == "'"+c; quoted != want[c] {
			t.Errorf("CSVSafe(%q) = %q", c, safe[i])
		}
	}
	cw.Write(safe)
	cw.Flush()
	r, err := OpenCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	// The reader trims trailing empty cells; the empty cell here is not trailing.
	if diff := cmp.Diff(cells, row.Cells); diff != "" {
		t.Errorf("cells read back (-want +got):\n%s", diff)
	}
}
