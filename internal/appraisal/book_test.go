package appraisal

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"

	"fupin/internal/xlsx"
)

// TestRatesSheet: each rate's row carries its formula, counts, estimate and
// 95 % interval, and the judgement against the default thresholds; a rate
// with nothing sampled says so instead of 0 %.
func TestRatesSheet(t *testing.T) {
	rates := Rates(Counts{ExitedSampled: 50, RegisteredSampled: 50, WrongInclusions: 2, OthersSampled: 0})
	s := RatesSheet("抽查结果", rates, Judge(rates, DefaultThresholds()))
	byName := map[string][]string{}
	for _, r := range s.Rows {
		byName[r[0]] = r
	}
	tests := []struct {
		name string
		want []string
	}{
		// 0 of 50: point estimate passes, Wilson upper bound 7.13 % does not.
		{"错退率", []string{"错退率", "错退户数 ÷ 抽查的已退出户数", "0", "50", "0.00%", "0.00% – 7.13%", "< 2.00%", "达标", "点估计达标，但置信区间跨越阈值，建议扩大样本"}},
		{"错评率", []string{"错评率", "错评户数 ÷ 抽查的建档立卡户数", "2", "50", "4.00%", "1.10% – 13.46%", "< 2.00%", "不达标", "点估计不达标，但置信区间跨越阈值，建议扩大样本复核"}},
		{"漏评率", []string{"漏评率", "漏评户数 ÷ 抽查的未建档户数", "0", "0", "—", "—", "< 2.00%", "无样本", "未抽查此类农户，无法计算"}},
	}
	for _, tt := range tests {
		got := byName[tt.name]
		if len(got) != len(s.Header) || !slices.Equal(got[:9], tt.want) || got[9] == "" {
			t.Errorf("%s row = %q, want %q + a source", tt.name, got, tt.want)
		}
	}
	if got := byName["退出准确率"]; got[6] != "" || got[7] != "" {
		t.Errorf("退出准确率 has no threshold, row %q", got)
	}
}

// TestWriteBook writes two sheets and reads them back in order.
func TestWriteBook(t *testing.T) {
	var buf bytes.Buffer
	book := []Sheet{
		{Name: "甲", Header: []string{"a", "b"}, Rows: [][]string{{"1", "2"}, {"3", "4"}}},
		{Name: "乙", Header: []string{"c"}, Rows: [][]string{{"五"}}},
	}
	if err := WriteBook(&buf, book); err != nil {
		t.Fatal(err)
	}
	r, err := xlsx.OpenXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row.Sheet+":"+row.Cells[0])
	}
	want := []string{"甲:a", "甲:1", "甲:3", "乙:c", "乙:五"}
	if !slices.Equal(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}
