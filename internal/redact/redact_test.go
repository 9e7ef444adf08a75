package redact

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"电话 13912340000", "电话 139****0000"},
		{"+8613912340000", "139****0000"},
		{"联系 +86 139-1234-0000 找我", "联系 139****0000 找我"},
		{"0086 13912340000", "139****0000"},
		{"139-0000-2222", "139****2222"},
		{"139 0000 2222，身份证512226196001011234", "139****2222，身份证5122**********1234"},
		{"证号51222619600101123x。", "证号5122**********123X。"},
		{"老证 510226650315042", "老证 5102********042"},
		{"13900002222 512226196001011234", "139****2222 5122**********1234"},
		// Not identities: division codes, amounts, household numbers, times.
		{"村 500236266200 户 5002362662000012", "村 500236266200 户 5002362662000012"},
		{"收入 12345.67 元", "收入 12345.67 元"},
		{"2026-12-07T02:28:45Z", "2026-12-07T02:28:45Z"},
		{"123456789012345678", "123456789012345678"}, // province 12 is not a province
		{"5122261960130112345", "5122261960130112345"},
		{"12913912340000", "12913912340000"}, // a mobile inside a longer run
		{"", ""},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13912340000": "139****0000", "+8613912340000": "139****0000", "139-1234-0000": "139****0000",
		"023-12345678": "023****5678",
	} {
		if got := Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRowMasksBirthDates(t *testing.T) {
	row := []string{"张三", "512226201905090123", "2019-05-09", "出生于2019年5月9日", "20190509", "2019/05/09", "2019-05-10"}
	Row(row, nil)
	got := strings.Join(row, "|")
	want := "张三|5122**********0123|2019-**-**|出生于2019-**-**|2019-**-**|2019-**-**|2019-05-10"
	if got != want {
		t.Errorf("Row = %s, want %s", got, want)
	}
	dates := map[string]bool{}
	BirthDates(`{"id_number":"512226196001011234","x":"1101051949123100X1"}`, dates)
	if len(dates) != 1 || !dates["1960-01-01"] {
		t.Errorf("BirthDates = %v", dates)
	}
}
