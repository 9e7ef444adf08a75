package xlsx

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"
)

// Excel itself saves every text in the shared strings table, so an export re-saved in Excel
// makes the reader hold a table of millions of unique ID numbers. This benchmark measures that
// case: the same registry as BenchmarkRead, 1,000,000 rows in one sheet, written the way
// Excel writes it (parts written by hand: excelize would need gigabytes to build it).
const (
	sharedBenchRows = 1_000_000
	sharedBenchFile = "fupin-bench-shared-1000000x24-v1.xlsx"
)

// uniqueCols are the registry columns whose values (almost) never repeat.
var uniqueCols = map[int]bool{5: true, 6: true, 9: true, 21: true, 22: true}

// Its table (about 70 MB) is read from memory and from the temporary file it spills to by
// default, in the same run.
func BenchmarkReadSharedStrings(b *testing.B) {
	name := cachedFile(b, sharedBenchFile, func(tmp string) error { return writeSharedRegistry(tmp, sharedBenchRows) })
	defer func(old int64) { spillAt = old }(spillAt)
	for _, c := range []struct {
		name string
		at   int64
	}{{"memory", 1 << 40}, {"spilled", 0}} {
		b.Run(c.name, func(b *testing.B) {
			spillAt = c.at
			benchReader(b, name, sharedBenchRows)
		})
	}
}

func writeSharedRegistry(name string, rows int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, p := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", rootRels},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
	} {
		w, err := zw.Create(p[0])
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, p[1]); err != nil {
			return err
		}
	}
	common, commonList := map[string]int{}, []string(nil)
	cells := make([]any, benchCols)
	for i := range rows {
		registryRow(i, cells)
		for c, v := range cells {
			if s := v.(string); !uniqueCols[c] && s != "" {
				if _, ok := common[s]; !ok {
					common[s] = len(commonList)
					commonList = append(commonList, s)
				}
			}
		}
	}
	if err := writePart(zw, "xl/sharedStrings.xml", func(w *bufio.Writer) {
		fmt.Fprintf(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(commonList)+rows*len(uniqueCols), len(commonList)+rows*len(uniqueCols))
		for _, s := range commonList {
			w.WriteString("<si><t>" + s + "</t></si>")
		}
		for i := range rows {
			registryRow(i, cells)
			for c := range benchCols {
				if uniqueCols[c] {
					w.WriteString("<si><t>" + cells[c].(string) + "</t></si>")
				}
			}
		}
		w.WriteString("</sst>")
	}); err != nil {
		return err
	}
	if err := writePart(zw, "xl/worksheets/sheet1.xml", func(w *bufio.Writer) {
		w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		next := len(commonList)
		for i := range rows {
			registryRow(i, cells)
			num := strconv.Itoa(i + 1)
			w.WriteString(`<row r="` + num + `" spans="1:24">`)
			for c, v := range cells {
				idx, ok := common[v.(string)]
				if uniqueCols[c] {
					idx, ok = next, true
					next++
				}
				if ok {
					w.WriteString(`<c r="` + string(rune('A'+c)) + num + `" s="1" t="s"><v>` + strconv.Itoa(idx) + `</v></c>`)
				}
			}
			w.WriteString(`</row>`)
		}
		w.WriteString(`</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	}); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func writePart(zw *zip.Writer, name string, write func(w *bufio.Writer)) error {
	zf, err := zw.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(zf, 1<<20)
	write(w)
	return w.Flush()
}
