package sqlstore_test

import (
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"fupin/internal/sqlstore"
)

// BenchmarkScanFloor is the floor of the export and assess rows of
// scripts/bench-scale.sh: a plain streaming SELECT * of the households,
// members and incomes tables through database/sql (raw bytes, nothing
// decoded or kept). Run it alone under /usr/bin/time for its memory:
//
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench ScanFloor -benchtime 1x ./internal/sqlstore
func BenchmarkScanFloor(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	driver, src := "sqlite", "file:"+dsn+"?mode=ro"
	if sqlstore.IsPostgres(dsn) {
		driver, src = "pgx", dsn
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		n := 0
		for _, table := range []string{"households", "members", "incomes"} {
			rows, err := db.Query(`SELECT * FROM ` + table)
			if err != nil {
				b.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			rows.Close()
		}
		fmt.Printf("scan floor: SELECT * of households, members, incomes: %d rows in %.1f s\n", n, time.Since(start).Seconds())
	}
}
