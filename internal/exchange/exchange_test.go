package exchange_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
	"fupin/internal/xlsx"
)

var (
	ctx   = context.Background()
	admin = fupin.SystemActor("测试")
)

func loadDemo(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	_, err := db.BulkLoad(ctx, admin, "test", func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: n, Seed: 9, Today: fupin.DateOf(timeNow())}, emit)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func export(t *testing.T, db *sqlstore.DB, format string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registry."+format)
	var buf bytes.Buffer
	if _, err := exchange.Export(ctx, db, admin, "500236266", format, nil, &buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func importFile(t *testing.T, db *sqlstore.DB, path string, opts exchange.ImportOptions) (*exchange.ImportResult, error) {
	t.Helper()
	job, err := db.CreateImport(ctx, admin, sqlstore.Import{FileName: filepath.Base(path)})
	if err != nil {
		t.Fatal(err)
	}
	return exchange.Import(ctx, db, admin, path, opts, job)
}

// readAll returns every row of a file, for comparing exports.
func readAll(t *testing.T, path string) [][]string {
	t.Helper()
	r, err := xlsx.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out [][]string
	for {
		row, err := r.Next()
		if err != nil {
			break
		}
		out = append(out, append([]string(nil), row.Cells...))
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, src *sqlstore.DB) {
				loadDemo(t, src, 120)
				file := export(t, src, format)
				dst := dbtest.SQLite(t)
				res, err := importFile(t, dst, file, exchange.ImportOptions{})
				if err != nil || res.Job.State != "done" || res.Job.Written != 120 || len(res.Errors) != 0 {
					t.Fatalf("import: %+v %v %v", res.Job, res.Errors, err)
				}
				if diff := cmp.Diff(readAll(t, file), readAll(t, export(t, dst, format))); diff != "" {
					t.Errorf("export of the imported registry differs (-first +second):\n%s", diff)
				}
				again, err := importFile(t, dst, file, exchange.ImportOptions{})
				if err != nil || again.Job.Unchanged != 120 || again.Job.Written != 0 || again.Job.Updated != 0 {
					t.Errorf("same file again: %+v %v", again.Job, err)
				}
				// Back into the registry it came from: the layout carries income
				// totals only, and the detail lines stored there survive.
				back, err := importFile(t, src, file, exchange.ImportOptions{})
				if err != nil || back.Job.Unchanged != 120 || back.Job.Updated != 0 {
					t.Errorf("own export back into the source: %+v %v", back.Job, err)
				}
				page, _ := src.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 1})
				if h, err := src.Household(ctx, admin, page.Items[0].ID); err != nil || len(h.Incomes) == 0 || len(h.Incomes[0].Items) == 0 {
					t.Errorf("income detail lines after importing the export back: %v", err)
				}
			})
		})
	}
}

func TestImportRejectsBadFilesWhole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 40)
		rows := readAll(t, export(t, src, "csv"))
		col := indexOf(rows[0], "证件号码")
		rows[2][col] = "4.10105E+17"
		bad := writeCSV(t, rows)
		res, err := importFile(t, db, bad, exchange.ImportOptions{})
		if err != nil || res.Job.State != "rejected" || res.Job.Invalid != 1 || len(res.Errors) == 0 || res.Errors[0].Row != 3 {
			t.Fatalf("bad file: %+v %+v %v", res.Job, res.Errors, err)
		}
		if n := countHouseholds(t, db); n != 0 {
			t.Fatalf("%d households written from a rejected file", n)
		}
		// The report carries the original row, for the error workbook.
		if got := res.Errors[0].Cells; len(got) <= col || got[col] != "4.10105E+17" || got[indexOf(rows[0], "姓名")] != rows[2][indexOf(rows[0], "姓名")] {
			t.Errorf("error report row cells: %q", got)
		}
		res, err = importFile(t, db, bad, exchange.ImportOptions{SkipInvalid: true})
		if err != nil || res.Job.Written != 39 || countHouseholds(t, db) != 39 {
			t.Fatalf("skip invalid: %+v %v", res.Job, err)
		}
		dry, err := importFile(t, dbtest.SQLite(t), bad, exchange.ImportOptions{DryRun: true, SkipInvalid: true})
		if err != nil || dry.Job.Valid != 39 || dry.Job.Written != 0 {
			t.Errorf("dry run: %+v %v", dry.Job, err)
		}
	})
}

func TestImportInterruptedWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 600)
		file := export(t, src, "csv")
		cctx, cancel := context.WithCancel(ctx)
		job, _ := db.CreateImport(ctx, admin, sqlstore.Import{FileName: "x"})
		_, err := exchange.Import(cctx, db, admin, file, exchange.ImportOptions{Progress: func(j *sqlstore.Import) {
			if j.Phase == "write" && j.RowsRead >= 2000 { // after the first batch of 500 households went in
				cancel()
			}
		}}, job)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("import cancelled while writing: %v", err)
		}
		if n := countHouseholds(t, db); n != 0 {
			t.Fatalf("%d households written by an interrupted import", n)
		}
	})
}

func countHouseholds(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	panic("no column " + s)
}

// A problem in the last row, after many households went into the load's
// transaction, still leaves the database untouched; and the verdicts a load
// computes on the way in are those a full assessment stores.
func TestImportLateErrorAndVerdicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 1200)
		rows := readAll(t, export(t, src, "csv"))
		good := writeCSV(t, rows)
		last := rows[len(rows)-1]
		last[indexOf(rows[0], "证件号码")] = "110101199003071234" // wrong check digit
		bad := writeCSV(t, rows)
		res, err := importFile(t, db, bad, exchange.ImportOptions{})
		if err != nil || res.Job.State != "rejected" || res.Job.Invalid != 1 || res.Job.Valid != 1199 {
			t.Fatalf("late error: %+v %v", res.Job, err)
		}
		if n := countHouseholds(t, db); n != 0 {
			t.Fatalf("%d households written from a file rejected at its last row", n)
		}
		res, err = importFile(t, db, good, exchange.ImportOptions{})
		if err != nil || res.Job.Written != 1200 {
			t.Fatalf("good file: %+v %v", res.Job, err)
		}
		year := fupin.AssessmentYear(fupin.DateOf(timeNow()))
		st, err := db.Assess(ctx, admin, "500236266", year, nil)
		if err != nil || st.Households != 1200 || st.Changed != 0 {
			t.Fatalf("assessment after import: %+v %v (want 1200 households, none changed)", st, err)
		}
		sum, err := db.AssessmentSummary(ctx, admin, "500236266", year)
		if err != nil || sum.Total.Households != 1200 {
			t.Fatalf("summary after import: %+v %v", sum, err)
		}
	})
}
