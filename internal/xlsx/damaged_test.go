package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestXLSXDamaged(t *testing.T) {
	randomBytes := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range randomBytes {
		randomBytes[i] = byte(rng.Uint32())
	}
	good := handmade(t, zip.Deflate, "")
	bigSheet := `<worksheet><sheetData>` + strings.Repeat(`<row><c t="inlineStr"><is><t>数据</t></is></c><c><v>12345</v></c></row>`, 20_000) + `</sheetData></worksheet>`
	corrupt := handmade(t, zip.Deflate, bigSheet)
	if i := bytes.Index(corrupt, []byte("xl/worksheets/sheet1.xml")); i > 0 {
		for j := i + 100; j < i+160; j++ {
			corrupt[j] ^= 0x5A // inside the deflated sheet data (where the damage breaks the stream rather than inflating to an over-long cell)
		}
	}
	tests := []struct {
		name     string
		data     []byte
		wantOpen string // error of OpenXLSX, or "" if it must succeed
		wantNext string // error of some Next
	}{
		{"random bytes", randomBytes, "文件不是有效的 xlsx（zip）格式", ""},
		{"empty file", nil, "文件不是有效的 xlsx（zip）格式", ""},
		{"old binary xls", append(append([]byte{}, cfbMagic...), make([]byte, 600)...), "Excel 97-2003（.xls）", ""},
		{"truncated zip", good[:len(good)/2], "文件不是有效的 xlsx（zip）格式", ""},
		{"zip without workbook", buildZip(t, zip.Deflate, "a.txt", "你好"), "缺少工作簿", ""},
		{"workbook without relationships", buildZip(t, zip.Deflate, "xl/workbook.xml", workbookXML), "缺少工作簿关系文件", ""},
		{"missing sheet part", buildZip(t, zip.Deflate, "xl/workbook.xml", workbookXML, "xl/_rels/workbook.xml.rels", workbookRels), "工作表「数据」缺失", ""},
		{"broken workbook xml", buildZip(t, zip.Deflate, "xl/workbook.xml", `<workbook><sheets><sheet name="a"`), "文件不是有效的 xlsx 工作簿或已损坏", ""},
		{"truncated shared strings", buildZip(t, zip.Deflate, "xl/workbook.xml", workbookXML, "xl/_rels/workbook.xml.rels", workbookRels, "xl/sharedStrings.xml", sstXML[:200], "xl/worksheets/sheet1.xml", sheet1XML, "xl/worksheets/sheet2.xml", sheet2XML), "共享字符串表已损坏", ""},
		{"truncated sheet xml", handmade(t, zip.Deflate, sheet1XML[:len(sheet1XML)/2]), "", "工作表「数据」已损坏"},
		{"sheet without sheetData end", handmade(t, zip.Deflate, `<worksheet><sheetData><row r="1"><c><v>1</v></c></row>`), "", "缺少 </sheetData>"},
		{"shared string index out of range", handmade(t, zip.Deflate, `<worksheet><sheetData><row><c t="s"><v>99</v></c></row></sheetData></worksheet>`), "", "共享字符串索引「99」无效"},
		{"bad cell reference", handmade(t, zip.Deflate, `<worksheet><sheetData><row><c r="12"><v>1</v></c></row></sheetData></worksheet>`), "", "单元格引用「12」无效"},
		{"column beyond XFD", handmade(t, zip.Deflate, `<worksheet><sheetData><row><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`), "", "超出 Excel 的最大列"},
		{"bad row number", handmade(t, zip.Deflate, `<worksheet><sheetData><row r="x"><c><v>1</v></c></row></sheetData></worksheet>`), "", "行号「x」无效"},
		{"corrupt deflate data", corrupt, "", "工作表「数据」已损坏"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := OpenXLSX(bytes.NewReader(tt.data), int64(len(tt.data)))
			if tt.wantOpen != "" {
				checkFormatErr(t, "OpenXLSX", err, tt.wantOpen)
				return
			}
			if err != nil {
				t.Fatalf("OpenXLSX: %v", err)
			}
			defer r.Close()
			for range 1_000_000 {
				if _, err = r.Next(); err != nil {
					break
				}
			}
			checkFormatErr(t, "Next", err, tt.wantNext)
			if _, again := r.Next(); again != err {
				t.Errorf("Next after an error = %v, want the same error again", again)
			}
		})
	}
}

func checkFormatErr(t *testing.T, op string, err error, want string) {
	t.Helper()
	if err == nil || err == io.EOF || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s error = %v, want ErrFormat saying %q", op, err, want)
	}
}

// FuzzXLSXSheet feeds arbitrary bytes as the first sheet of an otherwise valid workbook: the
// reader may return an error but must not panic, hang, or return malformed rows.
func FuzzXLSXSheet(f *testing.F) {
	for _, seed := range []string{
		sheet1XML, sheet2XML, "",
		`<worksheet><sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>a&amp;b_x000D_</t></is></c></row></sheetData></worksheet>`,
		`<sheetData><row><c t="s"><v>1</v></c><c t="b"><v>1</v></c><c><f>1</f><v>2</v></c></row></sheetData>`,
		`<sheetData><row><c r="A1" t="inlineStr"><is><r><t>x</t></r><rPh><t>y</t></rPh></is></c></row><row/></sheetData>`,
		`<sheetData><!-- c --><?pi x?><row><c><v><![CDATA[1]]></v></c></row></sheetData>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, sheet []byte) {
		data := handmade(t, zip.Store, string(sheet))
		r, err := OpenXLSX(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err) // the sheet is not read until Next
		}
		defer r.Close()
		for range 1 << 20 {
			row, err := r.Next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrFormat) {
					t.Fatalf("error not marked ErrFormat: %v", err)
				}
				return
			}
			if row.Num < 1 || len(row.Cells) == 0 || len(row.Cells) > maxColumns || row.Cells[len(row.Cells)-1] == "" {
				t.Fatalf("malformed row %d with %d cells", row.Num, len(row.Cells))
			}
		}
		t.Fatal("too many rows")
	})
}
