package appraisal

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// township is 6 villages: village i has 10+5i registered households and
// 8 others (ids are village*1000 + n; registered first).
func township() []Candidate {
	var out []Candidate
	for v := 0; v < 6; v++ {
		code := "5002362662" + string(rune('0'+v/10)) + string(rune('0'+v%10))
		for n := 0; n < 18+5*v; n++ {
			out = append(out, Candidate{HouseholdID: int64(v*1000 + n), VillageCode: code, Registered: n < 10+5*v})
		}
	}
	return out
}

func TestDrawReproducibleFromSeed(t *testing.T) {
	rule := SampleRule{Villages: 3, Registered: 12, Others: 5, Seed: 20250601}
	c := township()
	a := Draw(rule, c, nil)
	// The same seed draws the same sample, whatever the order of the list.
	shuffled := append([]Candidate(nil), c...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if diff := cmp.Diff(a, Draw(rule, shuffled, nil)); diff != "" {
		t.Fatalf("same seed, different sample (-first +second):\n%s", diff)
	}
	rule.Seed++
	if cmp.Equal(a, Draw(rule, c, nil)) {
		t.Fatal("a different seed drew the same sample")
	}
	if len(a.Villages) != 3 {
		t.Fatalf("villages %v", a.Villages)
	}
	perVillage := map[string][2]int{}
	for _, p := range a.Households {
		n := perVillage[p.VillageCode]
		if p.Registered {
			n[0]++
		} else {
			n[1]++
		}
		perVillage[p.VillageCode] = n
	}
	for _, v := range a.Villages {
		want := [2]int{12, 5}
		if v == "500236266200" { // only 10 registered there
			want[0] = 10
		}
		if perVillage[v] != want {
			t.Errorf("%s drew %v, want %v", v, perVillage[v], want)
		}
	}
}

// TestDrawNeverRepeats draws rounds until the households run out: no
// household is drawn twice, and a short round says so.
func TestDrawNeverRepeats(t *testing.T) {
	c := township()
	drawn := map[int64]bool{}
	rule := DefaultSampleRule(7)
	for round := 0; round < 12; round++ {
		rule.Seed = uint64(round)
		s := Draw(rule, c, drawn)
		for _, p := range s.Households {
			if drawn[p.HouseholdID] {
				t.Fatalf("round %d drew household %d again", round, p.HouseholdID)
			}
			drawn[p.HouseholdID] = true
		}
		if len(s.Households) == 0 && len(s.Shortfalls) == 0 {
			t.Fatalf("round %d: empty without a shortfall", round)
		}
	}
	if len(drawn) != len(c) {
		t.Fatalf("drew %d of %d households over the rounds", len(drawn), len(c))
	}
	if s := Draw(rule, c, drawn); len(s.Households) != 0 || len(s.Shortfalls) == 0 {
		t.Fatalf("nothing left, got %+v", s)
	}
}

func TestSampleRuleValidate(t *testing.T) {
	if err := DefaultSampleRule(1).Validate(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []SampleRule{{Villages: 1, Registered: 20}, {Villages: 2, Registered: 501}, {Villages: 2, Others: -1, Registered: 1}, {Villages: 2}} {
		if err := r.Validate(); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
}
