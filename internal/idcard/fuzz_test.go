package idcard

import (
	"errors"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", "110105491231002",
		"１１０１０５１９４９１２３１００２Ｘ", " 500236 19800101 1234 ",
		"4.10105E+17", "5.00236198001012e+17", "", "abc", "11010120000229011",
		"110101200102290118", "990101199001010011", "\xff\xfe", "1101051949123100X2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := Parse(raw, today)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error type %T, want *Error", raw, err)
			}
			if e.Message == "" || e.Kind == "" || e.Input != raw {
				t.Fatalf("Parse(%q) incomplete error %+v", raw, e)
			}
			return
		}
		if len(id.Number) != 18 {
			t.Fatalf("Parse(%q).Number = %q, want 18 chars", raw, id.Number)
		}
		if got, want := CheckChar(id.Number[:17]), id.Number[17]; got != want {
			t.Fatalf("Parse(%q): CheckChar = %q, Number ends in %q", raw, got, want)
		}
		if id.Birth.After(today) {
			t.Fatalf("Parse(%q).Birth = %v, after today %v", raw, id.Birth, today)
		}
		again, err := Parse(id.Number, today)
		if err != nil {
			t.Fatalf("Parse(%q) round trip of %q: %v", raw, id.Number, err)
		}
		if again.Upgraded {
			t.Fatalf("Parse(%q) round trip marked Upgraded", id.Number)
		}
		again.Upgraded = id.Upgraded
		if again != id {
			t.Fatalf("round trip of %q = %+v, want %+v", raw, again, id)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	cases := []struct{ name, in string }{
		{"clean", "11010519491231002X"},
		{"messy", " １１０１０５ 19491231 002x "},
		{"15-digit", "110105491231002"},
		{"invalid", "110105194912310023"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Parse(c.in, today)
			}
		})
	}
}
