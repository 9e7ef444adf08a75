package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// readErr opens data as an xlsx within lim and reads it to the end, returning the first error
// (of the open or of Next) that is not io.EOF.
func readErr(t *testing.T, data []byte, lim Limits) error {
	t.Helper()
	r, err := openXLSX(bytes.NewReader(data), int64(len(data)), lim)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		if _, err := r.Next(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func wantLimitErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want ErrFormat saying %q", err, want)
	}
}

func sheetOf(rows string) string {
	return `<worksheet><sheetData>` + rows + `</sheetData></worksheet>`
}

func TestXLSXLimits(t *testing.T) {
	big := strings.Repeat("超长", 6000) // 36,000 bytes
	richRuns := strings.Repeat(`<r><t>`+strings.Repeat("x", 1000)+`</t></r>`, 40)
	tests := []struct {
		name  string
		sheet string
		lim   Limits
		want  string
	}{
		{"cell over 32 KB (fast path)", sheetOf(`<row r="7"><c r="A7"><v>1</v></c><c r="B7" t="inlineStr"><is><t>` + big + `</t></is></c></row>`),
			DefaultLimits, "工作表「数据」第 7 行 B 列的内容过长（超过 32 KB 上限）"},
		{"cell over 32 KB in rich-text runs", sheetOf(`<row r="3"><c r="C3" t="inlineStr"><is>` + richRuns + `</is></c></row>`),
			DefaultLimits, "第 3 行 C 列的内容过长"},
		{"number cell over 32 KB", sheetOf(`<row r="2"><c r="D2"><v>` + strings.Repeat("9", 40_000) + `</v></c></row>`),
			DefaultLimits, "第 2 行 D 列的内容过长"},
		{"text node beyond the scanner's bound", sheetOf(`<row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("y", 3<<20) + `</t></is></c></row>`),
			DefaultLimits, "第 1 行 A 列的内容过长"},
		{"cells without references beyond XFD", sheetOf(`<row r="1">` + strings.Repeat(`<c/>`, 20_000) + `<c><v>1</v></c></row>`),
			DefaultLimits, "第 1 行超过 16384 列上限"},
		{"row over its byte bound", sheetOf(`<row r="4">` + strings.Repeat(`<c t="inlineStr"><is><t>`+strings.Repeat("z", 30_000)+`</t></is></c>`, 40) + `</row>`),
			DefaultLimits, "第 4 行内容过多（超过 1024 KB 上限）"},
		{"rows over the file's bound", sheetOf(strings.Repeat(`<row><c><v>1</v></c></row>`, 11)),
			Limits{Rows: 10}, "文件超过 10 行上限"},
		{"parts over the uncompressed bound", sheetOf(strings.Repeat(`<row><c><v>1</v></c></row>`, 100)),
			Limits{XMLBytes: 1000}, "超过 0 MB 上限"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantLimitErr(t, readErr(t, handmade(t, zip.Deflate, tt.sheet), tt.lim), tt.want)
		})
	}
}

// A part inflating to more than 100 times its compressed size (over 64 MiB) is refused when the
// workbook is opened, before anything is inflated.
func TestXLSXZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 65 MB part")
	}
	row := `<row><c t="inlineStr"><is><t>0</t></is></c></row>`
	sheet := sheetOf(strings.Repeat(row, (65<<20)/len(row)))
	data := handmade(t, zip.Deflate, sheet)
	_, err := openXLSX(bytes.NewReader(data), int64(len(data)), DefaultLimits)
	wantLimitErr(t, err, "疑似压缩炸弹")
}

// sstOf is a shared strings part of n empty items.
func sstOf(n int, uniqueCount string) string {
	return `<sst uniqueCount="` + uniqueCount + `">` + strings.Repeat(`<si/>`, n) + `</sst>`
}

func TestXLSXSharedStringsLimits(t *testing.T) {
	withSST := func(sst string) []byte {
		return buildZip(t, zip.Deflate, "_rels/.rels", rootRels, "xl/workbook.xml", workbookXML,
			"xl/_rels/workbook.xml.rels", workbookRels, "xl/sharedStrings.xml", sst,
			"xl/worksheets/sheet1.xml", sheet1XML, "xl/worksheets/sheet2.xml", sheet2XML)
	}
	small := Limits{SharedBytes: 1 << 20, CellBytes: 32 << 10}
	// Empty items cost 8 bytes each: 131,072 of them fill a 1 MiB budget.
	err := readErr(t, withSST(sstOf(200_000, "")), small)
	wantLimitErr(t, err, "共享字符串表过大")
	// A stated count beyond the budget is refused before reading the items.
	err = readErr(t, withSST(sstOf(10, "70000000")), small)
	wantLimitErr(t, err, "共享字符串表声明 70000000 项")
	err = readErr(t, withSST(sstOf(10, "99999999999999999999999")), small)
	wantLimitErr(t, err, "共享字符串表声明")
	// An item is a cell: over 32 KB is refused.
	err = readErr(t, withSST(`<sst><si><t>`+strings.Repeat("长", 11_000)+`</t></si></sst>`), small)
	wantLimitErr(t, err, "共享字符串表第 1 项过长")
	// Within the budget, items spanning several blocks read back by index.
	var b strings.Builder
	b.WriteString(`<sst>`)
	for i := range 3 * sstBlockSize {
		if i%1000 == 0 {
			b.WriteString(`<si><t>第` + string(rune('A'+i/1000%26)) + `</t></si>`)
		} else {
			b.WriteString(`<si/>`)
		}
	}
	b.WriteString(`</sst>`)
	s, err := loadSharedStrings(strings.NewReader(b.String()), int64(b.Len()), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1000, 66_000, 131_000, 196_000} {
		if got, ok := s.get(i); !ok || got != "第"+string(rune('A'+i/1000%26)) {
			t.Errorf("item %d = %q, %v", i, got, ok)
		}
	}
	if got, ok := s.get(3*sstBlockSize - 1); !ok || got != "" {
		t.Errorf("last item = %q, %v", got, ok)
	}
	if _, ok := s.get(3 * sstBlockSize); ok {
		t.Error("item past the end found")
	}
}

func TestCSVLimits(t *testing.T) {
	long := strings.Repeat("长", 12_000) // 36,000 bytes
	tests := []struct {
		name string
		in   string
		lim  Limits
		want string
	}{
		{"cell over 32 KB", "a,b\nc," + long + "\n", DefaultLimits, "CSV 文件第 2 行 B 列的内容过长（超过 32 KB 上限）"},
		{"quoted cell over 32 KB on later lines", "a\n\"x\n" + long + "\"\n", DefaultLimits, "CSV 文件第 2 行 A 列的内容过长"},
		{"too many columns", strings.Repeat(",", 20_000) + "x\n", DefaultLimits, "CSV 文件第 1 行超过 16384 列上限"},
		{"too many rows", strings.Repeat("x\n", 11), Limits{Rows: 10}, "文件超过 10 行上限"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := newCSV(strings.NewReader(tt.in), int64(len(tt.in)), nil, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			for err == nil {
				_, err = c.Next()
			}
			wantLimitErr(t, err, tt.want)
		})
	}
}

// A 100 MB line is refused after about a megabyte has been read: encoding/csv would hold it
// whole (and then some) in memory.
func TestCSVLongLineStopsEarly(t *testing.T) {
	const size = 100 << 20
	src := io.MultiReader(strings.NewReader("姓名,证件号码\n张三,1\n"), &repeatReader{b: 'x', n: size})
	c, err := newCSV(src, -1, nil, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for err == nil {
		if _, err = c.Next(); err == nil {
			rows++
		}
	}
	wantLimitErr(t, err, "CSV 文件第 3 行过长（超过 1024 KB 上限）")
	if done, _ := c.bytesRead(); rows != 2 || done > 2<<20 {
		t.Errorf("read %d rows and %d bytes before refusing the line", rows, done)
	}
}

// repeatReader yields n copies of b.
type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}

// TestSharedBytes: the memory of the shared strings table as the budget
// counts it (text plus 8 bytes an item), for callers that size their own
// memory limit by it; 0 for CSV.
func TestSharedBytes(t *testing.T) {
	sst := `<sst><si><t>户主</t></si><si/><si><t>abc</t></si></sst>`
	data := buildZip(t, zip.Deflate, "_rels/.rels", rootRels, "xl/workbook.xml", workbookXML,
		"xl/_rels/workbook.xml.rels", workbookRels, "xl/sharedStrings.xml", sst,
		"xl/worksheets/sheet1.xml", sheet1XML, "xl/worksheets/sheet2.xml", sheet2XML)
	r, err := OpenXLSX(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, want := SharedBytes(r), int64(len("户主")+len("abc")+3*8); got != want {
		t.Errorf("SharedBytes = %d, want %d", got, want)
	}
	c, err := OpenCSV(strings.NewReader("a,b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := SharedBytes(c); got != 0 {
		t.Errorf("SharedBytes of a CSV = %d", got)
	}
}
