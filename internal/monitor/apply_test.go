package monitor

import (
	"regexp"
	"strings"
	"testing"

	"fupin/internal/fupin"
)

func TestReceipt(t *testing.T) {
	form := regexp.MustCompile(`^SB-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$`)
	seen := map[string]bool{}
	for i := 0; i < 256; i++ {
		b := [8]byte{byte(i), byte(i / 32), 7, 7, 7, 7, 7, 7}
		r := Receipt(b)
		if !form.MatchString(r) {
			t.Fatalf("Receipt(%v) = %q", b, r)
		}
		seen[r] = true
	}
	if len(seen) != 256 {
		t.Errorf("%d distinct receipts of 256 inputs", len(seen))
	}
}

func TestApplicationCheck(t *testing.T) {
	ok := Application{Village: " 500236266200 ", Name: " 谭德明 ", Phone: "+86 138-0000-1234", Content: "户主住院\n医药费负担重"}
	if err := ok.Check("500236266"); err != nil || ok.Village != "500236266200" || ok.Name != "谭德明" {
		t.Fatalf("%+v: %v", ok, err)
	}
	for _, tc := range []struct {
		a     Application
		town  string
		field string
	}{
		{Application{Village: "500236266", Name: "甲", Phone: "13800001234", Content: "x"}, "", "village"},
		{Application{Village: "500236266200", Name: "甲", Phone: "13800001234", Content: "x"}, "500236001", "village"},
		{Application{Village: "500236266200", Name: strings.Repeat("甲", 21), Phone: "13800001234", Content: "x"}, "", "name"},
		{Application{Village: "500236266200", Name: "甲", Phone: "123456", Content: "x"}, "", "phone"},
		{Application{Village: "500236266200", Name: "甲", Phone: "138+00001234", Content: "x"}, "", "phone"},
		{Application{Village: "500236266200", Name: "甲", Phone: "13800001234", Content: ""}, "", "content"},
		{Application{Village: "500236266200", Name: "甲\t乙", Phone: "13800001234", Content: "x"}, "", "name"},
	} {
		err := tc.a.Check(tc.town)
		if e, ok := err.(*fupin.Error); !ok || e.Fields[tc.field] == "" {
			t.Errorf("%+v: %v, want invalid %s", tc.a, err, tc.field)
		}
	}
}
