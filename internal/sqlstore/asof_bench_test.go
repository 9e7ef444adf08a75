package sqlstore_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// BenchmarkAsOfVillage measures the as-of village summary of issue 18 (the
// dashboard of the demo township's largest village as of the day it was
// loaded) against the live dashboard of the same village, on a large
// database made beforehand. It first edits households of that village two
// days after the load (addresses, and income for every fifth) until
// FUPIN_BENCH_ASOF_EDITS of them (default 1,000) have changed since, so it
// CHANGES THE DATABASE: use a copy. For example
//
//	go run ./cmd/fupin demo --db /tmp/big.db --households 300000
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench AsOfVillage -benchtime 5x ./internal/sqlstore
//
// cpu-ms/op is the process's CPU time per answer (user + system).
func BenchmarkAsOfVillage(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	edits := 1000
	if v, err := strconv.Atoi(os.Getenv("FUPIN_BENCH_ASOF_EDITS")); err == nil {
		edits = v
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	year := fupin.AssessmentYear(fupin.DateOf(time.Now()))
	town, err := db.Dashboard(ctx, admin, demo.TownshipCode, year)
	if err != nil {
		b.Fatal(err)
	}
	village := ""
	most := 0
	for _, c := range town.Children {
		if c.Households > most {
			village, most = c.Code, c.Households
		}
	}
	first, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: village, Sort: "id", Limit: 1})
	if err != nil || len(first.Items) == 0 {
		b.Fatalf("village %s: %v", village, err)
	}
	loaded := first.Items[0].CreatedAt
	d := fupin.DateOf(loaded.In(time.FixedZone("CST", 8*3600)))
	asOf := func(b *testing.B) *sqlstore.DashboardAsOf {
		out, err := db.DashboardAsOf(ctx, admin, village, year, d)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	if changed := asOf(b).AsOf.Changed; changed < edits {
		editVillage(b, db, village, loaded.Add(48*time.Hour), changed, edits-changed)
	}
	got := asOf(b)
	if got.AsOf.Changed < edits || got.Dashboard.Total.Households == 0 || got.AsOf.Predates {
		b.Fatalf("as of %s: %+v, %d households", d, got.AsOf, got.Dashboard.Total.Households)
	}
	b.Logf("village %s: %d households as of %s, %d changed since", village, got.Dashboard.Total.Households, d, got.AsOf.Changed)
	run := func(b *testing.B, fn func(b *testing.B)) {
		start := cpuTime()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			fn(b)
		}
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
	b.Run("as-of", func(b *testing.B) { run(b, func(b *testing.B) { asOf(b) }) })
	b.Run("live", func(b *testing.B) {
		run(b, func(b *testing.B) {
			// A new handle per answer: the live dashboard is memoised.
			b.StopTimer()
			fresh, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := fresh.Dashboard(ctx, admin, village, year); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			fresh.Close()
			b.StartTimer()
		})
	})
}

// editVillage changes n households of village (after the first skip by
// id) at time at: a new address, and the income of the year for every fifth.
func editVillage(b *testing.B, db *sqlstore.DB, village string, at time.Time, skip, n int) {
	b.Helper()
	db.Now = func() time.Time { return at }
	defer func() { db.Now = time.Now }()
	year := fupin.AssessmentYear(fupin.DateOf(at))
	for done := 0; done < n; {
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: village, Sort: "id", Offset: skip + done, Limit: 500})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("households to edit: %v (%d left)", err, n-done)
		}
		for _, it := range page.Items {
			if done == n {
				break
			}
			h, err := db.Household(ctx, admin, it.ID)
			if err != nil {
				b.Fatal(err)
			}
			h.Address = fmt.Sprintf("%s（按日期回看测试 %d）", h.Address, done)
			if h, err = db.UpdateHousehold(ctx, admin, h); err != nil {
				b.Fatal(err)
			}
			if done%5 == 0 {
				if _, err := db.PutIncome(ctx, admin, h.ID, year, fupin.IncomeInput{Version: h.Version, Wage: fupin.Money(1000000 + done)}); err != nil {
					b.Fatal(err)
				}
			}
			done++
		}
	}
}
