package sqlstore_test

import (
	"os"
	"testing"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// BenchmarkDueMeasures measures the monitoring part of the 待办 panel on a
// memo miss (DB.MonitorTodo, which counts the overdue and soon-due 一户一策
// measures beside alerts, steps, objections and 应纳未纳; compare a copy
// without the measures) and the first page of the due-measure list, for the county and the demo township, on a database
// made beforehand with measures in it (the demo makes none: add them with
// SQL). cpu-ms is the process CPU time per iteration. For example
//
//	go run ./cmd/fupin demo --db /tmp/m.db --households 20000
//	(insert monitor_cases and monitor_measures rows with sqlite3)
//	FUPIN_BENCH_DB=/tmp/m.db go test -run '^$' -bench DueMeasures -benchtime 20x ./internal/sqlstore
func BenchmarkDueMeasures(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, area := range []string{demo.TownshipCode[:6], demo.TownshipCode} {
		actor := fupin.Actor{Name: "bench", Areas: []string{area}}
		for _, kind := range []string{"monitor-todo", "page"} {
			b.Run(kind+"/"+area, func(b *testing.B) {
				var took []time.Duration
				var cpu time.Duration
				n := 0
				for i := 0; i < b.N; i++ {
					c0, start := cpuTime(), time.Now()
					if kind == "monitor-todo" {
						m, err := db.MonitorTodo(ctx, actor, "")
						if err != nil {
							b.Fatal(err)
						}
						n = m.MeasuresOverdue + m.MeasuresDue
					} else {
						p, err := db.DueMeasures(ctx, actor, sqlstore.MeasureFilter{Limit: 20})
						if err != nil {
							b.Fatal(err)
						}
						n = p.Total
					}
					took = append(took, time.Since(start))
					cpu += cpuTime() - c0
				}
				reportP95(b, took)
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms")
				b.ReportMetric(float64(n), "rows")
			})
		}
	}
}
