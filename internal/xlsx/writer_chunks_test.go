package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// FuzzAppendEscaped: the byte-by-byte escaping of valid UTF-8 writes what
// the rune-by-rune one does, for any text.
func FuzzAppendEscaped(f *testing.F) {
	for _, s := range []string{"", "冉光荣", "a<b & \"c\" >", "控制\x01\x1f\t\n\r", "\uFFFE\uFFFF\uFFFD", "尾\xef\xbf", "\xef\xbf\xbe", "\xff半个\xe5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendEscaped([]byte("前"), s), appendEscapedRunes([]byte("前"), s); !bytes.Equal(got, want) {
			t.Errorf("appendEscaped(%q) = %q, rune by rune %q", s, got, want)
		}
	})
}

// TestWriterManyChunks writes a sheet of several compressed chunks (rows
// are appended into the compressor's buffers, which are handed over when
// nearly full) and reads it back with archive/zip, which checks the CRC
// and sizes, with excelize and with our reader.
func TestWriterManyChunks(t *testing.T) {
	texts := []struct{ in, out string }{
		{"冉光荣", "冉光荣"}, {"a<b & c>d", "a<b & c>d"}, {"控制\x01字符", "控制字符"},
		{"\uFFFE非字符\uFFFF", "非字符"}, {"坏\xffUTF-8", "坏UTF-8"}, {" 前后空格 ", " 前后空格 "},
		{"512226196001010113", "512226196001010113"}, {"1234.50", "1234.50"},
	}
	const rows, width = 6000, 40
	var buf bytes.Buffer
	w := NewWriter(&buf, nil)
	want := make([][]string, rows)
	for r := range rows {
		cells, out := make([]string, width), make([]string, width)
		for c := range cells {
			if (r+c)%7 == 3 {
				continue // a gap: the next cell carries its reference
			}
			tx := texts[(r*width+c)%len(texts)]
			cells[c], out[c] = tx.in+strconv.Itoa(r), tx.out+strconv.Itoa(r)
		}
		if err := w.WriteRow("表", cells); err != nil {
			t.Fatal(err)
		}
		want[r] = out
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc) // the CRC is checked at the end
		if err != nil || uint64(n) != f.UncompressedSize64 {
			t.Fatalf("%s: %d bytes, header says %d: %v", f.Name, n, f.UncompressedSize64, err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" && n < 3*deflateChunk {
			t.Fatalf("sheet is %d bytes: too small to span several chunks", n)
		}
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.GetRows("表1")
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = append(got[i], make([]string, width-len(got[i]))...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("excelize read back (-want +got):\n%s", diff)
	}
	r, err := OpenXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; ; i++ {
		row, err := r.Next()
		if err != nil {
			if i != rows {
				t.Fatalf("own reader stopped at row %d: %v", i, err)
			}
			break
		}
		cells := append(row.Cells, make([]string, width-len(row.Cells))...)
		if i < rows && !cmp.Equal(cells, want[i]) {
			t.Fatalf("own reader, row %d:\n%s", i, cmp.Diff(want[i], cells))
		}
	}
}
