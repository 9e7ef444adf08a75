package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

var testToday = fupin.NewDate(2026, time.June, 30)

func generate(t testing.TB, opts Options) []*fupin.Household {
	t.Helper()
	var out []*fupin.Household
	if err := Generate(opts, func(h *fupin.Household) error {
		out = append(out, h)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func hashRun(t *testing.T, opts Options) string {
	t.Helper()
	sum := sha256.New()
	enc := json.NewEncoder(sum)
	if err := Generate(opts, func(h *fupin.Household) error { return enc.Encode(h) }); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(sum.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	a := hashRun(t, Options{Today: testToday})
	b := hashRun(t, Options{Today: testToday, Seed: 1, Households: 3000})
	if a != b {
		t.Fatalf("same seed gave different data: %s vs %s", a, b)
	}
	if c := hashRun(t, Options{Today: testToday, Seed: 2}); c == a {
		t.Fatal("seeds 1 and 2 gave identical data")
	}
}

func TestOptions(t *testing.T) {
	emit := func(*fupin.Household) error { return nil }
	if err := Generate(Options{}, emit); err == nil {
		t.Error("missing Today accepted")
	}
	if err := Generate(Options{Today: fupin.NewDate(2020, 1, 1)}, emit); err == nil {
		t.Error("Today before 2022 accepted")
	}
	stop := errors.New("stop")
	n := 0
	err := Generate(Options{Today: testToday}, func(*fupin.Household) error {
		if n++; n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("emit error: got %v after %d households", err, n)
	}
	hs := generate(t, Options{Today: testToday, Households: 7})
	if len(hs) != 7 {
		t.Errorf("Households 7 gave %d", len(hs))
	}
}

func TestVillages(t *testing.T) {
	vs := Villages()
	if len(vs) != 12 || vs[0] != (Village{"500236266001", "平安社区"}) || vs[11].Name != "咏梧村" {
		t.Fatalf("villages: %v", vs)
	}
	for i, v := range vs {
		if len(v.Code) != 12 || v.Code[:9] != TownshipCode {
			t.Errorf("village %d code %q", i, v.Code)
		}
		if len(naturalVillages[i]) < 4 {
			t.Errorf("village %s has %d natural villages", v.Name, len(naturalVillages[i]))
		}
	}
	vs[0].Name = "x"
	if Villages()[0].Name != "平安社区" {
		t.Error("Villages returned shared storage")
	}
}

// TestDefaultRun checks every household of a default run.
func TestDefaultRun(t *testing.T) {
	hs := generate(t, Options{Today: testToday})
	if n := len(hs); n < 2900 || n > 3100 {
		t.Errorf("%d households", n)
	}
	people, exPoorPeople := 0, 0
	ids := map[string]bool{}
	hhNos, personNos := map[string]bool{}, map[string]bool{}
	var dropout, badHouse, uninsured, littleWater, monitoredPoor int
	for _, h := range hs {
		people += len(h.Members)
		if h.Type == "ex_poor" {
			exPoorPeople += len(h.Members)
		}
		if hhNos[h.HouseholdNo] {
			t.Errorf("duplicate household no %s", h.HouseholdNo)
		}
		hhNos[h.HouseholdNo] = true
		checkHousehold(t, h, ids, personNos)
		for _, m := range h.Members {
			if m.SchoolStatus == "dropout" && m.DropoutExemption == "" {
				dropout++
			}
			if m.Active() && m.MedicalInsurance == "none" {
				uninsured++
			}
		}
		hg := h.Housing
		if (hg.Grade == "C" || hg.Grade == "D") && !hg.Relocated && !hg.OtherSafeHome && !hg.InstitutionalCare {
			badHouse++
		}
		if *h.Water.LitresPerDay < 35 {
			littleWater++
		}
		if h.MonitorType != "" && *h.Incomes[2].PerCapitaNet < fupin.YuanToMoney(6000) {
			monitoredPoor++
		}
	}
	if people < 9000 || people > 11500 {
		t.Errorf("%d people", people)
	}
	if share := float64(exPoorPeople) / float64(people); share < 0.12 || share > 0.16 {
		t.Errorf("ex-poor people share %.3f", share)
	}
	for name, n := range map[string]int{"dropout without exemption": dropout,
		"C/D house not relocated": badHouse, "member without medical insurance": uninsured,
		"water under 35 L": littleWater, "monitored household under 6,000 yuan": monitoredPoor} {
		if n == 0 {
			t.Errorf("no %s", name)
		}
	}
}

// checkHousehold validates one household, its ID numbers and its incomes.
func checkHousehold(t *testing.T, h *fupin.Household, ids, personNos map[string]bool) {
	t.Helper()
	errs := fupin.FieldErrors{}
	h.ValidateFields(errs, testToday)
	if h.ID != 0 || len(h.VillageCode) != 12 || h.HouseholdNo[:12] != h.VillageCode {
		t.Errorf("household %s: id %d village %s", h.HouseholdNo, h.ID, h.VillageCode)
	}
	size, heads := 0, 0
	for i := range h.Members {
		m := &h.Members[i]
		if m.ID != 0 || m.HouseholdID != 0 {
			t.Errorf("%s: member IDs set", h.HouseholdNo)
		}
		if ids[m.IDNumber] {
			t.Errorf("duplicate ID number %s", m.IDNumber)
		}
		ids[m.IDNumber] = true
		if personNos[m.PersonNo] || m.PersonNo[:len(h.HouseholdNo)] != h.HouseholdNo {
			t.Errorf("bad person no %s in %s", m.PersonNo, h.HouseholdNo)
		}
		personNos[m.PersonNo] = true
		id, err := idcard.Parse(m.IDNumber, testToday.Time())
		if err != nil {
			t.Errorf("%s: %v", m.IDNumber, err)
			continue
		}
		if id.Number != m.IDNumber || string(id.Sex) != m.Sex || !id.Birth.Equal(m.BirthDate.Time()) {
			t.Errorf("%s: sex %s birth %s disagree with the number", m.IDNumber, m.Sex, m.BirthDate)
		}
		by := m.BirthDate.Year()
		if by < 1985 && id.Region != "512226" || by >= 1997 && id.Region != "500236" {
			t.Errorf("%s: region %s for birth year %d", m.IDNumber, id.Region, by)
		}
		if m.Active() {
			size++
			if m.Relation == "head" {
				heads++
				if m.Name != h.HeadName {
					t.Errorf("%s: head name %q vs %q", h.HouseholdNo, m.Name, h.HeadName)
				}
			}
		}
	}
	if size != h.Size || heads != 1 {
		t.Errorf("%s: size %d/%d, %d heads", h.HouseholdNo, size, h.Size, heads)
	}
	fupin.ValidateMembers(errs, h.Members, testToday)
	if len(errs) > 0 {
		t.Errorf("household %s invalid: %v", h.HouseholdNo, errs)
	}
	if len(h.Incomes) != 3 {
		t.Fatalf("%s: %d income years", h.HouseholdNo, len(h.Incomes))
	}
	for k, y := range h.Incomes {
		if y.Year != testToday.Year()-3+k {
			t.Errorf("%s: income year %d", h.HouseholdNo, y.Year)
		}
		sums := map[string]fupin.Money{}
		for _, it := range y.Items {
			sums[it.Category] += it.Amount
			if it.Name == "" || it.Amount <= 0 || !fupin.IncomeCategories.Has(it.Category) {
				t.Errorf("%s %d: bad item %+v", h.HouseholdNo, y.Year, it)
			}
		}
		if sums["wage"] != y.Wage || sums["business"] != y.Business || sums["property"] != y.Property ||
			sums["transfer"] != y.Transfer || sums["business_expense"] != y.BusinessExpense {
			t.Errorf("%s %d: items %v do not sum to categories", h.HouseholdNo, y.Year, sums)
		}
		if y.Net != y.Wage+y.Business+y.Property+y.Transfer-y.BusinessExpense || y.PerCapitaNet == nil {
			t.Errorf("%s %d: net %v not computed", h.HouseholdNo, y.Year, y.Net)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	people := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := Generate(Options{Today: testToday}, func(h *fupin.Household) error {
			people += len(h.Members)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(people)/b.Elapsed().Seconds(), "people/s")
}

// TestLedgerLedByMemberUnits checks that the demo ledger's findings are
// led by aid member units paired with their village and that, with the
// tasks, every one of the 22 member units leads something, so the units'
// roll-up has records to rank them on; each finding's 责任人 is the first
// secretary GenerateAid posts in its village.
func TestLedgerLedByMemberUnits(t *testing.T) {
	opts := Options{Today: testToday, Seed: 2}
	units := AidUnits(opts)
	if len(units) != 22 {
		t.Fatalf("%d member units, want 22", len(units))
	}
	villageOf := map[string]string{}
	for _, u := range units {
		villageOf[u.Name] = u.VillageCode
	}
	d := GenerateLedger(opts)
	leads := map[string]int{}
	for _, f := range d.Findings {
		v, ok := villageOf[f.Finding.LeadUnit]
		if !ok || v != f.Finding.AreaCode {
			t.Errorf("finding %s in %s led by %q (paired with %q)", f.Finding.Number, f.Finding.AreaCode, f.Finding.LeadUnit, v)
		}
		leads[f.Finding.LeadUnit]++
	}
	for _, task := range d.Tasks {
		if _, ok := villageOf[task.LeadUnit]; !ok {
			t.Errorf("task %q led by %q, not a member unit", task.Title, task.LeadUnit)
		}
		leads[task.LeadUnit]++
	}
	if len(leads) != len(units) {
		t.Errorf("%d of %d member units lead a finding or task: %v", len(leads), len(units), leads)
	}
	full := GenerateAid(opts, nil)
	if !slices.Equal(full.Units, units) {
		t.Errorf("AidUnits differs from GenerateAid's units")
	}
	posted := map[string]string{}
	for _, p := range full.Postings {
		if p.Role == "first_secretary" {
			posted[p.AreaCode] = full.Cadres[p.Cadre].Name
		}
	}
	for _, f := range d.Findings {
		if f.Finding.Person == "" || f.Finding.Person != posted[f.Finding.AreaCode] {
			t.Errorf("finding %s: 责任人 %q, the first secretary of %s is %q", f.Finding.Number, f.Finding.Person, f.Finding.AreaCode, posted[f.Finding.AreaCode])
		}
	}
}
