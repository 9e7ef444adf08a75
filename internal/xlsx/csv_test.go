package xlsx

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSV(t *testing.T) {
	const registry = "姓名,证件号码,户主关系\r\n张三,410105199001011234,户主\r\n李四,\"410105199201021235\",配偶\r\n"
	wantRegistry := []Row{
		{Num: 1, Cells: []string{"姓名", "证件号码", "户主关系"}},
		{Num: 2, Cells: []string{"张三", "410105199001011234", "户主"}},
		{Num: 3, Cells: []string{"李四", "410105199201021235", "配偶"}},
	}
	// A UTF-8 file whose 64 KiB sniffing window ends inside a character must stay UTF-8.
	// (Cells of 1,000 characters: a cell may hold at most 32 KB.)
	cut := "ab" + strings.Repeat(strings.Repeat("中", 1000)+",", sniffSize/3000+1) + "\n"
	tests := []struct {
		name string
		in   string
		want []Row
	}{
		{"utf-8", registry, wantRegistry},
		{"utf-8 with BOM", "\xEF\xBB\xBF" + registry, wantRegistry},
		{"gbk", gbk(t, registry), wantRegistry},
		{"gb18030 beyond gbk", gbk(t, "甲,乙\n") + "\x81\x30\x81\x30\n", []Row{
			{Num: 1, Cells: []string{"甲", "乙"}}, {Num: 2, Cells: []string{"\u0080"}},
		}},
		{"quotes and embedded newlines", "a,\"多\n行\",\"引号\"\"内\"\"\"\nb,c\n", []Row{
			{Num: 1, Cells: []string{"a", "多\n行", `引号"内"`}},
			{Num: 3, Cells: []string{"b", "c"}},
		}},
		{"lazy quotes", "张\"三\",x \"y\" z\n", []Row{{Num: 1, Cells: []string{`张"三"`, `x "y" z`}}}},
		{"empty rows and trailing empties", "a,b,,\n,,\n\n,c\n", []Row{
			{Num: 1, Cells: []string{"a", "b"}},
			{Num: 4, Cells: []string{"", "c"}},
		}},
		{"ragged records", "a\nb,c,d\n", []Row{{Num: 1, Cells: []string{"a"}}, {Num: 2, Cells: []string{"b", "c", "d"}}}},
		{"sniff window cuts a character", cut, []Row{{Num: 1, Cells: strings.Split(strings.TrimSuffix(cut, ",\n"), ",")}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := OpenCSV(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := readAll(t, r)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if done, total := BytesRead(r); done != total || total != int64(len(tt.in)) {
				t.Errorf("BytesRead at EOF = %d, %d; want %d, %d", done, total, len(tt.in), len(tt.in))
			}
			if diff := cmp.Diff([]string{""}, r.Sheets()); diff != "" {
				t.Errorf("Sheets() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVOpenAndProgress(t *testing.T) {
	name := filepath.Join(t.TempDir(), "名单.CSV")
	var b strings.Builder
	for range 5000 {
		b.WriteString("王五,410105199001011234,脱贫户\n")
	}
	if err := os.WriteFile(name, []byte(gbk(t, b.String())), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil || row.Cells[0] != "王五" {
		t.Fatalf("first row = %q, %v", row.Cells, err)
	}
	done, total := BytesRead(r)
	if done <= 0 || done > total {
		t.Errorf("BytesRead after one row = %d of %d", done, total)
	}
	n := 1
	for ; err == nil; n++ {
		_, err = r.Next()
	}
	if err != io.EOF || n-1 != 5000 {
		t.Errorf("read %d rows, ended with %v", n-1, err)
	}
	if done, total := BytesRead(r); done != total {
		t.Errorf("BytesRead at EOF = %d of %d", done, total)
	}
}

func TestCSVUTF16(t *testing.T) {
	_, err := OpenCSV(strings.NewReader("\xFF\xFEa\x00\t\x00"))
	checkFormatErr(t, "OpenCSV", err, "UTF-16")
}

func TestCSVUnknownSize(t *testing.T) {
	r, err := OpenCSV(io.MultiReader(bytes.NewReader([]byte("a\n"))))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	readAll(t, r)
	if done, total := BytesRead(r); done != 2 || total != -1 {
		t.Errorf("BytesRead = %d, %d; want 2, -1", done, total)
	}
}
