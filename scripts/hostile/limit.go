package main

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The files at the limits, made from a registry CSV (fupin demo --out
// src.csv --households 603000: about 2.09 M rows, just under the 2.1 M row
// limit). Each is legal or close to it, so an import runs as far as it can:
//   - limit.xlsx: every cell a shared string, and one more column of
//     distinct filler so that the shared strings table fills the 160 MB
//     budget (text plus 8 bytes an item) to within 1 MB; two sheets, as
//     real county exports of over 1,048,575 people have;
//   - limit.csv: the same rows with filler so that the file is just under
//     the 1 GB upload limit;
//   - errwide.csv: rows of 31 cells of 32,000 bytes each in checked columns
//     (each one an error), so that the error report would hold 32 KB
//     values: the first 100 MB of such rows.
const (
	sharedBudget = 160 << 20
	uploadLimit  = 1 << 30
	fillerColumn = "填充说明（测试）"
)

func writeLimits(dir, src string) {
	rows := readCSV(src)
	fmt.Println(filepath.Join(dir, "limit.xlsx"))
	limitXLSX(filepath.Join(dir, "limit.xlsx"), rows)
	fmt.Println(filepath.Join(dir, "limit.csv"))
	limitCSV(filepath.Join(dir, "limit.csv"), rows)
	fmt.Println(filepath.Join(dir, "errwide.csv"))
	errWide(filepath.Join(dir, "errwide.csv"), rows)
}

func readCSV(path string) [][]string {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = false
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		check(err)
		for i, c := range rec {
			// Fupin's CSV export quotes a cell starting with = + - @ with
			// a ' (formula injection); its CSV reader takes it off again,
			// an xlsx cell would keep it.
			if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r'", rune(c[1])) {
				rec[i] = c[1:]
			}
		}
		rows = append(rows, rec)
	}
	rows[0][0] = strings.TrimPrefix(rows[0][0], "\ufeff")
	return rows
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// filler returns row i's distinct filler of n bytes.
func filler(i, n int) string {
	s := strconv.Itoa(i) + "-"
	if n <= len(s) {
		return s
	}
	return s + strings.Repeat("x", n-len(s))
}

func limitXLSX(path string, rows [][]string) {
	// Pass 1: the distinct strings and the budget they take.
	index := map[string]int{}
	var order []string
	var budget int64
	intern := func(s string) int {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = len(order)
		order = append(order, s)
		budget += int64(len(s)) + 8
		return len(order) - 1
	}
	for _, r := range rows {
		for _, c := range r {
			intern(c)
		}
	}
	intern(fillerColumn)
	data := len(rows) - 1
	// The registry's own strings take most of the budget (Excel's way:
	// every text cell shared): the rest goes to distinct fillers of 1,000
	// bytes on the first rows.
	const per = 1000
	room := int((sharedBudget - (1 << 20) - budget) / (per + 8))
	fmt.Printf("  %d rows, %d distinct strings (%.1f MB of budget) + %d fillers of %d bytes\n", len(rows), len(order), float64(budget)/(1<<20), max(room, 0), per)
	f, err := os.Create(path)
	check(err)
	zw := zip.NewWriter(f)
	put := func(name, body string) {
		w, err := zw.Create(name)
		check(err)
		_, err = io.WriteString(w, body)
		check(err)
	}
	put("_rels/.rels", rootRels)
	put("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Sheet2" sheetId="2" r:id="rId3"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	header := append(append([]string{}, rows[0]...), fillerColumn)
	half := 1 + data/2
	for sheet, part := range [][][]string{rows[1:half], rows[half:]} {
		w, err := zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", sheet+1))
		check(err)
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		sheetRow(bw, 1, header, index)
		for i, r := range part {
			n := i + 1
			if sheet == 1 {
				n += half - 1
			}
			cells := r
			if n <= room {
				fill := filler(n, per)
				intern(fill)
				cells = append(r, fill)
			}
			sheetRow(bw, i+2, cells, index)
		}
		bw.WriteString(`</sheetData></worksheet>`)
		check(bw.Flush())
	}
	w, err := zw.Create("xl/sharedStrings.xml")
	check(err)
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(order), len(order))
	for _, s := range order {
		bw.WriteString("<si><t>")
		xmlEscape(bw, s)
		bw.WriteString("</t></si>")
	}
	bw.WriteString(`</sst>`)
	check(bw.Flush())
	check(zw.Close())
	check(f.Close())
	fmt.Printf("  shared strings: %d items, %.1f MB of the %d MB budget\n", len(order), float64(budget)/(1<<20), sharedBudget>>20)
}

