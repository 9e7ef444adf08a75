package exchange_test

import (
	"syscall"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// countingWriter counts the bytes of a file written to nowhere.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(b []byte) (int, error) { w.n += int64(len(b)); return len(b), nil }

// cpuTime is the CPU time the process has used, user and system: the
// export compresses on every core, so wall time hides what it costs.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExportVillage exports 2,500 households (about 8,700 rows, the
// size of the village the soak of issue 19 downloads) from SQLite, or from
// PostgreSQL with -run none -bench ExportVillage/postgres: what one 导出国家
// request costs the server, reading included.
func BenchmarkExportVillage(b *testing.B) {
	dbtest.EachBench(b, func(b *testing.B, db *sqlstore.DB) {
		_, err := db.BulkLoad(ctx, admin, "bench", func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: 2500, Seed: 9, Today: fupin.DateOf(timeNow())}, emit)
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		var w countingWriter
		cpu := cpuTime(b)
		for b.Loop() {
			w.n = 0
			if _, err := exchange.Export(ctx, db, admin, "500236266", "xlsx", nil, &w); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N)/1e6, "cpu-ms/op")
		b.ReportMetric(float64(w.n), "file-bytes")
	})
}
