package criteria

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"fupin/internal/fupin"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

func pick[T any](r *rand.Rand, vs ...T) T { return vs[r.IntN(len(vs))] }

// maybe returns nil or a pointer to one of vs.
func maybe[T any](r *rand.Rand, vs ...T) *T {
	if r.IntN(4) == 0 {
		return nil
	}
	return ptr(pick(r, vs...))
}

func randomDate(r *rand.Rand, from, to int) fupin.Date {
	if r.IntN(10) == 0 {
		return fupin.Date{}
	}
	return fupin.NewDate(from+r.IntN(to-from+1), time.Month(1+r.IntN(12)), 1+r.IntN(28))
}

// randomHousehold makes a household with every kind of gap and boundary
// value the rules care about.
func randomHousehold(r *rand.Rand) *fupin.Household {
	h := &fupin.Household{ID: r.Int64N(1000), VillageCode: "500236266200"}
	h.Basics = fupin.Basics{FoodSecure: maybe(r, true, false), ClothingSecure: maybe(r, true, false)}
	h.Housing = fupin.Housing{Grade: pick(r, "", "A", "B", "C", "D", "X"), Relocated: r.IntN(5) == 0,
		OtherSafeHome: r.IntN(5) == 0, InstitutionalCare: r.IntN(8) == 0}
	h.Water = fupin.Water{LitresPerDay: maybe(r, 19.9, 20, 34.9, 35, 60), ScarceArea: r.IntN(3) == 0,
		QualityOK: maybe(r, true, false), TapAtHome: maybe(r, true, false),
		FetchMinutes: maybe(r, 20.0, 21), FetchDistanceM: maybe(r, 800.0, 801),
		FetchVerticalM: maybe(r, 80.0, 81), DaysWithoutSupply: maybe(r, 0, 36, 37)}
	for i, n := 0, r.IntN(7); i < n; i++ {
		m := fupin.Member{Name: "成员" + strconv.Itoa(i), BirthDate: randomDate(r, 1940, 2025),
			SchoolStatus:     pick(r, "", "none", "primary", "junior", "dropout", "home_schooled", "junk"),
			DropoutExemption: pick(r, "", "", "illness", "severe_disability", "other"),
			MedicalInsurance: pick(r, "", "none", "resident", "employee", "resident", "junk"),
			Health:           pick(r, "", "healthy", "chronic", "serious", "disabled"),
			DisabilityGrade:  pick(r, 0, 0, 0, 1, 2, 3, 4),
			Labour:           pick(r, "", "skilled", "ordinary", "weak", "lost", "none")}
		if r.IntN(6) == 0 {
			m.JoinedOn = randomDate(r, 2020, 2025)
		}
		if r.IntN(6) == 0 {
			m.LeftOn = randomDate(r, 2020, 2025)
		}
		h.Members = append(h.Members, m)
	}
	for _, y := range []int{2022, 2023, 2024} {
		if r.IntN(4) == 0 {
			continue
		}
		iy := fupin.IncomeYear{Year: y, Wage: fupin.Money(r.Int64N(8_000_000)),
			BusinessExpense: fupin.Money(r.Int64N(500_000)), EligibleOutOfPocket: fupin.Money(r.Int64N(3_000_000))}
		iy.Compute(h.Members)
		h.Incomes = append(h.Incomes, iy)
	}
	return h
}

