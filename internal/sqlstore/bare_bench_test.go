package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// BenchmarkBareInsertSQLite is the floor BulkLoad is compared with: the
// same rows into the same (fully indexed) tables by single-row prepared
// INSERTs in one transaction, rows built before the clock starts.
func BenchmarkBareInsertSQLite(b *testing.B) {
	ctx := context.Background()
	var people int
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		db := freshDB(b, filepath.Join(b.TempDir(), "bare.db"))
		rows := make(chan rowBatch, 1000)
		ids := make(chan loadStart, 1)
		ids <- loadStart{hid: 1, mid: 1}
		err := db.produceRows(ctx, LoadOptions{}, ids, rows, nil, nil, func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: 30000, Seed: 1, Today: fupin.NewDate(2026, 11, 29)}, emit)
		})
		close(rows)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		err = db.update(ctx, fupin.SystemActor("bench"), func(tx *Tx) error {
			if err := tx.ensureVillages(ctx, villageCodes()); err != nil {
				return err
			}
			for rb := range rows {
				if err := tx.savePolicies(ctx, rb.policies); err != nil {
					return err
				}
				if err := bareInsert(ctx, tx, rb); err != nil { // floor_bench_test.go
					return err
				}
				people += rb.stats.Members
			}
			return nil
		})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(float64(people)/elapsed.Seconds(), "people/s")
}

func villageCodes() []string {
	var out []string
	for _, v := range demo.Villages() {
		out = append(out, v.Code)
	}
	return out
}
