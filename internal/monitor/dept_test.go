package monitor

import (
	"os"
	"testing"
)

func TestDeptColumns(t *testing.T) {
	id, fact, date, ok := DeptColumns([]string{"序号", "姓名", "公民身份号码", "预警情况", "发生日期"})
	if !ok || id != 2 || fact != 3 || date != 4 {
		t.Errorf("got %d %d %d %v", id, fact, date, ok)
	}
	if _, _, _, ok := DeptColumns([]string{"姓名", "情况"}); ok {
		t.Error("a header without an ID column was accepted")
	}
}

func TestParseDeptRow(t *testing.T) {
	today := d(2026, 3, 10)
	tests := []struct {
		name   string
		cells  []string
		column string
		wantID string
	}{
		{"good", []string{"11010519491231002X", "住院自付 3.2 万元", "2026-03-01"}, "", "11010519491231002X"},
		{"lower-case x, slashes", []string{" 11010519491231002x ", "新增残疾", "2026/3/1"}, "", "11010519491231002X"},
		{"no date means today", []string{"11010519491231002X", "辍学", ""}, "", "11010519491231002X"},
		{"bad check digit", []string{"110105194912310021", "x", "2026-03-01"}, "身份证号", ""},
		{"excel mangled", []string{"1.10105E+17", "x", "2026-03-01"}, "身份证号", ""},
		{"empty fact", []string{"11010519491231002X", "", "2026-03-01"}, "情况", ""},
		{"fact too long", []string{"11010519491231002X", string(make([]rune, MaxFactLength+1)), ""}, "情况", ""},
		{"future date", []string{"11010519491231002X", "x", "2026-03-11"}, "日期", ""},
		{"bad date", []string{"11010519491231002X", "x", "去年"}, "日期", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, p := ParseDeptRow(7, tt.cells, 0, 1, 2, today)
			if tt.column == "" {
				if p != nil || r.IDNumber != tt.wantID || r.FactOn.IsZero() {
					t.Fatalf("got %+v %+v", r, p)
				}
				return
			}
			if p == nil || p.Column != tt.column || p.Row != 7 {
				t.Fatalf("problem = %+v, want column %s", p, tt.column)
			}
		})
	}
}

func TestReadDeptFile(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/医保.csv"
	body := "医保局大额费用预警\n序号,姓名,身份证号,预警情况,日期\n1,张三,11010519491231002X,住院自付 3.2 万元,2026-03-01\n2,李四,123,住院,2026-03-01\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadDeptFile(path, d(2026, 3, 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rows) != 1 || f.Bad != 1 || len(f.SHA256) != 64 || f.Problems[0].Row != 4 || f.Rows[0].Row != 3 {
		t.Errorf("got %+v", f)
	}
	if err := os.WriteFile(path, []byte("a,b\n1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDeptFile(path, d(2026, 3, 10)); err == nil {
		t.Error("a file without a header was accepted")
	}
}

// FuzzParseDeptRow: any cells either give a problem or a row with an
// 18-character ID, a bounded fact and a date not after today.
func FuzzParseDeptRow(f *testing.F) {
	f.Add("11010519491231002X", "住院自付", "2026-03-01")
	f.Add("1.10105E+17", "", "去年")
	f.Add(" 110105491231002 ", "x", "20260301")
	today := d(2026, 3, 10)
	f.Fuzz(func(t *testing.T, id, fact, date string) {
		r, p := ParseDeptRow(2, []string{id, fact, date}, 0, 1, 2, today)
		if p != nil {
			if p.Row != 2 || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
			return
		}
		if len(r.IDNumber) != 18 || len([]rune(r.Fact)) > MaxFactLength || r.Fact == "" || r.FactOn.After(today) || r.FactOn.IsZero() {
			t.Fatalf("accepted %+v", r)
		}
	})
}
