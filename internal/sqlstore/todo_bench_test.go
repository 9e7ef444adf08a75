package sqlstore_test

import (
	"os"
	"testing"
	"time"

	"fupin/internal/aid"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// BenchmarkTodo measures the 待办 panel (GET /api/v1/todo) of the county
// and of the demo township on a large database made beforehand, and reports
// the 95th percentile of the iterations beside the mean: "warm" answers the
// area counts from the memo after checking the change counters (every
// request until the data, the aid records or the day change), "cold"
// computes them (a new handle per iteration, as after a restart), "write"
// records a visit to a household of one village of the demo township (a
// different household each time) and then reads the panel, timing the read
// only: the panel as its user sees it right after a colleague's write;
// "ledger" records a ledger inspection instead, a write that cannot change
// the per-village counts (recounted by nothing but the per-area counts).
// cpu-ms is the process CPU time per request (wall time on a shared machine
// mostly waits for a core). The write cases add visits and inspections to
// the file. For
// example
//
//	go run ./cmd/fupin demo --db /tmp/big.db --households 300000
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench Todo -benchtime 40x ./internal/sqlstore
func BenchmarkTodo(b *testing.B) {
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
	for _, area := range []string{demo.TownshipCode[:6], demo.TownshipCode} {
		actor := fupin.Actor{Name: "bench", Areas: []string{area}}
		who := sqlstore.TodoCaller{Role: "township", CanWrite: true, Principal: "user:1"}
		var cpu time.Duration
		check := func(b *testing.B, db *sqlstore.DB) time.Duration {
			c0, start := cpuTime(), time.Now()
			t, err := db.Todo(ctx, actor, "", who)
			if err != nil {
				b.Fatal(err)
			}
			took := time.Since(start)
			cpu += cpuTime() - c0
			if t.Unpaired+t.OverdueVisits+t.TermsEnding+t.TermsOverdue+t.AlertsOpen == 0 {
				b.Fatalf("nothing counted: %+v", t)
			}
			return took
		}
		report := func(b *testing.B, took []time.Duration) {
			reportP95(b, took)
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms")
		}
		// steady times the panel b.N times on one handle, each read after
		// step(i) (untimed) when step is not nil; newStep makes the step
		// once the handle is open.
		steady := func(b *testing.B, newStep func(db *sqlstore.DB) func(i int)) {
			db := open(b)
			defer db.Close()
			var step func(i int)
			if newStep != nil {
				step = newStep(db)
			}
			check(b, db)
			b.ResetTimer()
			var took []time.Duration
			cpu = 0
			for i := 0; i < b.N; i++ {
				if step != nil {
					b.StopTimer()
					step(i)
					b.StartTimer()
				}
				took = append(took, check(b, db))
			}
			report(b, took)
		}
		b.Run("cold/"+area, func(b *testing.B) {
			var took []time.Duration
			cpu = 0
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := open(b)
				b.StartTimer()
				took = append(took, check(b, db))
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			report(b, took)
		})
		b.Run("write/"+area, func(b *testing.B) {
			steady(b, func(db *sqlstore.DB) func(int) { return benchVisitWriter(b, db) })
		})
		b.Run("ledger/"+area, func(b *testing.B) {
			steady(b, func(db *sqlstore.DB) func(int) {
				return func(int) {
					if _, err := db.CreateInspection(ctx, actor, ledger.Inspection{Source: "inspection", Title: "基准测试巡查",
						AreaCode: demo.TownshipCode}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
		b.Run("warm/"+area, func(b *testing.B) { steady(b, nil) })
	}
}

// benchVisitWriter returns a function that records a visit today to the
// i-th paired household of the first village of the demo township that
// has overdue visits.
func benchVisitWriter(b *testing.B, db *sqlstore.DB) func(i int) {
	b.Helper()
	county := fupin.Actor{Name: "bench", Areas: []string{demo.TownshipCode[:6]}}
	overdue, err := db.ListOverdueVisits(ctx, county, demo.TownshipCode)
	if err != nil {
		b.Fatal(err)
	}
	var targets []aid.OverdueVisit
	for _, o := range overdue {
		if o.CadreID != 0 && (len(targets) == 0 || o.VillageCode == targets[0].VillageCode) {
			targets = append(targets, o)
		}
	}
	if len(targets) == 0 {
		b.Fatal("no paired household with an overdue visit in the demo township")
	}
	return func(i int) {
		o := targets[i%len(targets)]
		v := aid.Visit{CadreID: o.CadreID, VisitedOn: fupin.DateOf(db.Now().In(time.FixedZone("CST", 8*3600))), Kind: "phone", Findings: "基准测试走访"}
		if _, err := db.RecordVisit(ctx, county, o.HouseholdID, v); err != nil {
			b.Fatal(err)
		}
	}
}
