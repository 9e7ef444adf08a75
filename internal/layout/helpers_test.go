package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"fupin/internal/fupin"
)

var testToday = fupin.NewDate(2024, 6, 30)

// decodeAll feeds rows (header first) of one sheet to a new decoder.
func decodeAll(t testing.TB, opts Options, sheets ...sheet) []Decoded {
	t.Helper()
	d := NewDecoder(opts)
	var out []Decoded
	for _, s := range sheets {
		for i, row := range s.rows {
			done, err := d.Row(s.name, i+1, row)
			if err != nil {
				t.Fatalf("sheet %s row %d: %v", s.name, i+1, err)
			}
			out = append(out, done...)
		}
	}
	return append(out, d.Flush()...)
}

type sheet struct {
	name string
	rows [][]string
}

// roundTripOpts compares households after an export and import.
var roundTripOpts = cmp.Options{
	cmp.Comparer(func(a, b fupin.Date) bool { return a == b }),
	cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(fupin.Household{}, "ID", "Version", "CreatedAt", "UpdatedAt", "DeletedAt", "DeleteReason"),
	cmpopts.IgnoreFields(fupin.Member{}, "ID", "HouseholdID"),
	cmpopts.IgnoreFields(fupin.IncomeYear{}, "HouseholdID", "UpdatedAt", "Items"),
}

// carried returns what the layout carries of h: members in export order,
// only the latest income year.
func carried(h *fupin.Household) *fupin.Household {
	c := *h
	c.Members = nil
	for _, i := range memberOrder(nil, h.Members) {
		c.Members = append(c.Members, h.Members[i])
	}
	c.Incomes = nil
	for _, y := range h.Incomes {
		if len(c.Incomes) == 0 || y.Year > c.Incomes[0].Year {
			c.Incomes = []fupin.IncomeYear{y}
		}
	}
	return &c
}

// sheetOf exports households as one sheet with the export header.
func sheetOf(name string, hs ...*fupin.Household) sheet {
	s := sheet{name: name, rows: [][]string{ExportHeader()}}
	for _, h := range hs {
		s.rows = append(s.rows, EncodeHousehold(h, nil)...)
	}
	return s
}

func ptr[T any](v T) *T { return &v }
