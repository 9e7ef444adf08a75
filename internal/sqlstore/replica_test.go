package sqlstore_test

import (
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// With --db-read the dashboard (its counts and its memo's token) comes from the replica and
// everything else from the primary. The replica here is another schema holding other data,
// so each answer shows where it was read; a write on the primary does not reach the
// dashboard until the replica has it. SQLite refuses a replica.
func TestDashboardReadsReplica(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if db.Dialect() != sqlstore.Postgres {
			if err := db.UseReplica(ctx, "postgres://127.0.0.1/none"); err == nil {
				t.Error("SQLite accepted a replica")
			}
			return
		}
		replica := dbtest.Postgres(t)
		for i := 0; i < 2; i++ {
			if _, err := replica.CreateHousehold(ctx, admin, cleanFamily(t, 300+10*i)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.CreateHousehold(ctx, admin, cleanFamily(t, 200)); err != nil {
			t.Fatal(err)
		}
		if err := db.UseReplica(ctx, replica.DSN()); err != nil {
			t.Fatal(err)
		}
		dash := func() int {
			t.Helper()
			d, err := db.Dashboard(ctx, admin, "500236266", 2025)
			if err != nil {
				t.Fatal(err)
			}
			return d.Total.Households
		}
		if got := dash(); got != 2 {
			t.Errorf("dashboard households = %d, want the replica's 2", got)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: "500236266", Limit: 10})
		if err != nil || page.Total != 1 {
			t.Errorf("list on the primary: total %d, err %v; want 1", page.Total, err)
		}
		if _, err := db.CreateHousehold(ctx, admin, cleanFamily(t, 210)); err != nil {
			t.Fatal(err)
		}
		if got := dash(); got != 2 {
			t.Errorf("dashboard after a write the replica lacks = %d, want 2", got)
		}
		if _, err := replica.CreateHousehold(ctx, admin, cleanFamily(t, 320)); err != nil {
			t.Fatal(err)
		}
		if got := dash(); got != 3 {
			t.Errorf("dashboard after the replica changed = %d, want 3 (memo keyed on the replica's token)", got)
		}
	})
}
