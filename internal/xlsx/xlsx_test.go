package xlsx

import (
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// readAll reads every row of r, copying the reused Cells slices.
func readAll(t testing.TB, r Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		row.Cells = slices.Clone(row.Cells)
		rows = append(rows, row)
	}
}

func readFile(t *testing.T, name string) ([]Row, []string) {
	t.Helper()
	r, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows := readAll(t, r)
	if done, total := BytesRead(r); done != total || total <= 0 {
		t.Errorf("BytesRead at EOF = %d, %d; want done == total > 0", done, total)
	}
	return rows, r.Sheets()
}

// excelizeRows is what excelize reads from the file with raw values, in the shape Reader
// returns: empty rows left out, trailing empty cells trimmed, booleans as TRUE/FALSE.
func excelizeRows(t *testing.T, name string) ([]Row, []string) {
	t.Helper()
	f, err := excelize.OpenFile(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []Row
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := f.GetRows(sheet) // booleans show as TRUE/FALSE only when formatted
		if err != nil {
			t.Fatal(err)
		}
		for i, cells := range rows {
			for j, v := range cells {
				if fv := formatted[i][j]; (v == "1" && fv == "TRUE") || (v == "0" && fv == "FALSE") {
					cells[j] = fv
				}
			}
			for len(cells) > 0 && cells[len(cells)-1] == "" {
				cells = cells[:len(cells)-1]
			}
			if len(cells) > 0 {
				want = append(want, Row{Sheet: sheet, Num: i + 1, Cells: cells})
			}
		}
	}
	return want, f.GetSheetList()
}

func compareWithExcelize(t *testing.T, name string, minRows int) {
	t.Helper()
	got, gotSheets := readFile(t, name)
	want, wantSheets := excelizeRows(t, name)
	if diff := cmp.Diff(wantSheets, gotSheets); diff != "" {
		t.Errorf("Sheets() (-excelize +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-excelize +got):\n%s", diff)
	}
	if len(got) < minRows {
		t.Errorf("read %d rows, want at least %d", len(got), minRows)
	}
}

// trickyValues are cell values that stress escaping and types; both writers get them.
func trickyValues() []any {
	return []any{
		"张三", "410105199001011234", int64(410105199001011234), 4.10105e17, 0.5, 1234.5, -7,
		true, false, time.Date(2020, 3, 4, 0, 0, 0, 0, time.UTC), `a<b & c>"d'`, "  前后空格  ",
		"字面量_x000D_转义", "换行\r\n第二行", "制表\t符", "表情😀", nil, "",
		"&amp; 不是实体", "]]> 与 <![CDATA[",
	}
}

func TestXLSXStreamWriterMatchesExcelize(t *testing.T) {
	name := filepath.Join(t.TempDir(), "stream.xlsx")
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "花名册"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("第二页"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("花名册")
	if err != nil {
		t.Fatal(err)
	}
	setRow := func(sw *excelize.StreamWriter, ref string, vals []any) {
		t.Helper()
		if err := sw.SetRow(ref, vals); err != nil {
			t.Fatal(err)
		}
	}
	setRow(sw, "A1", []any{"序号", "姓名", "证件号码", "金额", "是否", "日期", "备注"})
	setRow(sw, "A2", trickyValues())
	setRow(sw, "C4", []any{nil, "从 D 列开始", nil, nil, "G 列"})
	setRow(sw, "A5", []any{excelize.Cell{Formula: "1+1", Value: 2}, excelize.Cell{Formula: `"a"&"b"`, Value: "ab"}})
	setRow(sw, "A6", []any{[]excelize.RichTextRun{{Text: "粗体"}, {Text: "普通 "}, {Text: "&<>"}}})
	setRow(sw, "AA7", []any{"远处的列"})
	cells := make([]any, benchCols)
	for i := 10; i < 2_500; i++ { // 3.5 MB of XML: crosses the scanner's buffer many times
		registryRow(i, cells)
		setRow(sw, "A"+strconv.Itoa(i), cells)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	sw2, err := f.NewStreamWriter("第二页")
	if err != nil {
		t.Fatal(err)
	}
	setRow(sw2, "B5", []any{"第二页", 42})
	setRow(sw2, "A1048576", []any{"最后一行"})
	if err := sw2.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(name); err != nil {
		t.Fatal(err)
	}
	compareWithExcelize(t, name, 2_500-10+7)
}

func TestXLSXSharedStringsMatchExcelize(t *testing.T) {
	name := filepath.Join(t.TempDir(), "shared.xlsx")
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "户表"))
	for i, v := range trickyValues() {
		ref, _ := excelize.CoordinatesToCellName(i+1, 3)
		must(f.SetCellValue("户表", ref, v))
	}
	for i := range 300 { // repeated values share strings
		must(f.SetCellValue("户表", "A"+strconv.Itoa(i+5), []string{"是", "否", "脱贫户"}[i%3]))
		must(f.SetCellValue("户表", "C"+strconv.Itoa(i+5), i*i))
	}
	must(f.SetCellRichText("户表", "B1", []excelize.RichTextRun{{Text: "富"}, {Text: "文本"}}))
	must(f.SetCellFormula("户表", "D1", "SUM(C5:C10)"))
	must(f.SetCellBool("户表", "E1", true))
	must(f.MergeCell("户表", "F1", "H2"))
	must(f.SetCellValue("户表", "F1", "合并单元格"))
	must(f.SetCellValue("户表", "XFD400", "最后一列"))
	_, err := f.NewSheet("隐藏")
	must(err)
	must(f.SetCellValue("隐藏", "B2", "隐藏表的数据"))
	must(f.SetSheetVisible("隐藏", false))
	_, err = f.NewSheet("末页")
	must(err)
	must(f.SetCellValue("末页", "A1", 3.25))
	must(f.SaveAs(name))
	compareWithExcelize(t, name, 300)
}

func TestOpenByExtension(t *testing.T) {
	tests := []struct {
		name, wantErr string
	}{
		{"名单.xls", "不支持旧版 Excel 文件（.xls）"},
		{"名单.txt", "不支持的文件类型「.txt」"},
		{"名单", "文件没有扩展名"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(filepath.Join(t.TempDir(), tt.name))
			if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Open(%q) = %v, want ErrFormat saying %q", tt.name, err, tt.wantErr)
			}
		})
	}
	if _, err := Open(filepath.Join(t.TempDir(), "不存在.xlsx")); err == nil || errors.Is(err, ErrFormat) {
		t.Errorf("Open(missing file) = %v, want a non-format error", err)
	}
}
