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
func exportedText(b *testing.B, n, columns int) (text string, cellEnds []int32, rowEnds []int) {
	var sb strings.Builder
	add := func(row []string) {
		for _, c := range row[:columns] {
			sb.WriteString(c)
			cellEnds = append(cellEnds, int32(sb.Len()))
		}
		rowEnds = append(rowEnds, len(cellEnds))
	}
	add(ExportHeader())
	for _, h := range demoHouseholds(b, n) {
		for _, row := range EncodeHousehold(h, nil) {
			add(row)
		}
	}
	return sb.String(), cellEnds, rowEnds
}

// BenchmarkDecode decodes the export of 3,000 generated households (about
// 10,000 person rows of 86 columns), fed one row at a time as a streaming
// reader would: the cells are substrings of the file's text in a slice
// reused for every row. It reports rows per second.
func BenchmarkDecode(b *testing.B) { benchmarkDecode(b, int(nExport)) }

// BenchmarkDecodeNational decodes the same rows cut to the national list's
// 28 columns, the village resolved from its names.
func BenchmarkDecodeNational(b *testing.B) { benchmarkDecode(b, int(fVillageCode)) }

func benchmarkDecode(b *testing.B, columns int) {
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
