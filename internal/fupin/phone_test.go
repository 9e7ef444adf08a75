package fupin

import "testing"

func TestNormalizePhoneMobiles(t *testing.T) {
	for in, want := range map[string]string{
		"+8613912340000":    "13912340000",
		"+86 139-1234-0000": "13912340000",
		"0086 13912340000":  "13912340000",
		"139-0000-2222":     "13900002222",
		"(139) 0000 2222":   "13900002222",
		"１３９ ００００ ２２２２":     "13900002222",
		"023-56781234":      "023-56781234", // landlines keep their form
		"12345":             "12345",
		"电话139":             "电话139",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}
