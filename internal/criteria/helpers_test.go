package criteria

import (
	"testing"
	"time"

	"fupin/internal/fupin"
)

func ptr[T any](v T) *T { return &v }

func date(y int, m time.Month, d int) fupin.Date { return fupin.NewDate(y, m, d) }

// member returns a present, insured working adult born on birth.
func member(name string, birth fupin.Date) fupin.Member {
	return fupin.Member{Name: name, Relation: "other", BirthDate: birth, Health: "healthy",
		Labour: "ordinary", MedicalInsurance: "resident", SchoolStatus: "none"}
}

// income returns a computed income record with the given per-capita net
// income (yuan) for size members present all year.
func income(year int, perCapita float64, members []fupin.Member) fupin.IncomeYear {
	y := fupin.IncomeYear{Year: year}
	n := 0
	for i := range members {
		if members[i].PresentOn(fupin.NewDate(year, time.December, 31)) {
			n++
		}
	}
	y.Wage = fupin.YuanToMoney(perCapita * float64(n))
	y.Compute(members)
	return y
}

// goodHousehold is a realistic household of four that passes every item in
// 2024: two adults, a 12-year-old at junior school and a 16-year-old at
// senior school, with incomes for 2022–2024.
func goodHousehold() *fupin.Household {
	head := member("王大山", date(1979, 3, 2))
	head.Relation = "head"
	spouse := member("李桂英", date(1981, 7, 19))
	spouse.Relation = "spouse"
	son := member("王小明", date(2012, 9, 1))
	son.Relation, son.SchoolStatus, son.Labour = "son", "junior", "none"
	daughter := member("王小红", date(2008, 5, 30))
	daughter.Relation, daughter.SchoolStatus, daughter.Labour = "daughter", "senior", "none"
	ms := []fupin.Member{head, spouse, son, daughter}
	return &fupin.Household{
		ID: 42, VillageCode: "500236266200", Type: "ex_poor",
		Housing: fupin.Housing{Grade: "B", AreaM2: ptr(96.0)},
		Water: fupin.Water{Supply: "centralized", LitresPerDay: ptr(60.0), QualityOK: ptr(true),
			TapAtHome: ptr(true), DaysWithoutSupply: ptr(5)},
		Basics:  fupin.Basics{FoodSecure: ptr(true), ClothingSecure: ptr(true)},
		Members: ms,
		Incomes: []fupin.IncomeYear{income(2022, 9000, ms), income(2023, 9800, ms), income(2024, 10400, ms)},
	}
}

// result evaluates h for 2024 with p and returns item's result.
func result(t *testing.T, h *fupin.Household, p *Params, item Item) Result {
	t.Helper()
	v := Evaluate(h, 2024, fupin.Date{}, p)
	r, ok := v.Result(item)
	if !ok {
		t.Fatalf("no result for %s", item)
	}
	return r
}

// params resolves rows for Pingan township in 2024 or fails the test.
func params(t testing.TB, rows ...ParamRow) *Params {
	t.Helper()
	p, err := Resolve(rows, "500236266200", 2024)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func row(area string, year int, key, value string) ParamRow {
	return ParamRow{Area: area, Year: year, Key: key, Value: value}
}
