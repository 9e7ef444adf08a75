package exchange_test

import (
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/sqlstore"
)

// TestImportReportBytesBounded: junk cells of many KB (each one an error)
// are kept in the report cut short, and so are the rows kept with the
// problems, so that a hostile file cannot make an import hold its whole
// text (a 313 MB file of such rows took the import to 793 MB).
func TestImportReportBytesBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 3)
		rows := readAll(t, export(t, src, "csv"))
		// Every row: its ID number replaced by 6,000 bytes of junk (one
		// error), and 100 more columns of 2,000 bytes (not imported).
		// Rows full of junk have one problem a cell; the report stores the
		// row with each: 1,000 copies of 86 cells cut to 1 KB would be 86 MB.
		long := strings.Repeat("长", 2000)
		id := indexOf(rows[0], "证件号码")
		hdr := append([]string(nil), rows[0]...)
		for k := range 100 {
			hdr = append(hdr, "备用列"+strings.Repeat("号", k+1))
		}
		file := [][]string{hdr}
		for i := range 120 {
			r := append([]string(nil), rows[1+i%(len(rows)-1)]...)
			if i >= 100 {
				// The last rows are junk in every column (a problem a
				// cell): the report's byte budget ends the rows kept.
				for j := range r {
					if j != indexOf(rows[0], "户编号") {
						r[j] = strings.Repeat("z", 1500)
					}
				}
			}
			r[indexOf(rows[0], "户编号")] += strings.Repeat("0", i/(len(rows)-1)) // distinct households
			r[id] = long + strings.Repeat("x", i)
			for range 100 {
				r = append(r, strings.Repeat("y", 2000))
			}
			file = append(file, r)
		}
		res, err := importFile(t, db, writeCSV(t, file), exchange.ImportOptions{})
		if err != nil || res.Job.State != "rejected" || len(res.Errors) < 100 {
			t.Fatalf("job %+v, %d errors, %v", res.Job, len(res.Errors), err)
		}
		kept, withCells, withoutCells := 0, 0, 0
		for _, e := range res.Errors {
			if len(e.Value) > 300 {
				t.Fatalf("row %d %s: value of %d bytes kept", e.Row, e.Column, len(e.Value))
			}
			if strings.HasPrefix(e.Value, "长长") && !strings.Contains(e.Value, "已截断") {
				t.Errorf("row %d %s: cut value does not say so: %q", e.Row, e.Column, e.Value)
			}
			if len(e.Cells) == 0 {
				withoutCells++
				continue
			}
			withCells++
			for _, c := range e.Cells {
				if len(c) > 1100 {
					t.Fatalf("row %d: a cell of %d bytes kept for the report", e.Row, len(c))
				}
				kept += len(c)
			}
		}
		if withCells == 0 || withoutCells == 0 || kept > 8<<20 {
			t.Errorf("rows kept for the report: %d bytes; %d problems with their row, %d without", kept, withCells, withoutCells)
		}
		t.Logf("%d problems, %d with their row (%d bytes), %d without", len(res.Errors), withCells, kept, withoutCells)
	})
}
