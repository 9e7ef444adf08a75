package sqlstore_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestBulkLoadTermsMatchSQL checks that the search terms a bulk load stores
// for its new households (made in Go on SQLite) are exactly those the SQL
// of migration 0011 makes of the current members: names of several
// characters, an empty name, suffixes two members of a household share,
// members who left, and the names and ID numbers Go leaves to the SQL
// (invalid UTF-8, a NUL byte, short or non-ASCII ID numbers); into an
// empty registry and into one that has households.
func TestBulkLoadTermsMatchSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		odd := func(seed int) func(emit func(*fupin.Household) error) error {
			return func(emit func(*fupin.Household) error) error {
				i := 0
				return demoHouseholds(40)(func(h *fupin.Household) error {
					i++
					h.HouseholdNo = fmt.Sprintf("%s%d", h.HouseholdNo, seed)
					for j := range h.Members {
						m := &h.Members[j]
						m.IDNumber = fmt.Sprintf("%s%d", m.IDNumber, seed)
					}
					m := &h.Members[0]
					switch i % 8 {
					case 1:
						m.Name = ""
					case 2:
						m.Name = "李伟"
						if len(h.Members) > 1 {
							h.Members[1].Name = "张伟"
						}
					case 3, 4:
						// PostgreSQL text holds neither; SQLite stores them as given.
						if db.Dialect() == sqlstore.SQLite {
							m.Name = map[int]string{3: "\xff张\xe4\xb8", 4: "王\x00芳"}[i%8]
						}
					case 5:
						m.IDNumber = fmt.Sprint(100*i + seed)
					case 6:
						m.IDNumber = fmt.Sprintf("５００２３６%d%d", i, seed)
					case 7:
						m.LeftOn = fupin.NewDate(2025, 1, 1)
					}
					return emit(h)
				})
			}
		}
		for seed := 1; seed <= 2; seed++ { // empty registry, then more households
			if _, err := db.BulkLoad(ctx, admin, "test.load", odd(seed)); err != nil {
				t.Fatal(err)
			}
			got, err := db.SearchTerms(false)
			if err != nil {
				t.Fatal(err)
			}
			want, err := db.SearchTerms(true)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			sort.Strings(want)
			if diff := cmp.Diff(want, got); diff != "" || len(want) < 200 {
				t.Errorf("load %d: %d terms, want %d (-want +got):\n%s", seed, len(got), len(want), diff)
			}
		}
	})
}
