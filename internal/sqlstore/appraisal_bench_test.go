package sqlstore_test

import (
	"testing"

	"fupin/internal/appraisal"
	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// dropKeepTriggers removes the copy-on-write triggers of migration 0018, to
// measure what they cost a bulk load.
func dropKeepTriggers(b *testing.B, db *sqlstore.DB) {
	b.Helper()
	stmts := []string{`DROP TRIGGER appraisal_keep_households ON households`,
		`DROP TRIGGER appraisal_keep_members ON members`, `DROP TRIGGER appraisal_keep_incomes ON incomes`}
	if db.Dialect() == sqlstore.SQLite {
		stmts = nil
		for _, t := range []string{"households_update", "households_delete", "members_insert", "members_update",
			"members_delete", "incomes_insert", "incomes_update", "incomes_delete"} {
			stmts = append(stmts, `DROP TRIGGER IF EXISTS appraisal_keep_`+t)
		}
	}
	for _, s := range stmts {
		if err := db.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBulkLoadKeepTriggers loads the same households with and without
// the copy-on-write triggers; with -count N the two runs interleave, so both
// see the same machine load:
//
//	go test -run '^$' -bench BulkLoadKeepTriggers -benchtime 1x -count 3 ./internal/sqlstore
func BenchmarkBulkLoadKeepTriggers(b *testing.B) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(e.name+"/triggers", func(b *testing.B) { benchBulk(b, e.open, 10000) })
		b.Run(e.name+"/none", func(b *testing.B) {
			benchBulk(b, func(t testing.TB) *sqlstore.DB {
				db := e.open(t)
				dropKeepTriggers(b, db)
				return db
			}, 10000)
		})
	}
}

// BenchmarkSnapshot takes snapshots of a township of 30,000 generated and
// assessed households: "first" copies every verdict, "again" shares them
// all. The 300,000-household figures of the README come from
// `fupin snapshot` on a demo database; this is the quick, same-run ratio.
//
//	go test -run '^$' -bench Snapshot -benchtime 3x ./internal/sqlstore
func BenchmarkSnapshot(b *testing.B) {
	dbtest.EachBench(b, func(b *testing.B, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "bench", func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: 30000, Seed: 1, Today: fupin.NewDate(2026, 11, 29)}, emit)
		}); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Assess(ctx, admin, demo.TownshipCode, 2025, nil); err != nil {
			b.Fatal(err)
		}
		for _, phase := range []string{"first", "again"} {
			b.Run(phase, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if phase == "first" {
						b.StopTimer()
						if err := db.Exec(`DELETE FROM appraisal_verdicts`); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					if _, err := db.CreateSnapshot(ctx, admin, appraisal.Snapshot{Year: 2025, AreaCode: demo.TownshipCode}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}
