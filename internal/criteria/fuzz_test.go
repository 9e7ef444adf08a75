package criteria

import (
	"strconv"
	"testing"
)

// FuzzValidateParam checks that ValidateParam never panics, that what it
// accepts normalises to a value it also accepts (idempotently), lies within
// the key's range and resolves, and that what it rejects Resolve rejects too.
func FuzzValidateParam(f *testing.F) {
	for _, d := range Defs() {
		f.Add(d.Key, d.Default)
		f.Add(d.Key, "")
		f.Add(d.Key, "-1")
		f.Add(d.Key, "1e3")
		f.Add(d.Key, "0.0000001")
		f.Add(d.Key, strconv.FormatFloat(d.Max, 'f', -1, 64)+".01")
	}
	f.Add("no_such_key", "1")
	f.Add(KeyYidabiaoBasis, "income\x00")
	f.Add(KeyMonitoringLine, "９９９")
	f.Fuzz(func(t *testing.T, key, value string) {
		err := ValidateParam(key, value)
		d, known := LookupDef(key)
		if !known {
			if err == nil {
				t.Fatalf("unknown key %q accepted", key)
			}
			return
		}
		_, resolveErr := Resolve([]ParamRow{{Area: "50", Year: 2024, Key: key, Value: value}}, "500236266200", 2024)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty message")
			}
			if resolveErr == nil {
				t.Fatalf("Resolve accepted %s=%q that ValidateParam rejects: %v", key, value, err)
			}
			return
		}
		norm, nerr := NormalizeParam(key, value)
		if nerr != nil {
			t.Fatalf("NormalizeParam(%s, %q): %v after ValidateParam accepted it", key, value, nerr)
		}
		if again, _ := NormalizeParam(key, norm); again != norm || ValidateParam(key, norm) != nil {
			t.Fatalf("normal form %q of %q not stable (%q)", norm, value, again)
		}
		if d.Kind != KindEnum {
			n, perr := strconv.ParseFloat(value, 64)
			if perr != nil || n < d.Min || n > d.Max || (d.MinExclusive && n == d.Min) {
				t.Fatalf("%s=%q accepted outside %v–%v", key, value, d.Min, d.Max)
			}
		}
		// Only the age range has a cross-key check, which a single row can trip.
		if resolveErr != nil && key != KeyEduAgeMin && key != KeyEduAgeMax {
			t.Fatalf("Resolve rejected valid %s=%q: %v", key, value, resolveErr)
		}
	})
}
