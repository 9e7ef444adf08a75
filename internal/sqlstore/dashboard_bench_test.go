package sqlstore_test

import (
	"os"
	"testing"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// BenchmarkDashboard measures the console's 总览 for the county and the
// township on a large database made beforehand: "cold" computes it (a new
// handle per iteration, as after any write), "warm" answers from the
// memo after checking the data token. For example
//
//	go run ./cmd/fupin demo --db /tmp/big.db --households 300000
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench Dashboard -benchtime 5x ./internal/sqlstore
func BenchmarkDashboard(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	open := func(b *testing.B) *sqlstore.DB {
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		return db
	}
	year := fupin.AssessmentYear(fupin.DateOf(time.Now()))
	check := func(b *testing.B, db *sqlstore.DB, area string) {
		d, err := db.Dashboard(ctx, admin, area, year)
		if err != nil {
			b.Fatal(err)
		}
		if d.Total.Households == 0 {
			b.Fatal("no households")
		}
	}
	for _, area := range []string{demo.TownshipCode[:6], demo.TownshipCode} {
		b.Run("cold/"+area, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := open(b)
				b.StartTimer()
				check(b, db, area)
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
		})
		b.Run("warm/"+area, func(b *testing.B) {
			db := open(b)
			defer db.Close()
			check(b, db, area)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				check(b, db, area)
			}
		})
	}
}
