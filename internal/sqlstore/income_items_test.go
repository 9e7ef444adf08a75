package sqlstore_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// FuzzDecodeItems: whatever the hand-written reader of income items
// accepts, encoding/json reads the same way; and what EncodeItems writes
// (strings needing no escape) the hand-written reader accepts and gives
// back unchanged.
func FuzzDecodeItems(f *testing.F) {
	f.Add(`[{"category":"wage","name":"外出务工收入","amount":47441},{"category":"transfer","name":"养老保险金","amount":2162.5}]`, "wage", "务工", int64(123456))
	f.Add(`[]`, "", "", int64(0))
	f.Add(`[{"category":"wage","name":"a\"b","amount":1}]`, "transfer", `低保 "A"`, int64(-5))
	f.Add(`[{"category":"wage","name":"x","amount":01}]`, "x", "\x01", int64(1e15))
	f.Add(`[{"name":"x","category":"wage","amount":1}]`, "x", "\xff", int64(7))
	f.Add(`[{"category":"wage","name":"x","amount":1e999}]`, "", "", int64(1))
	f.Fuzz(func(t *testing.T, s, category, name string, fen int64) {
		got, ok := sqlstore.DecodeCanonicalItems(s)
		if ok {
			var want []fupin.IncomeItem
			if err := json.Unmarshal([]byte(s), &want); err != nil {
				t.Fatalf("accepted %q, which encoding/json rejects: %v", s, err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("%q read differently (-json +fast):\n%s", s, d)
			}
		}
		if d, err := sqlstore.DecodeItems(s); err == nil && ok && !cmp.Equal(d, got) {
			t.Fatalf("DecodeItems(%q) = %v, fast reader %v", s, d, got)
		}
		if fen > 1e14 || fen < -1e14 {
			return // beyond Money.UnmarshalJSON's bound
		}
		in := []fupin.IncomeItem{{Category: category, Name: name, Amount: fupin.Money(fen)}, {Category: "wage", Name: "务工", Amount: 100}}
		enc := sqlstore.EncodeItems(in)
		back, err := sqlstore.DecodeItems(enc)
		if err != nil {
			return // invalid UTF-8 is replaced by encoding/json, not an error we check here
		}
		var want []fupin.IncomeItem
		if err := json.Unmarshal([]byte(enc), &want); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, back); d != "" {
			t.Fatalf("DecodeItems(%s) differs from encoding/json (-json +got):\n%s", enc, d)
		}
		if _, plain := sqlstore.DecodeCanonicalItems(enc); !plain && plainJSON(category) && plainJSON(name) {
			t.Fatalf("the fast reader refused what EncodeItems wrote: %s", enc)
		}
	})
}

// plainJSON reports whether s is written into JSON without escapes.
func plainJSON(s string) bool {
	b, _ := json.Marshal(s)
	return string(b) == `"`+s+`"`
}