// TestProperties evaluates random households and checks the invariants:
// every result and signal explains itself, rules that use parameters list
// them, decisive facts are flagged, and no item passes without its facts.
func TestProperties(t *testing.T) {
	rng := newRand(1)
	seen := map[string]int{}
	withParams := map[Item]bool{ItemEducation: true, ItemWater: true, ItemStandard: true, ItemIncome: true}
	for i := 0; i < 5000; i++ {
		h := randomHousehold(rng)
		p := Defaults()
		if i%2 == 1 {
			p = params(t, row("", 2021, KeyYidabiaoBasis, BasisIncome))
		}
		v := Evaluate(h, 2024, fupin.Date{}, p)
		problems, unknowns := 0, 0
		for _, r := range v.Items {
			if r.Text() == "" {
				t.Fatalf("household %d: %s has no reason", i, r.Item)
			}
			if withParams[r.Item] != (len(r.Params) > 0) {
				t.Fatalf("household %d: %s lists params %v", i, r.Item, r.Params)
			}
			for _, u := range r.Params {
				if u.Key == "" || u.Value == "" || u.Label == "" {
					t.Fatalf("household %d: %s param %+v", i, r.Item, u)
				}
			}
			for _, c := range r.Checks {
				if renderCheck(&r, c) == "" || (r.Status == Pass && c.Status != Pass) {
					t.Fatalf("household %d: %s check %+v", i, r.Item, c)
				}
			}
			checkFlags(t, i, r)
			if r.Status == Pass && missingFacts(h, v, r.Item) {
				t.Fatalf("household %d: %s passes without its facts: %s\n%+v", i, r.Item, r.Text(), h)
			}
			if r.Item.Core() && r.Status == Fail {
				problems++
			}
			if r.Item.Core() && r.Status == Unknown {
				unknowns++
			}
		}
		if v.Problems != problems || v.Unknowns != unknowns || v.Pass != (problems+unknowns == 0) {
			t.Fatalf("household %d: counts %d/%d/%v, want %d/%d", i, v.Problems, v.Unknowns, v.Pass, problems, unknowns)
		}
		for _, s := range v.Signals {
			if s.Text() == "" || len(s.Facts) == 0 {
				t.Fatalf("household %d: signal %s without reason or facts", i, s.Code)
			}
		}
		for _, r := range v.Items {
			seen[string(r.Item)+"."+string(r.Status)]++
		}
		if v.SummaryText() == "" {
			t.Fatalf("household %d: no summary", i)
		}
	}
	// Every item must have been seen in every status, or the generator is
	// too narrow for the test to mean anything.
	for _, item := range Items {
		for _, st := range []Status{Pass, Fail, Unknown} {
			if seen[string(item)+"."+string(st)] == 0 {
				t.Errorf("no random household gave %s %s", item, st)
			}
		}
	}
}

// checkFlags: a failing result flags a fact as failing; an unknown one flags
// a fact as unknown unless it had nothing to look at; a pass flags nothing.
func checkFlags(t *testing.T, i int, r Result) {
	t.Helper()
	var fails, unknowns int
	for _, f := range r.Facts {
		switch f.Flag {
		case FlagFail:
			fails++
		case FlagUnknown:
			unknowns++
		}
	}
	ok := true
	switch r.Status {
	case Pass:
		ok = fails == 0 && unknowns == 0
	case Fail:
		ok = fails > 0
	case Unknown:
		ok = unknowns > 0 || len(r.Facts) == 0
	}
	if !ok {
		t.Fatalf("household %d: %s is %s but flags %d fail / %d unknown facts", i, r.Item, r.Status, fails, unknowns)
	}
}

// missingFacts is an independent statement of which facts each item needs.
func missingFacts(h *fupin.Household, v Verdict, item Item) bool {
	var present []fupin.Member
	for _, m := range h.Members {
		if m.PresentOn(v.AssessedOn) && !m.BirthDate.After(v.AssessedOn) {
			present = append(present, m)
		}
	}
	w := h.Water
	switch item {
	case ItemFood:
		return h.Basics.FoodSecure == nil
	case ItemClothing:
		return h.Basics.ClothingSecure == nil
	case ItemEducation:
		for _, m := range present {
			if age := m.AgeOn(v.AssessedOn); (age >= 6 && age <= 15 || age < 0) && m.SchoolStatus == "" {
				return true
			}
		}
		return len(present) == 0
	case ItemMedical:
		for _, m := range present {
			if m.MedicalInsurance == "" {
				return true
			}
		}
		return len(present) == 0
	case ItemHousing:
		g := h.Housing
		return g.Grade != "A" && g.Grade != "B" && !g.Relocated && !g.OtherSafeHome && !g.InstitutionalCare
	case ItemWater:
		noConvenience := (w.TapAtHome == nil || !*w.TapAtHome) &&
			w.FetchMinutes == nil && w.FetchDistanceM == nil && w.FetchVerticalM == nil
		return w.LitresPerDay == nil || w.QualityOK == nil || w.DaysWithoutSupply == nil || noConvenience
	case ItemIncome, ItemStandard:
		basis := ItemWater
		if item == ItemIncome || v.PolicyVersion != Defaults().Version() {
			basis = ItemIncome
		}
		if basis == ItemWater {
			return missingFacts(h, v, ItemWater)
		}
		for _, iy := range h.Incomes {
			if iy.Year == v.Year {
				return iy.PerCapitaNet == nil
			}
		}
		return true
	}
	return false
}
