package xlsx

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, []string{"姓名", "证件号码", "备注"})
	rows := [][]string{
		{"冉光荣", "512226196001010113", "a<b & \"c\""},
		{"周桂英", "", "控制字符\x01被去掉\t保留制表符"},
		{"", "", ""},
		{"谭小军", "50023620120101011X"},
	}
	for _, r := range rows {
		if err := w.WriteRow("台账", r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("excelize cannot open our file: %v", err)
	}
	got, err := f.GetRows("台账1")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"姓名", "证件号码", "备注"}, rows[0], {"周桂英", "", "控制字符被去掉\t保留制表符"}, nil, rows[3]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows read back by excelize (-want +got):\n%s", diff)
	}
	r, err := OpenXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil || row.Sheet != "台账1" || row.Cells[1] != "证件号码" {
		t.Errorf("own reader: %+v %v", row, err)
	}
}

// TestWriterReusesBuffers: a small workbook, written after another, takes
// its chunk, output buffer and deflaters from the free lists (a server
// writes one per village export): it allocates well under one deflater
// (about 1 MB) where it used to allocate a 1 MiB chunk and six deflaters.
func TestWriterReusesBuffers(t *testing.T) {
	write := func() {
		w := NewWriter(io.Discard, []string{"姓名", "证件号码"})
		for range 200 {
			if err := w.WriteRow("台账", []string{"冉光荣", "512226196001010113"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write()
	var before, after runtime.MemStats
	runtime.GC() // the sync.Pools this replaced were emptied by collections
	runtime.ReadMemStats(&before)
	write()
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 512<<10 {
		t.Fatalf("second workbook allocated %d KiB, want under 512 KiB", got>>10)
	}
}

func TestWriterStartsNewSheetWhenFull(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, []string{"h"})
	w.row = MaxRows - 2 // pretend the first sheet is nearly full
	w.startSheet("S")
	w.row = MaxRows - 1
	for i := 0; i < 3; i++ {
		if err := w.WriteRow("S", []string{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Sheets() != 2 {
		t.Fatalf("sheets = %d, want 2", w.Sheets())
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !cmp.Equal(got, []string{"S1", "S2"}) {
		t.Errorf("sheets = %v", got)
	}
	rows, _ := f.GetRows("S2")
	if len(rows) != 3 || rows[0][0] != "h" {
		t.Errorf("second sheet rows = %v (want header + 2)", rows)
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := columnName(i); got != want {
			t.Errorf("columnName(%d) = %s, want %s", i, got, want)
		}
	}
}
