package region

import "testing"

// BenchmarkInit measures building the in-memory index (what the first call
// of any lookup pays once).
func BenchmarkInit(b *testing.B) {
	for b.Loop() {
		if _, err := buildIndex(archive); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupVillage looks up a village whose county is cached.
func BenchmarkLookupVillage(b *testing.B) {
	if _, err := Lookup("500236266200"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Lookup("500236266200"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupVillageUncached cycles through more counties than the cache
// holds, so that every lookup inflates a county.
func BenchmarkLookupVillageUncached(b *testing.B) {
	idx, err := load()
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for i, c := range idx.levels[2] {
		if i%10 == 0 {
			v, err := idx.inflateCounty(c.code)
			if err != nil {
				b.Fatal(err)
			}
			codes = append(codes, v.villages[len(v.villages)/2].code)
		}
	}
	if len(codes) <= cacheSize {
		b.Fatalf("only %d counties, need more than %d", len(codes), cacheSize)
	}
	i := 0
	for b.Loop() {
		if _, err := Lookup(codes[i%len(codes)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkLookupTownship looks up a township in the in-memory index.
func BenchmarkLookupTownship(b *testing.B) {
	for b.Loop() {
		if _, err := Lookup("500236266"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIsVillage validates a cached village code.
func BenchmarkIsVillage(b *testing.B) {
	for b.Loop() {
		if !IsVillage("500236266200") {
			b.Fatal("not a village")
		}
	}
}

// BenchmarkSearchCounty searches the townships and villages of one county.
func BenchmarkSearchCounty(b *testing.B) {
	for b.Loop() {
		if len(Search("平安", "500236", 0)) == 0 {
			b.Fatal("no results")
		}
	}
}

// BenchmarkSearchCountry searches provinces to townships country-wide.
func BenchmarkSearchCountry(b *testing.B) {
	for b.Loop() {
		if len(Search("奉节", "", 0)) == 0 {
			b.Fatal("no results")
		}
	}
}

// BenchmarkChildrenTownship lists the villages of a township.
func BenchmarkChildrenTownship(b *testing.B) {
	for b.Loop() {
		if _, err := Children("500236266"); err != nil {
			b.Fatal(err)
		}
	}
}
