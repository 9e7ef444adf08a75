package fupin

import "testing"

// TestInitials: Han characters give their pinyin initial, including the
// first and last characters of a letter's range; letters and digits stay;
// punctuation goes.
func TestInitials(t *testing.T) {
	tests := []struct{ in, want string }{
		{"光伏产业扶贫车间", "GFCYFPCJ"},
		{"易地搬迁后续扶持", "YDBQHXFC"},
		{"驻村工作队第一书记", "ZCGZDDYSJ"},
		{"张三、李四（王五）", "ZSLSWW"},
		{"阿八嚓哒", "ABCD"},
		{"消费帮扶 2025 年 abc", "XFBF2025NABC"},
		{"绿色", "LS"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Initials(tt.in); got != tt.want {
			t.Errorf("Initials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
