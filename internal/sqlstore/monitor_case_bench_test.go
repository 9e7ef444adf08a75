package sqlstore_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// BenchmarkCaseList10k is the case list's first page (open cases, overdue
// first, 20 a page) over FUPIN_BENCH_CASES cases (default 12,000: one per
// household of a demo township, every stage, a share overdue), for the
// county and for one village, on SQLite in a temporary file and, with
// FUPIN_TEST_POSTGRES_URL set, on PostgreSQL:
//
//	FUPIN_TEST_POSTGRES_URL=postgres://… go test -run '^$' -bench CaseList10k -benchtime 300x ./internal/sqlstore
func BenchmarkCaseList10k(b *testing.B) {
	n := 12000
	if s := os.Getenv("FUPIN_BENCH_CASES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dbtest.EachBench(b, func(b *testing.B, db *sqlstore.DB) {
		today := fupin.NewDate(2026, 3, 2)
		pinMonitor(db, today)
		if _, err := db.BulkLoad(ctx, admin, "bench", func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: n, Seed: 1, Today: today}, emit)
		}); err != nil {
			b.Fatal(err)
		}
		seeded, err := db.SeedCases(ctx, n, today)
		if err != nil || seeded != n {
			b.Fatalf("seeded %d of %d cases: %v", seeded, n, err)
		}
		for _, scope := range []struct{ name, area string }{{"county", "500236"}, {"village", demo.Villages()[1].Code}} {
			b.Run(scope.name, func(b *testing.B) {
				var lat []time.Duration
				total := 0
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					start := time.Now()
					page, err := db.MonitorCases(ctx, admin, sqlstore.CaseFilter{Area: scope.area, Open: true})
					if err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
					if len(page.Items) != 20 || page.Overdue == 0 || !page.Items[0].Overdue {
						b.Fatalf("first page: %d items, %d overdue", len(page.Items), page.Overdue)
					}
					total = page.Total
				}
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms")
				reportLatency(b, lat)
				b.ReportMetric(float64(total), "open-cases")
			})
		}
	})
}
