package sqlstore_test

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// benchBulk loads n generated households per iteration into a new database
// and reports people/s.
func benchBulk(b *testing.B, open func(t testing.TB) *sqlstore.DB, n int) {
	b.Helper()
	var people int
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := open(b)
		b.StartTimer()
		start := time.Now()
		st, err := db.BulkLoad(ctx, admin, "bench", func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: n, Seed: 1, Today: fupin.NewDate(2026, 11, 29)}, emit)
		})
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		people += st.Members
	}
	b.ReportMetric(float64(people)/elapsed.Seconds(), "people/s")
}

func BenchmarkBulkLoadSQLite(b *testing.B) { benchBulk(b, dbtest.SQLite, 30000) }

// BenchmarkListFirstPageByVillage measures the household list's first page
// filtered by one village. It needs a large database made beforehand, e.g.
//
//	go run ./cmd/fupin demo --db /tmp/big.db --households 300000
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench ListFirstPage ./internal/sqlstore
//
// FUPIN_BENCH_DB may also be a postgres:// URL of a database loaded the same way.
func BenchmarkListFirstPageByVillage(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	villages := demo.Villages()
	var lat []time.Duration
	total := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: villages[i%len(villages)].Code, Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		total += page.Total
		if len(page.Items) != 20 {
			b.Fatalf("first page has %d rows", len(page.Items))
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(total)/float64(b.N), "households/village")
}

func BenchmarkBulkLoadPostgres(b *testing.B) { benchBulk(b, dbtest.Postgres, 30000) }

// BenchmarkAssessArea re-assesses the whole demo township of the database
// named by FUPIN_BENCH_DB (see BenchmarkListFirstPageByVillage) for 2025:
// read, evaluate and store every verdict.
func BenchmarkAssessArea(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	n := 0
	for i := 0; i < b.N; i++ {
		st, err := db.Assess(ctx, admin, "500236266", 2025, nil)
		if err != nil {
			b.Fatal(err)
		}
		n += st.Households
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "households/s")
}

// BenchmarkEditReassess is one household edit through the store: the
// update, the re-assessment of every kept year (three income years here)
// and the audit entry, in one transaction, on a 3,000-household township.
func BenchmarkEditReassess(b *testing.B) {
	dbtest.EachBench(b, func(b *testing.B, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "bench", demoHouseholds(3000)); err != nil {
			b.Fatal(err)
		}
		h, err := db.Household(ctx, admin, 1500)
		if err != nil {
			b.Fatal(err)
		}
		var lat []time.Duration
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			h.Address = fmt.Sprintf("测试地址 %d", i)
			h.Members, h.Incomes = nil, nil
			start := time.Now()
			if h, err = db.UpdateHousehold(ctx, admin, h); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
	})
}
