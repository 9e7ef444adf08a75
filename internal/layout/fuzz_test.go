package layout

import (
	"strings"
	"testing"
)

// FuzzDecodeRow feeds arbitrary cells (tab-separated, rows separated by
// newlines) to a decoder under the export header, to a sheet whose header
// is found among them, and to the parsers of other columns: nothing may
// panic, and every household must come back with its rows.
func FuzzDecodeRow(f *testing.F) {
	for i, h := range demoHouseholds(f, 3) {
		// Small seeds (the first columns of a row) keep the minimisation
		// of new inputs short.
		f.Add(strings.Join(EncodeHousehold(h, nil)[0][:10+10*i], "\t"))
	}
	f.Add("户编号\t姓名\t证件号码\t与户主关系\t户类型\t村代码\n1\t张三\t4.10105E+17\t户主\t脱贫户\t500236266200")
	f.Add("\t\t\t\n鄉(xiāng)\t戶編號\t(\t（")
	f.Add("43896\t60\t2021年2月30日\t１,２３４.５\t√\t残疾,患大病\t因病、缺劳力")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<14 {
			return
		}
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		d := NewDecoder(Options{Today: testToday, Area: "500236266"})
		n := 0
		check := func(done []Decoded, err error) {
			for _, x := range done {
				if x.Household == nil || len(x.Rows) != len(x.Household.Members) {
					t.Fatalf("household with %d rows", len(x.Rows))
				}
				n += len(x.Rows)
			}
		}
		check(d.Row("A", 1, ExportHeader()))
		for i, r := range rows {
			check(d.Row("A", i+2, r))
		}
		for i, r := range rows {
			check(d.Row("B", i+1, r))
		}
		check(d.Flush(), nil)
		if n > 2*len(rows) {
			t.Fatalf("%d member rows from %d rows", n, 2*len(rows))
		}
		DetectHeader(rows)
		for _, r := range rows {
			for j, c := range r { // each cell also as two other columns
				parseCell(fieldID((j+29)%int(nExport)), trim(c))
				parseCell(fieldID((j+57)%int(nExport)), trim(c))
				StripPinyin(c)
				ToSimplified(c)
			}
		}
	})
}
