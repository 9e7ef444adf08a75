package redact

import "testing"

// FuzzText: masking free text never panics, is stable when repeated, and
// leaves no plausible ID number or mobile number standing on its own.
func FuzzText(f *testing.F) {
	for _, s := range []string{"电话 +86 139-1234-0000", "512226196001011234", "0086 13900002222 51222619600101123x",
		"139 0000 2222 139 0000 2222", "+", "1-", "2019年5月9日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if again := Text(out); again != out {
			t.Fatalf("Text(%q) = %q, again %q", s, out, again)
		}
		for i := 0; i < len(out); {
			if !isDigit(out[i]) {
				i++
				continue
			}
			j := i
			for j < len(out) && isDigit(out[j]) {
				j++
			}
			if j-i == 17 && j < len(out) && (out[j] == 'X' || out[j] == 'x') {
				j++
			}
			if _, ok := mobile(out[i:j]); ok && (i == 0 || out[i-1] != '+' && !isDigit(out[i-1])) || plausibleID(out[i:j]) {
				t.Fatalf("Text(%q) = %q leaves %q", s, out, out[i:j])
			}
			i = j
		}
	})
}
