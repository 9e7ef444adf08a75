package layout

import (
	"strings"
	"testing"

	"fupin/internal/demo"
)

// exportedText exports n generated households into one string holding
// every cell back to back, with the cells' end offsets and the rows' ends
// (in cells). Nothing in it holds a pointer, so, as with a streaming reader,
// the garbage collector has no large live heap to scan.
func exportedText(b *testing.B, n int, columns []fieldID) (text string, cellEnds []int32, rowEnds []int) {
	var sb strings.Builder
	add := func(row []string) {
		for _, f := range columns {
			sb.WriteString(row[f])
			cellEnds = append(cellEnds, int32(sb.Len()))
		}
		rowEnds = append(rowEnds, len(cellEnds))
	}
	add(ExportHeader())
	for _, h := range demoHouseholds(b, n) {
		for _, row := range EncodeHousehold(h, nil) {
			if len(columns) > int(fLeftOn) || row[fLeftOn] == "" { // national lists hold current members
				add(row)
			}
		}
	}
	return sb.String(), cellEnds, rowEnds
}

// BenchmarkDecode decodes the export of 3,000 generated households (about
// 10,000 person rows of 86 columns), fed one row at a time as a streaming
// reader would: the cells are substrings of the file's text in a slice
// reused for every row. It reports rows per second.
func BenchmarkDecode(b *testing.B) {
	all := make([]fieldID, nExport)
	for f := range all {
		all[f] = fieldID(f)
	}
	benchmarkDecode(b, all)
}

// BenchmarkDecodeNational decodes the same households as a national list:
// current members only, the 28 national columns and 风险消除方式 (which
// fupin requires of a household whose risk was eliminated), the village
// resolved from its names.
func BenchmarkDecodeNational(b *testing.B) {
	var national []fieldID
	for f := range fVillageCode {
		national = append(national, f)
	}
	benchmarkDecode(b, append(national, fEliminationMode))
}

func benchmarkDecode(b *testing.B, columns []fieldID) {
	text, cellEnds, rowEnds := exportedText(b, 3000, columns)
	cells := make([]string, nExport)
	b.ResetTimer()
	b.ReportAllocs()
	for range b.N {
		d := NewDecoder(Options{Today: testToday, Area: demo.TownshipCode})
		n, c, start := 0, 0, int32(0)
		for i, end := range rowEnds {
			row := cells[:end-c]
			for j := range row {
				row[j] = text[start:cellEnds[c]]
				start = cellEnds[c]
				c++
			}
			done, err := d.Row("Sheet1", i+1, row)
			if err != nil {
				b.Fatal(err)
			}
			for _, x := range done {
				if len(x.Errors) > 0 {
					b.Fatal(x.Errors)
				}
			}
			n += len(done)
		}
		n += len(d.Flush())
		if n != 3000 {
			b.Fatalf("%d households", n)
		}
	}
	b.ReportMetric(float64((len(rowEnds)-1)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkEncode exports 3,000 generated households.
func BenchmarkEncode(b *testing.B) {
	hs := demoHouseholds(b, 3000)
	b.ResetTimer()
	b.ReportAllocs()
	rows := 0
	for range b.N {
		for _, h := range hs {
			rows += len(EncodeHousehold(h, nil))
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
