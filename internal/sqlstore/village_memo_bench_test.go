package sqlstore_test

import (
	"os"
	"testing"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// BenchmarkDashboardAfterWrite measures what issue 19's soak does most: a
// household of one village written (its phone number), then the
// township's and the county's 总览 and the township's list total read. It
// WRITES to the database, so give it a copy:
//
//	go run ./cmd/fupin demo --db /tmp/big.db --households 30000
//	cp /tmp/big.db /tmp/w.db; cp /tmp/big.db.audit-key /tmp/w.db.audit-key
//	FUPIN_BENCH_DB=/tmp/w.db go test -run '^$' -bench DashboardAfterWrite -benchtime 50x ./internal/sqlstore
//
// cpu-ms is the process CPU time of the reads per iteration (the write
// excluded).
func BenchmarkDashboardAfterWrite(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	town := demo.TownshipCode
	page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: town, Limit: 100})
	if err != nil || len(page.Items) == 0 {
		b.Fatalf("no households in %s: %v", town, err)
	}
	year := fupin.AssessmentYear(fupin.DateOf(time.Now()))
	read := func() {
		for _, area := range []string{town, town[:6]} {
			if _, err := db.Dashboard(ctx, admin, area, year); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: town, Type: "ex_poor"}); err != nil {
			b.Fatal(err)
		}
	}
	read()
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h, err := db.Household(ctx, admin, page.Items[i%len(page.Items)].ID)
		if err != nil {
			b.Fatal(err)
		}
		h.Phone = []string{"13900001111", "13900002222"}[i%2]
		if _, err := db.UpdateHousehold(ctx, admin, h); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuTime()
		read()
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms")
}
