package sqlstore_test

import (
	"database/sql"
	"net/url"
	"testing"

	"fupin/internal/dbtest"
)

// A large load on PostgreSQL ends with VACUUM (ANALYZE) of the tables it filled, the search
// terms included: their visibility map lets a name search read the terms from the index alone
// (at 3 million households a one-character name fetched 99,555 heap rows without it).
func TestBulkLoadVacuumsSearchTerms(t *testing.T) {
	db := dbtest.Postgres(t)
	if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(10000)); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(db.DSN())
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	pool, err := sql.Open("pgx", db.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for _, table := range []string{"households", "members", "household_terms"} {
		var vacuumed, analyzed bool
		if err := pool.QueryRowContext(ctx, `SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL
			FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2`, schema, table).Scan(&vacuumed, &analyzed); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if !vacuumed || !analyzed {
			t.Errorf("%s after a load of 10,000 households: vacuumed %v, analyzed %v; want both", table, vacuumed, analyzed)
		}
	}
}
