package sqlstore_test

import (
	"fmt"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// maxPhoneChangeStatements bounds the statements of the soak's write (a
// phone number change of a household assessed for three years) by engine:
// every statement is a round trip that costs PostgreSQL CPU. SQLite runs two
// more, its audit flush writing the change counters apart. Before issue
// #19's cut it ran 22 on SQLite: a regions insert and a duplicate lookup for
// a village and number it kept, the household, members and incomes read
// again after the UPDATE, and a policy version and a history statement per
// year. Since a phone change advances no village (uncounted.go), it reads
// the stored verdicts once before its reassessment and no longer looks up
// the villages to advance nor writes their versions.
var maxPhoneChangeStatements = map[sqlstore.Dialect]int64{sqlstore.Postgres: 13, sqlstore.SQLite: 14}

// TestPhoneChangeStatements: a write that changes only the phone runs at
// most maxPhoneChangeStatements statements, and keeps no verdict history;
// a change that flips a verdict keeps the replaced verdict of every
// assessed year, in the one history statement.
func TestPhoneChangeStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 0))
		if err != nil {
			t.Fatal(err)
		}
		for _, year := range []int{2023, 2024} {
			if _, err := db.PutIncome(ctx, admin, h.ID, year, fupin.IncomeInput{Version: h.Version, Wage: 3000000}); err != nil {
				t.Fatal(err)
			}
			if h, err = db.Household(ctx, admin, h.ID); err != nil {
				t.Fatal(err)
			}
		}
		var years int
		if err := db.QueryRow(`SELECT COUNT(*) FROM verdicts WHERE household_id = $1`, &years, h.ID); err != nil {
			t.Fatal(err)
		}
		if years != 3 {
			t.Fatalf("verdicts of %d years, want 3", years)
		}
		history := func() (n int) {
			t.Helper()
			if err := db.QueryRow(`SELECT COUNT(*) FROM verdict_history WHERE household_id = $1`, &n, h.ID); err != nil {
				t.Fatal(err)
			}
			return n
		}
		kept := history()
		for i := range 3 {
			h.Phone = fmt.Sprintf("1390000%04d", i)
			before := db.WriteStatements()
			if h, err = db.UpdateHousehold(ctx, admin, h); err != nil {
				t.Fatal(err)
			}
			if got, limit := db.WriteStatements()-before, maxPhoneChangeStatements[db.Dialect()]; got > limit {
				t.Errorf("phone change %d ran %d statements, want at most %d", i, got, limit)
			}
			if len(h.Members) != 3 || len(h.Incomes) != 2 || h.Phone != fmt.Sprintf("1390000%04d", i) {
				t.Fatalf("the update returned %d members, %d income years, phone %q", len(h.Members), len(h.Incomes), h.Phone)
			}
		}
		if got := history(); got != kept {
			t.Fatalf("phone changes kept %d verdicts in the history, want none", got-kept)
		}
		h.Housing.Grade = "D" // a dangerous house fails 住房安全 in every year
		if h, err = db.UpdateHousehold(ctx, admin, h); err != nil {
			t.Fatal(err)
		}
		if got := history(); got != kept+3 {
			t.Fatalf("a failing house kept %d verdicts in the history, want 3 (one a year)", got-kept)
		}
		var failing int
		if err := db.QueryRow(`SELECT COUNT(*) FROM verdicts WHERE household_id = $1 AND s_housing <> 'pass'`, &failing, h.ID); err != nil {
			t.Fatal(err)
		}
		if failing != 3 {
			t.Fatalf("%d of 3 years fail 住房安全 after the change", failing)
		}
	})
}
