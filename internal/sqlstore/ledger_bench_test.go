package sqlstore_test

import (
	"io"
	"slices"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// ledgerBenchDB is a database with 10,000 findings over the 12 villages of
// 平安乡 (about a county's ledger).
func ledgerBenchDB(b *testing.B, db *sqlstore.DB) {
	b.Helper()
	insp := newInspectionTB(b, db)
	var villages []string
	for _, v := range demo.Villages() {
		villages = append(villages, v.Code)
	}
	if err := db.SeedFindings(ctx, insp, villages, 10_000); err != nil {
		b.Fatal(err)
	}
}

func newInspectionTB(b *testing.B, db *sqlstore.DB) int64 {
	in, err := db.CreateInspection(ctx, admin, ledger.Inspection{Source: "inspection", Title: "基准", AreaCode: pingan})
	if err != nil {
		b.Fatal(err)
	}
	return in.ID
}

func ledgerEngines(b *testing.B, fn func(b *testing.B, db *sqlstore.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, dbtest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, dbtest.Postgres(b)) })
}

// BenchmarkLedgerList is the ledger's first page with bucket and status
// counts over 10,000 findings, as a township user opens it; p95-ms is the
// 95th percentile of the iterations, first-ms the first (cold) one.
func BenchmarkLedgerList(b *testing.B) {
	ledgerEngines(b, func(b *testing.B, db *sqlstore.DB) {
		ledgerBenchDB(b, db)
		town := fupin.Actor{Name: "乡镇", Areas: []string{pingan}}
		var times []time.Duration
		b.ResetTimer()
		for b.Loop() {
			start := time.Now()
			page, err := db.Findings(ctx, town, sqlstore.FindingFilter{Status: "open"})
			if err != nil || page.Total != 8000 || len(page.Items) != 50 {
				b.Fatalf("page %d/%d: %v", len(page.Items), page.Total, err)
			}
			times = append(times, time.Since(start))
		}
		// The first call counts (the counts are memoised until the data
		// changes); first-ms is that cold call.
		b.ReportMetric(float64(times[0].Microseconds())/1000, "first-ms")
		reportP95(b, times)
	})
}

// BenchmarkLedgerListCold is the first page after a finding changed: each
// iteration moves one finding to another status (behind the store, as any
// write of a finding does, advancing the ledger's token), then opens the
// list, which has to count again; p95-ms over the openings only.
func BenchmarkLedgerListCold(b *testing.B) {
	ledgerEngines(b, func(b *testing.B, db *sqlstore.DB) {
		ledgerBenchDB(b, db)
		town := fupin.Actor{Name: "乡镇", Areas: []string{pingan}}
		var times []time.Duration
		statuses := []string{ledger.StatusInProgress, ledger.StatusNotStarted}
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if err := db.Exec(`UPDATE ledger_findings SET status = '` + statuses[i%2] + `' WHERE number = '1'`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			page, err := db.Findings(ctx, town, sqlstore.FindingFilter{Status: "open"})
			if err != nil || page.Total != 8000 || len(page.Items) != 50 {
				b.Fatalf("page %d/%d: %v", len(page.Items), page.Total, err)
			}
			times = append(times, time.Since(start))
		}
		reportP95(b, times)
	})
}

// BenchmarkLedgerListBesideWrites is the same first page while other work
// goes on: between two openings something else is saved (the data token
// advances, as a household or visit saved would); the ledger's counts stay
// memoised unless a finding changes. p95-ms over the openings only.
func BenchmarkLedgerListBesideWrites(b *testing.B) {
	ledgerEngines(b, func(b *testing.B, db *sqlstore.DB) {
		ledgerBenchDB(b, db)
		town := fupin.Actor{Name: "乡镇", Areas: []string{pingan}}
		var times []time.Duration
		b.ResetTimer()
		for b.Loop() {
			if err := db.Exec(`UPDATE data_changes SET n = n + 1 WHERE id = 1`); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			page, err := db.Findings(ctx, town, sqlstore.FindingFilter{Status: "open"})
			if err != nil || page.Total != 8000 {
				b.Fatalf("page %d/%d: %v", len(page.Items), page.Total, err)
			}
			times = append(times, time.Since(start))
		}
		reportP95(b, times)
	})
}

// BenchmarkLedgerSheets writes the 三单 of 10,000 findings (.xlsx).
func BenchmarkLedgerSheets(b *testing.B) {
	ledgerEngines(b, func(b *testing.B, db *sqlstore.DB) {
		ledgerBenchDB(b, db)
		var times []time.Duration
		b.ResetTimer()
		for b.Loop() {
			start := time.Now()
			rows, err := db.FindingSheetRows(ctx, admin, pingan, 0)
			if err != nil || len(rows) != 10_000 {
				b.Fatalf("rows %d: %v", len(rows), err)
			}
			if err := ledger.WriteSheets(io.Discard, rows, time.Now(), nil); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
		}
		reportP95(b, times)
	})
}

func reportP95(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}
