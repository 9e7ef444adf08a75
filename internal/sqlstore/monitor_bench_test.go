package sqlstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// benchDB opens FUPIN_BENCH_DB (a database loaded by
// `fupin demo --households 300000`, about 1.04M people) and migrates it.
func benchDB(b *testing.B) *sqlstore.DB {
	b.Helper()
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see BenchmarkListFirstPageByVillage")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkDepartmentList1M matches a department list of up to 1,000,000
// ID numbers (every current member of the bench database, up to a million)
// against the registry in one transaction and writes an alert per match.
// Each iteration uses a new fact, so every row is new.
//
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench DepartmentList1M -benchtime 1x ./internal/sqlstore
func BenchmarkDepartmentList1M(b *testing.B) {
	db := benchDB(b)
	n := 1_000_000
	if s := os.Getenv("FUPIN_BENCH_ROWS"); s != "" {
		fmt.Sscan(s, &n)
	}
	ids, err := db.CurrentIDNumbers(ctx, n)
	if err != nil {
		b.Fatal(err)
	}
	today := fupin.DateOf(time.Now())
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		fact := fmt.Sprintf("住院自付（基准 %d）", time.Now().UnixNano())
		rows := make([]monitor.DeptRow, len(ids))
		for k, id := range ids {
			rows[k] = monitor.DeptRow{Row: k + 2, IDNumber: id, Fact: fact, FactOn: today}
		}
		sum := sha256.Sum256([]byte(fact))
		b.StartTimer()
		cpu0 := cpuTime()
		res, err := db.LoadDepartmentList(ctx, admin, "medical", "bench.csv", hex.EncodeToString(sum[:]), rows)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - cpu0
		if res.Matched != len(ids) {
			b.Fatalf("matched %d of %d", res.Matched, len(ids))
		}
	}
	b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(len(ids)), "rows")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
}

// BenchmarkUncoveredFirstPage is the 应纳未纳 list (first page and its
// total, the 待办 count) over the whole demo township.
func BenchmarkUncoveredFirstPage(b *testing.B) {
	db := benchDB(b)
	var lat []time.Duration
	total := 0
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		page, err := db.MonitorUncovered(ctx, admin, demo.TownshipCode, 0, 20)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		total = page.Total
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms")
	reportLatency(b, lat)
	b.ReportMetric(float64(total), "households")
}

// BenchmarkCaseListFirstPage is the first page of open cases per village.
func BenchmarkCaseListFirstPage(b *testing.B) {
	db := benchDB(b)
	villages := demo.Villages()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := db.MonitorCases(ctx, admin, sqlstore.CaseFilter{Area: villages[i%len(villages)].Code, Open: true}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
