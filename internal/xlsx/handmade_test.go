package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Hand-written parts for what excelize never writes: absolute relationship targets, a hidden
// sheet and a chart sheet, phonetic runs, _xHHHH_ escapes, CDATA, namespace prefixes,
// whitespace between tags, rows and cells without r attributes, all the cell types.
const (
	rootRels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>`
	workbookXML = `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" state="hidden" r:id="rId1"/><sheet name="图表" sheetId="3" r:id="rId3"/><sheet name="第二" sheetId="2" r:id="rId2"/></sheets></workbook>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>`
	sstXML = `<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">` +
		`<si><t>普通</t></si>` +
		`<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve"> 文本</t></r><rPh sb="0" eb="1"><t>フ</t></rPh><phoneticPr fontId="1"/></si>` +
		`<si><t>回车_x000D_换行_x000A_下划线_x005F_x000D_</t></si>` +
		`<si/>` +
		`<si><t>&#x4E2D;&#25991;&amp;&lt;&gt;&quot;&apos;</t></si>` +
		`<si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si></sst>`
	sheet1XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- 注释里的 <row r="1"> 不是行 -->
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:E9"/><sheetData>` +
		`<row r="2" spans="1:5"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c><c r="E2" t="s"><v>4</v></c></row>` +
		`<row r="3"/>` +
		`<row r="4"><c r="B4" s="1"/><c r="C4" s="2"></c><c r="D4" t="s"><v>3</v></c></row>` +
		`<row r="5"><c r="A5"><v>4.10105E+17</v></c><c r="B5" t="n"><v>43896</v></c><c r="C5" t="b"><v>0</v></c><c r="D5" t="e"><v>#N/A</v></c><c r="E5" t="d"><v>2020-03-04T00:00:00Z</v></c></row>` +
		`<row r="6"><c r="A6" t="str"><f>A1&amp;"x"</f><v>公式结果</v></c><c r="C6" t="inlineStr"><is><r><t>内</t></r><r><rPr/><t>联</t></r><rPh><t>ナイ</t></rPh></is></c><c r="D6" t="inlineStr"><is><t>x_x000D_y</t></is></c><c r="E6" t="s"><v>5</v></c></row>` +
		`<row r="8"><c r="A8" foo="a>b" t="inlineStr"><is><t><![CDATA[<不转义> &amp;]]></t></is></c><c r="B8" t="inlineStr"><is><t>&#128512;&#x1F600;&bogus;&amp</t></is></c><c r="C8" t="b"><v>1</v></c><c r="D8" t="inlineStr"><v>写在 v 里</v></c></row>` +
		`</sheetData><mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells></worksheet>`
	sheet2XML = `<?xml version="1.0"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
  <x:sheetData>
    <x:row>
      <x:c t="inlineStr"><x:is><x:t>一</x:t></x:is></x:c>
      <x:c><x:v>2</x:v></x:c>
      <x:c r="E1" t="s"><x:v> 0 </x:v></x:c>
      <x:c><x:v>6</x:v></x:c>
    </x:row>
    <x:row>
      <x:c t="b"><x:v>1</x:v></x:c>
    </x:row>
    <x:row r="10">
      <x:c r="B10" t = 'inlineStr' ><x:is><x:t xml:space="preserve"> 单引号 </x:t></x:is></x:c>
    </x:row>
    <x:row><x:c r="A11"><x:v>11</x:v></x:c></x:row>
  </x:sheetData>
</x:worksheet>`
)

var (
	wantSheet1 = []Row{
		{Sheet: "数据", Num: 2, Cells: []string{"普通", "富 文本", "回车\r换行\n下划线_x000D_", "", "中文&<>\"'"}},
		{Sheet: "数据", Num: 5, Cells: []string{"4.10105E+17", "43896", "FALSE", "#N/A", "2020-03-04T00:00:00Z"}},
		{Sheet: "数据", Num: 6, Cells: []string{"公式结果", "", "内联", "x\ry", "山田"}},
		{Sheet: "数据", Num: 8, Cells: []string{"<不转义> &amp;", "😀😀&bogus;&amp", "TRUE", "写在 v 里"}},
	}
	wantSheet2 = []Row{
		{Sheet: "第二", Num: 1, Cells: []string{"一", "2", "", "", "普通", "6"}},
		{Sheet: "第二", Num: 2, Cells: []string{"TRUE"}},
		{Sheet: "第二", Num: 10, Cells: []string{"", " 单引号 "}},
		{Sheet: "第二", Num: 11, Cells: []string{"11"}},
	}
)

