package sqlstore_test

import (
	"fmt"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// BenchmarkListScale measures the household list's first page for the
// county-wide name and ID searches and every sort the console offers
// (county and a village), on a large database made beforehand:
//
//	go run ./cmd/fupin demo --db /tmp/big.db --households 300000
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench ListScale -benchtime 20x ./internal/sqlstore
//
// Each sub-benchmark reports the 95th percentile of its iterations and the
// process CPU time per page (cpu-ms: on a shared machine wall time mostly
// waits for a core). "cold" counts the total (the first request after a
// write), "warm" answers it from the memo (every later page).
func BenchmarkListScale(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	county, village := demo.TownshipCode[:6], demo.Villages()[0].Code
	type listCase struct {
		name string
		f    fupin.HouseholdFilter
	}
	var cases []listCase
	for _, q := range []string{"龚刚", "龚", "刚强", "0012", "500236"} {
		cases = append(cases, listCase{"q=" + q, fupin.HouseholdFilter{Area: county, Query: q}})
	}
	for _, s := range fupin.HouseholdSorts {
		for _, dir := range []string{"", "-"} {
			for _, area := range []string{county, village} {
				cases = append(cases, listCase{fmt.Sprintf("area=%s/sort=%s%s", area, dir, s), fupin.HouseholdFilter{Area: area, Sort: dir + s}})
			}
		}
	}
	for _, c := range cases {
		for _, cold := range []bool{true, false} {
			name := "warm/" + c.name
			if cold {
				name = "cold/" + c.name
			}
			b.Run(name, func(b *testing.B) {
				db, err := sqlstore.Open(ctx, dsn)
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				f := c.f
				f.Limit = 20
				if _, err := db.ListHouseholds(ctx, admin, f); err != nil { // warm the page cache
					b.Fatal(err)
				}
				var took []time.Duration
				var cpu time.Duration
				total := 0
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if cold {
						b.StopTimer()
						db.Close()
						if db, err = sqlstore.Open(ctx, dsn); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					c0, start := cpuTime(), time.Now()
					page, err := db.ListHouseholds(ctx, admin, f)
					took, cpu = append(took, time.Since(start)), cpu+cpuTime()-c0
					if err != nil {
						b.Fatal(err)
					}
					if len(page.Items) == 0 && c.f.Query == "" {
						b.Fatalf("%s: empty first page", c.name)
					}
					total = page.Total
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms")
				b.ReportMetric(float64(total), "total")
			})
		}
	}
}

// cpuTime is the process's CPU time so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
