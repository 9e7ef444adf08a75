package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"io"
	neturl "net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/xuri/excelize/v2"

	"fupin/internal/fupin"
	"fupin/internal/layout"
	"fupin/internal/xlsx"
)

// BenchmarkFileFloors measures, on one national-layout file
// (FUPIN_BENCH_FILE, e.g. made by `fupin demo --households 305000 --out`),
// the floors an import is compared with:
//
//   - excelize-rows: excelize's Rows() iterator reading every cell of every
//     sheet, nothing else;
//   - reader: this project's streaming reader doing the same;
//   - decode: reading plus decoding and checking every household;
//   - bare-insert-sqlite: the decoded rows written to a fresh, fully indexed
//     SQLite registry by single-row prepared INSERTs in one transaction;
//     only the time spent in the INSERTs is counted;
//   - bare-copy-postgres (with FUPIN_TEST_POSTGRES_URL): the same rows by
//     plain COPY into the indexed tables, only the COPY time counted.
//
// Run with -benchtime 1x; the import itself is timed by the `fupin import`
// command on the same file (README, "Benchmarks").
func BenchmarkFileFloors(b *testing.B) {
	path := os.Getenv("FUPIN_BENCH_FILE")
	if path == "" {
		b.Skip("FUPIN_BENCH_FILE not set")
	}
	b.Run("excelize-rows", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f, err := excelize.OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, sheet := range f.GetSheetList() {
				rows, err := f.Rows(sheet)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
					cells, err := rows.Columns(excelize.Options{RawCellValue: true})
					if err != nil {
						b.Fatal(err)
					}
					n += len(cells)
				}
				rows.Close()
			}
			f.Close()
			b.ReportMetric(float64(n), "cells")
		}
	})
	b.Run("reader", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			n := 0
			eachFileRow(b, path, func(row xlsx.Row) { n += len(row.Cells) })
			b.ReportMetric(float64(n), "cells")
		}
	})
	b.Run("decode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			people := 0
			decodeFile(b, path, func(h *fupin.Household) error { people += len(h.Members); return nil })
			b.ReportMetric(float64(people), "people")
		}
	})
	b.Run("bare-insert-sqlite", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			db := freshDB(b, filepath.Join(b.TempDir(), "floor.db"))
			people, spent := bareLoad(b, db, path, func(ctx context.Context, tx *Tx, rb rowBatch) error {
				return bareInsert(ctx, tx, rb)
			})
			db.Close()
			b.ReportMetric(spent.Seconds(), "insert-s")
			b.ReportMetric(float64(people)/spent.Seconds(), "people/s")
		}
	})
	b.Run("bare-copy-postgres", func(b *testing.B) {
		url := os.Getenv("FUPIN_TEST_POSTGRES_URL")
		if url == "" {
			b.Skip("FUPIN_TEST_POSTGRES_URL not set")
		}
		for i := 0; i < b.N; i++ {
			db := freshPostgres(b, url)
			people, spent := bareLoad(b, db, path, func(ctx context.Context, tx *Tx, rb rowBatch) error {
				return tx.conn.Raw(func(dc any) error {
					pc := dc.(*stdlib.Conn).Conn()
					for _, c := range bulkTablesOf(rb) {
						if _, err := pc.CopyFrom(ctx, pgx.Identifier{c.table}, splitCols(c.cols), &flatRows{flat: c.flat, width: c.width, i: -1}); err != nil {
							return err
						}
					}
					return nil
				})
			})
			db.Close()
			b.ReportMetric(spent.Seconds(), "copy-s")
			b.ReportMetric(float64(people)/spent.Seconds(), "people/s")
		}
	})
}

func eachFileRow(b *testing.B, path string, fn func(xlsx.Row)) {
	r, err := xlsx.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
		fn(row)
	}
}

// decodeFile decodes the file and hands each valid household to emit.
func decodeFile(b *testing.B, path string, emit func(*fupin.Household) error) {
	dec := layout.NewDecoder(layout.Options{Today: fupin.DateOf(time.Now())})
	var err error
	use := func(ds []layout.Decoded) {
		for _, d := range ds {
			if d.Household != nil && len(d.Errors) == 0 && err == nil {
				err = emit(d.Household)
			}
		}
	}
	eachFileRow(b, path, func(row xlsx.Row) {
		ds, derr := dec.Row(row.Sheet, row.Num, row.Cells)
		if derr != nil {
			b.Fatal(derr)
		}
		use(ds)
	})
	use(dec.Flush())
	if err != nil {
		b.Fatal(err)
	}
}

// bareLoad decodes the file into flat rows (produceRows, on its own
// goroutine) and hands each batch to write inside one transaction, counting
// only the time write takes.
func bareLoad(b *testing.B, db *DB, path string, write func(context.Context, *Tx, rowBatch) error) (people int, spent time.Duration) {
	ctx := context.Background()
	err := db.updateOnConn(ctx, fupin.SystemActor("bench"), func(tx *Tx) error {
		params, err := tx.paramRows(ctx)
		if err != nil {
			return err
		}
		start := make(chan loadStart, 1)
		start <- loadStart{hid: 1, mid: 1, params: params}
		batches := make(chan rowBatch, 4)
		go func() {
			defer close(batches)
			if err := db.produceRows(ctx, LoadOptions{}, start, batches, nil, nil, func(emit func(*fupin.Household) error) error {
				decodeFile(b, path, emit)
				return nil
			}); err != nil {
				b.Error(err)
			}
		}()
		for rb := range batches {
			if err := tx.ensureVillages(ctx, rb.villages); err != nil {
				return err
			}
			if err := tx.savePolicies(ctx, rb.policies); err != nil {
				return err
			}
			t0 := time.Now()
			if err := write(ctx, tx, rb); err != nil {
				return err
			}
			spent += time.Since(t0)
			people += rb.stats.Members
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return people, spent
}

type tableRows struct {
	table, cols string
	width       int
	flat        []any
}

func bulkTablesOf(rb rowBatch) []tableRows {
	return []tableRows{{"households", bulkHouseholdCols, bulkHouseholdW, rb.households},
		{"members", bulkMemberCols, bulkMemberW, rb.members},
		{"incomes", bulkIncomeCols, bulkIncomeW, rb.incomes},
		{"verdicts", verdictCols, verdictColCount, rb.verdicts}}
}

// bareInsert writes a batch by single-row prepared INSERTs.
func bareInsert(ctx context.Context, tx *Tx, rb rowBatch) error {
	for _, t := range bulkTablesOf(rb) {
		mi := &multiInsert{table: t.table, cols: t.cols, width: t.width}
		st, err := tx.PrepareContext(ctx, mi.statement(1))
		if err != nil {
			return err
		}
		for k := 0; k+t.width <= len(t.flat); k += t.width {
			if _, err := st.ExecContext(ctx, t.flat[k:k+t.width]...); err != nil {
				st.Close()
				return err
			}
		}
		st.Close()
	}
	return nil
}

func freshDB(b *testing.B, path string) *DB {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// freshPostgres opens the database at url in a new, empty schema.
func freshPostgres(b *testing.B, url string) *DB {
	ctx := context.Background()
	admin, err := sql.Open("pgx", url)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	schema := "floor_bench"
	if _, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema); err != nil {
		b.Fatal(err)
	}
	u, err := neturl.Parse(url)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return freshDB(b, u.String())
}