// buildZip writes name/content pairs into a zip archive.
func buildZip(t testing.TB, method uint16, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: parts[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// handmade returns the hand-written workbook with sheet1 replaced when sheet1 is not "".
func handmade(t testing.TB, method uint16, sheet1 string) []byte {
	if sheet1 == "" {
		sheet1 = sheet1XML
	}
	return buildZip(t, method, "_rels/.rels", rootRels, "xl/workbook.xml", workbookXML,
		"xl/_rels/workbook.xml.rels", workbookRels, "xl/sharedStrings.xml", sstXML,
		"xl/worksheets/sheet1.xml", sheet1, "xl/worksheets/sheet2.xml", sheet2XML)
}

func TestXLSXHandmade(t *testing.T) {
	for _, method := range []uint16{zip.Deflate, zip.Store} {
		data := handmade(t, method, "")
		r, err := OpenXLSX(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		got := readAll(t, r)
		if diff := cmp.Diff(append(wantSheet1, wantSheet2...), got); diff != "" {
			t.Errorf("method %d: rows (-want +got):\n%s", method, diff)
		}
		if diff := cmp.Diff([]string{"数据", "第二"}, r.Sheets()); diff != "" {
			t.Errorf("Sheets() (-want +got):\n%s", diff)
		}
		if done, total := BytesRead(r); done != total || total != int64(len(data)) {
			t.Errorf("BytesRead at EOF = %d, %d; want %d, %d", done, total, len(data), len(data))
		}
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if _, err := r.Next(); err == nil {
			t.Error("Next after Close: no error")
		}
		if err := r.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}
}

// TestScannerRefills reads the hand-written parts through readers that hand out a byte or a
// few at a time, so that every token is cut by the end of the buffer somewhere.
func TestScannerRefills(t *testing.T) {
	wraps := []struct {
		name string
		wrap func(s string) io.Reader
	}{
		{"one byte", func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) }},
		{"half", func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) }},
		{"data and EOF", func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) }},
	}
	for _, w := range wraps {
		t.Run(w.name, func(t *testing.T) {
			sst, err := loadSharedStrings(w.wrap(sstXML), 0, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			for _, tt := range []struct {
				xml  string
				want []Row
			}{{sheet1XML, wantSheet1}, {sheet2XML, wantSheet2}} {
				sr := &sheetReader{sst: sst, lim: DefaultLimits}
				sr.reset(w.wrap(tt.xml), int64(len(tt.xml)))
				var got []Row
				for {
					row := Row{Sheet: tt.want[0].Sheet}
					ok, err := sr.next(&row)
					if err != nil {
						t.Fatal(err)
					}
					if !ok {
						break
					}
					row.Cells = append([]string(nil), row.Cells...)
					got = append(got, row)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("rows (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestXLSXLongCell(t *testing.T) {
	// A row longer than the scanner's buffer, of cells just within the 32 KB limit.
	long := strings.Repeat("很长的单元格&lt;", 1_500) // 31.5 KB unescaped
	sheet := `<worksheet><sheetData><row r="1">` + strings.Repeat(`<c t="inlineStr"><is><t>`+long+`</t></is></c>`, 12) +
		`<c r="M1"><v>1</v></c></row></sheetData></worksheet>`
	data := handmade(t, zip.Deflate, sheet)
	r, err := OpenXLSX(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := readAll(t, r)
	want := strings.ReplaceAll(long, "&lt;", "<")
	if len(got) == 0 || len(got[0].Cells) != 13 || got[0].Cells[0] != want || got[0].Cells[11] != want || got[0].Cells[12] != "1" {
		t.Errorf("long cells not read back intact (%d rows)", len(got))
	}
}

// TestXLSXCloseEarly stops in the middle of a sheet big enough to be inflated on a background
// goroutine, while a progress display polls BytesRead from another goroutine.
func TestXLSXCloseEarly(t *testing.T) {
	sheet := `<worksheet><sheetData>` + strings.Repeat(`<row><c t="inlineStr"><is><t>数据</t></is></c><c><v>12345</v></c></row>`, 40_000) + `</sheetData></worksheet>`
	data := handmade(t, zip.Deflate, sheet)
	before := runtime.NumGoroutine()
	r, err := OpenXLSX(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	stop, polled := make(chan struct{}), make(chan int64)
	go func() {
		var last int64
		for {
			select {
			case <-stop:
				// One more look after the rows were read: on a loaded machine the
				// poller may not have run while they were (the concurrent calls
				// before are for the race detector).
				if last == 0 {
					last, _ = BytesRead(r)
				}
				polled <- last
				return
			default:
				last, _ = BytesRead(r)
			}
		}
	}()
	for i := range 1000 {
		row, err := r.Next()
		if err != nil || row.Num != i+1 || row.Cells[0] != "数据" {
			t.Fatalf("row %d = %d %q, %v", i+1, row.Num, row.Cells, err)
		}
	}
	close(stop)
	if last := <-polled; last <= 0 || last > int64(len(data)) {
		t.Errorf("BytesRead while reading = %d of %d", last, len(data))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Close, %d before Open", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