func sheetRow(bw *bufio.Writer, n int, cells []string, index map[string]int) {
	fmt.Fprintf(bw, `<row r="%d">`, n)
	for j, c := range cells {
		if c == "" {
			continue
		}
		fmt.Fprintf(bw, `<c r="%s%d" t="s"><v>%d</v></c>`, colName(j), n, index[c])
	}
	bw.WriteString(`</row>`)
}

func colName(j int) string {
	s := ""
	for j++; j > 0; j = (j - 1) / 26 {
		s = string(rune('A'+(j-1)%26)) + s
	}
	return s
}

func xmlEscape(bw *bufio.Writer, s string) {
	for _, r := range s {
		switch r {
		case '&':
			bw.WriteString("&amp;")
		case '<':
			bw.WriteString("&lt;")
		case '>':
			bw.WriteString("&gt;")
		default:
			bw.WriteRune(r)
		}
	}
}

// limitCSV writes the rows with filler so that the file is just under the
// upload limit.
func limitCSV(path string, rows [][]string) {
	var size int64
	for _, r := range rows {
		size += int64(len(strings.Join(r, ","))) + 1
	}
	data := len(rows) - 1
	per := int((uploadLimit-(1<<20)-size)/int64(data)) - 1
	f, err := os.Create(path)
	check(err)
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	check(w.Write(append(append([]string{}, rows[0]...), fillerColumn)))
	for i, r := range rows[1:] {
		check(w.Write(append(r, filler(i+1, per))))
	}
	w.Flush()
	check(w.Error())
	check(bw.Flush())
	check(f.Close())
	fmt.Printf("  %d rows + %d filler bytes a row\n", len(rows), per)
}

// errWide writes rows whose checked columns each hold 32,000 bytes of text
// that is not a valid value: 31 errors a row, up to 100 MB.
func errWide(path string, rows [][]string) {
	hdr := rows[0]
	var cols []int
	for j, h := range hdr {
		switch h {
		case "人数", "务工时间（月）", "人均纯收入", "首次识别时间", "风险识别时间", "住房面积", "日供水量（升/人）",
			"取水时间（分钟）", "取水水平距离（米）", "取水垂直距离（米）", "年缺水天数", "距村主干路（公里）", "耕地", "林地",
			"退耕还林", "林果", "牧草地", "水面", "两不愁核查日期", "收入年度", "工资性收入", "生产经营性收入", "财产性收入",
			"转移性收入", "生产经营性支出", "理赔收入", "合规自付支出", "家庭年纯收入", "加入日期", "减员日期", "脱贫时间":
			cols = append(cols, j)
		}
	}
	junk := strings.Repeat("z", 32000)
	f, err := os.Create(path)
	check(err)
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	check(w.Write(hdr))
	var size int64
	n := 0
	for _, r := range rows[1:] {
		if size > 100<<20 {
			break
		}
		out := append([]string{}, r...)
		for _, j := range cols {
			out[j] = junk
		}
		check(w.Write(out))
		size += int64(len(cols)) * 32000
		n++
	}
	w.Flush()
	check(bw.Flush())
	check(f.Close())
	fmt.Printf("  %d rows, %d checked columns of 32,000 bytes each\n", n, len(cols))
}
