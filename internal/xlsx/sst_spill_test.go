package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// openSpillFiles counts this process's open descriptors of spilled shared strings tables.
func openSpillFiles(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.Contains(l, "fupin-sst-") {
			n++
		}
	}
	return n
}

// spillWorkbook is a workbook of rows rows whose cells are all shared strings: item i is
// unique text of varying length (some longer than a cache page, some empty), and each row
// references a new item and a frequent one, as a registry export does.
func spillWorkbook(t *testing.T, rows int) []byte {
	var sst, sheet strings.Builder
	item := func(i int) string {
		switch {
		case i%97 == 5:
			return ""
		case i%211 == 7:
			return strings.Repeat("长文本", 2000+i%500) // 12–15 KB, across page boundaries
		}
		return fmt.Sprintf("第%d项&amp;名字%s", i, strings.Repeat("x", i%37))
	}
	fmt.Fprintf(&sst, `<sst uniqueCount="%d">`, rows+3)
	for i := range rows + 3 {
		fmt.Fprintf(&sst, `<si><t>%s</t></si>`, item(i))
	}
	sst.WriteString(`</sst>`)
	sheet.WriteString(`<worksheet><sheetData>`)
	for r := range rows {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c><c r="C%d"><v>%d</v></c></row>`,
			r+1, r+1, r+3, r+1, r%3, r+1, r)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	return buildZip(t, zip.Deflate, "_rels/.rels", rootRels, "xl/workbook.xml", `<workbook><sheets><sheet name="户" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml", sst.String(), "xl/worksheets/sheet1.xml", sheet.String())
}

// TestSharedStringsSpill: a table beyond spillAt goes to temporary files that are already gone
// from the directory while the file is read, its rows read back exactly as from the table in
// memory, its memory is the page caches only, and Close releases the files.
func TestSharedStringsSpill(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	data := spillWorkbook(t, 20_000)
	r, err := OpenXLSX(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	want := readAll(t, r)
	if held := SharedBytes(r); held < 1<<20 || held == spillCacheBytes {
		t.Fatalf("in memory: SharedBytes = %d", held)
	}
	r.Close()

	defer func(old int64) { spillAt = old }(spillAt)
	spillAt = 64 << 10
	base := openSpillFiles(t)
	r, err = OpenXLSX(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := openSpillFiles(t) - base; got != 2 {
		t.Errorf("%d spill files open, want 2", got)
	}
	if got := SharedBytes(r); got != spillCacheBytes {
		t.Errorf("spilled: SharedBytes = %d, want %d", got, spillCacheBytes)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("temporary directory holds %d files while reading", len(ents))
	}
	got := readAll(t, r)
	if len(got) != len(want) || len(want) != 20_000 {
		t.Fatalf("%d rows spilled, %d in memory", len(got), len(want))
	}
	for i := range want {
		if strings.Join(got[i].Cells, "\x00") != strings.Join(want[i].Cells, "\x00") {
			t.Fatalf("row %d: spilled %q, in memory %q", i+1, got[i].Cells, want[i].Cells)
		}
	}
	if s, ok := r.(*xlsxReader).sst.get(20_002); !ok || s != want[19_999].Cells[0] {
		t.Errorf("get(last) = %q, %v", s, ok)
	}
	r.Close()
	if got := openSpillFiles(t) - base; got != 0 {
		t.Errorf("%d spill files open after Close", got)
	}

	// A table refused half-way (over its budget, or truncated) closes its files at once.
	for _, lim := range []Limits{{SharedBytes: 200 << 10}, {}} {
		d := data
		if lim.SharedBytes == 0 {
			d = buildZip(t, zip.Deflate, "_rels/.rels", rootRels, "xl/workbook.xml", workbookXML,
				"xl/_rels/workbook.xml.rels", workbookRels, "xl/sharedStrings.xml", `<sst>`+strings.Repeat(`<si><t>abcdefgh</t></si>`, 20_000),
				"xl/worksheets/sheet1.xml", sheet1XML, "xl/worksheets/sheet2.xml", sheet2XML)
		}
		if _, err := openXLSX(bytes.NewReader(d), int64(len(d)), lim); err == nil {
			t.Fatalf("%+v: no error", lim)
		}
		if got := openSpillFiles(t) - base; got != 0 {
			t.Errorf("%+v: %d spill files open after the error", lim, got)
		}
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("temporary directory holds %d files", len(ents))
	}
}
