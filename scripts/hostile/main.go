// Command hostile writes the hostile spreadsheets the import limits are measured against
// (README, "导入文件的上限"): go run ./scripts/hostile DIR, then time `fupin import` on each;
// go run ./scripts/hostile DIR REGISTRY.csv writes the files at the limits instead (limit.go).
package main

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

const rootRels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
const wb = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`
const wbRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`

func xlsx(name string, sst func(w io.Writer), sheet func(w io.Writer)) {
	f, _ := os.Create(name)
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, p := range [][2]string{{"_rels/.rels", rootRels}, {"xl/workbook.xml", wb}, {"xl/_rels/workbook.xml.rels", wbRels}} {
		w, _ := zw.Create(p[0])
		io.WriteString(w, p[1])
	}
	w, _ := zw.Create("xl/sharedStrings.xml")
	bw := bufio.NewWriterSize(w, 1<<20)
	sst(bw)
	bw.Flush()
	w, _ = zw.Create("xl/worksheets/sheet1.xml")
	bw = bufio.NewWriterSize(w, 1<<20)
	sheet(bw)
	bw.Flush()
	zw.Close()
}

func smallSheet(w io.Writer) {
	io.WriteString(w, `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`)
}

func main() {
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/hostile DIR [REGISTRY.csv]")
		os.Exit(2)
	}
	dir := os.Args[1]
	if len(os.Args) == 3 {
		// The files at the limits (limit.go), made from a registry CSV.
		writeLimits(dir, os.Args[2])
		return
	}
	for _, f := range []string{"sst70m.xlsx", "sst70m-count.xlsx", "sstbudget.xlsx", "bomb.xlsx", "bigcell.xlsx", "longline.csv", "rows.csv"} {
		write(strings.TrimSuffix(strings.TrimSuffix(f, ".xlsx"), ".csv"), filepath.Join(dir, f))
		fmt.Println(filepath.Join(dir, f))
	}
}

// write makes the file of one kind at path.
func write(kind, path string) {
	switch kind {
	case "sst70m": // 70 M empty shared strings, as in the issue
		xlsx(path, func(w io.Writer) {
			io.WriteString(w, `<sst uniqueCount="1">`)
			s := strings.Repeat("<si/>", 1000)
			for range 70_000 {
				io.WriteString(w, s)
			}
			io.WriteString(w, `</sst>`)
		}, smallSheet)
	case "sst70m-count": // the same, stating its count
		xlsx(path, func(w io.Writer) {
			io.WriteString(w, `<sst uniqueCount="70000000">`)
			s := strings.Repeat("<si/>", 1000)
			for range 70_000 {
				io.WriteString(w, s)
			}
			io.WriteString(w, `</sst>`)
		}, smallSheet)
	case "sstbudget": // 14 M distinct short items: compresses too little for the ratio bound
		xlsx(path, func(w io.Writer) {
			io.WriteString(w, `<sst>`)
			for i := range 14_000_000 {
				fmt.Fprintf(w, "<si><t>%x</t></si>", uint64(i)*0x9E3779B97F4A7C15>>20)
			}
			io.WriteString(w, `</sst>`)
		}, smallSheet)
	case "bomb": // a 2 GB sheet of one repeated row
		xlsx(path, func(w io.Writer) { io.WriteString(w, `<sst><si><t>x</t></si></sst>`) }, func(w io.Writer) {
			io.WriteString(w, `<worksheet><sheetData>`)
			row := `<row><c t="inlineStr"><is><t>0</t></is></c></row>`
			s := strings.Repeat(row, 1000)
			for range (2 << 30) / len(s) {
				io.WriteString(w, s)
			}
			io.WriteString(w, `</sheetData></worksheet>`)
		})
	case "bigcell":
		xlsx(path, func(w io.Writer) { io.WriteString(w, `<sst><si><t>x</t></si></sst>`) }, func(w io.Writer) {
			io.WriteString(w, `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>户主姓名</t></is></c></row><row r="2"><c r="C2" t="inlineStr"><is><t>`+strings.Repeat("长", 20000)+`</t></is></c></row></sheetData></worksheet>`)
		})
	case "longline":
		f, _ := os.Create(path)
		bw := bufio.NewWriter(f)
		bw.WriteString("户编号,姓名,证件号码\n")
		bw.WriteString(strings.Repeat("x", 100<<20))
		bw.WriteString("\n")
		bw.Flush()
		f.Close()
	case "rows": // 2.2 M one-cell rows
		f, _ := os.Create(path)
		bw := bufio.NewWriter(f)
		for range 2_200_000 {
			bw.WriteString("1\n")
		}
		bw.Flush()
		f.Close()
	}
}
