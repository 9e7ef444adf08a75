package criteria

import (
	"testing"

	"fupin/internal/fupin"
)

// checks returns the water sub-check statuses in order.
func checks(r Result) [4]Status {
	var out [4]Status
	for i, c := range r.Checks {
		out[i] = c.Status
	}
	return out
}

func TestWater(t *testing.T) {
	// fetch describes a household without tap water.
	fetch := func(min, dist, vert *float64) func(w *fupin.Water) {
		return func(w *fupin.Water) {
			w.TapAtHome, w.FetchMinutes, w.FetchDistanceM, w.FetchVerticalM = ptr(false), min, dist, vert
		}
	}
	far := ptr(5000.0)
	tests := []struct {
		name   string
		edit   func(w *fupin.Water)
		want   Status
		checks [4]Status // quantity, quality, convenience, reliability
	}{
		{"all good", func(w *fupin.Water) {}, Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"34.9 L", func(w *fupin.Water) { w.LitresPerDay = ptr(34.9) }, Fail, [4]Status{Fail, Pass, Pass, Pass}},
		{"35 L", func(w *fupin.Water) { w.LitresPerDay = ptr(35.0) }, Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"20 L not scarce", func(w *fupin.Water) { w.LitresPerDay = ptr(20.0) }, Fail, [4]Status{Fail, Pass, Pass, Pass}},
		{"20 L scarce", func(w *fupin.Water) { w.LitresPerDay, w.ScarceArea = ptr(20.0), true }, Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"19.9 L scarce", func(w *fupin.Water) { w.LitresPerDay, w.ScarceArea = ptr(19.9), true }, Fail, [4]Status{Fail, Pass, Pass, Pass}},
		{"quantity unknown", func(w *fupin.Water) { w.LitresPerDay = nil }, Unknown, [4]Status{Unknown, Pass, Pass, Pass}},
		{"bad quality", func(w *fupin.Water) { w.QualityOK = ptr(false) }, Fail, [4]Status{Pass, Fail, Pass, Pass}},
		{"quality unknown", func(w *fupin.Water) { w.QualityOK = nil }, Unknown, [4]Status{Pass, Unknown, Pass, Pass}},
		{"fetch 20 min", fetch(ptr(20.0), far, far), Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"fetch 21 min", fetch(ptr(21.0), far, far), Fail, [4]Status{Pass, Pass, Fail, Pass}},
		{"fetch 800 m", fetch(ptr(60.0), ptr(800.0), far), Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"fetch 801 m", fetch(ptr(60.0), ptr(801.0), far), Fail, [4]Status{Pass, Pass, Fail, Pass}},
		{"fetch 80 m up", fetch(ptr(60.0), far, ptr(80.0)), Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"fetch 81 m up", fetch(ptr(60.0), far, ptr(81.0)), Fail, [4]Status{Pass, Pass, Fail, Pass}},
		{"one short measure is enough", fetch(nil, ptr(100.0), nil), Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"tap unknown but near", func(w *fupin.Water) { w.TapAtHome, w.FetchMinutes = nil, ptr(5.0) }, Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"far, rest unknown", fetch(ptr(30.0), nil, nil), Unknown, [4]Status{Pass, Pass, Unknown, Pass}},
		{"nothing about convenience", func(w *fupin.Water) { w.TapAtHome = nil }, Unknown, [4]Status{Pass, Pass, Unknown, Pass}},
		{"36 days", func(w *fupin.Water) { w.DaysWithoutSupply = ptr(36) }, Pass, [4]Status{Pass, Pass, Pass, Pass}},
		{"37 days", func(w *fupin.Water) { w.DaysWithoutSupply = ptr(37) }, Fail, [4]Status{Pass, Pass, Pass, Fail}},
		{"days unknown", func(w *fupin.Water) { w.DaysWithoutSupply = nil }, Unknown, [4]Status{Pass, Pass, Pass, Unknown}},
		{"fail beats unknown", func(w *fupin.Water) { w.DaysWithoutSupply, w.QualityOK = ptr(40), nil }, Fail, [4]Status{Pass, Unknown, Pass, Fail}},
		{"nothing recorded", func(w *fupin.Water) { *w = fupin.Water{} }, Unknown, [4]Status{Unknown, Unknown, Unknown, Unknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			tt.edit(&h.Water)
			r := result(t, h, nil, ItemWater)
			if r.Status != tt.want || checks(r) != tt.checks {
				t.Errorf("water = %s %v, want %s %v: %s", r.Status, checks(r), tt.want, tt.checks, r.Text())
			}
			if len(r.Params) != 5 {
				t.Errorf("water lists %d params, want 5", len(r.Params))
			}
		})
	}
}

func TestWaterParams(t *testing.T) {
	p := params(t, row("50", 2023, KeyWaterMinLPD, "40"), row("500236", 2024, KeyWaterMinLPDScarce, "25"),
		row("", 2021, KeyWaterFetchMaxMinutes, "10"), row("", 2021, KeyWaterMaxDaysWithout, "20"))
	tests := []struct {
		name string
		edit func(w *fupin.Water)
		want Status
	}{
		{"35 L under a 40 L rule", func(w *fupin.Water) { w.LitresPerDay = ptr(35.0) }, Fail},
		{"scarce 24 L under a 25 L rule", func(w *fupin.Water) { w.LitresPerDay, w.ScarceArea = ptr(24.0), true }, Fail},
		{"15 min under a 10 min rule", func(w *fupin.Water) { w.TapAtHome, w.FetchMinutes = ptr(false), ptr(15.0) }, Unknown},
		{"21 days under a 20 day rule", func(w *fupin.Water) { w.DaysWithoutSupply = ptr(21) }, Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			tt.edit(&h.Water)
			r := result(t, h, p, ItemWater)
			if r.Status != tt.want {
				t.Errorf("water = %s, want %s: %s", r.Status, tt.want, r.Text())
			}
		})
	}
	r := result(t, goodHousehold(), p, ItemWater)
	if got := r.Params[0]; got.Key != KeyWaterMinLPD || got.Value != "40" || got.Area != "50" || got.Year != 2023 {
		t.Errorf("water params[0] = %+v, want the 50/2023 row", got)
	}
}

func TestIncome(t *testing.T) {
	tests := []struct {
		name      string
		perCapita float64 // yuan; < 0: no income record for the year
		want      Status
		code      string
		risk      bool
		reasonHas string
	}{
		{"above", 6000.01, Pass, codeIncomeAbove, false, "不低于防返贫监测线 6000 元"},
		{"on the line", 6000, Pass, codeIncomeAbove, false, "6000 元"},
		{"below the line", 5999.99, Fail, codeIncomeBelowLine, true, "人均纯收入 5999.99 元"},
		{"on the poverty line", 4000, Fail, codeIncomeBelowLine, true, "不低于扶贫标准 4000 元"},
		{"below the poverty line", 3999, Fail, codeIncomeBelowPoverty, true, "低于扶贫标准 4000 元和防返贫监测线 6000 元"},
		{"no record for the year", -1, Unknown, codeIncomeMissing, false, "未录入当年收入"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			h.Incomes = h.Incomes[:2]
			if tt.perCapita >= 0 {
				h.Incomes = append(h.Incomes, income(2024, tt.perCapita, h.Members))
			}
			v := Evaluate(h, 2024, fupin.Date{}, nil)
			r, _ := v.Result(ItemIncome)
			check(t, r, tt.want, tt.code, tt.reasonHas)
			if v.IncomeRisk != tt.risk || !v.Pass || v.Problems != 0 {
				t.Errorf("verdict risk=%v pass=%v problems=%d, want risk=%v and a pass: income is no 三保障 problem",
					v.IncomeRisk, v.Pass, v.Problems, tt.risk)
			}
			_, raised := v.Signal(SignalIncomeBelowLine)
			if raised != tt.risk {
				t.Errorf("income_below_line raised = %v, want %v", raised, tt.risk)
			}
		})
	}
	h := goodHousehold()
	h.Incomes[2].PerCapitaNet = nil // no members at the end of the year
	check(t, result(t, h, nil, ItemIncome), Unknown, codeIncomeNoSize)
	p := params(t, row("50", 2024, KeyMonitoringLine, "10560"))
	check(t, result(t, goodHousehold(), p, ItemIncome), Fail, codeIncomeBelowLine, "10560")
}

func TestStandard(t *testing.T) {
	incomeBasis := params(t, row("", 2021, KeyYidabiaoBasis, BasisIncome))
	badWater := func() *fupin.Household {
		h := goodHousehold()
		h.Water.DaysWithoutSupply = ptr(60)
		return h
	}
	poor := func() *fupin.Household {
		h := goodHousehold()
		h.Incomes[2] = income(2024, 5000, h.Members)
		return h
	}
	tests := []struct {
		name     string
		h        *fupin.Household
		p        *Params
		want     Status
		code     string
		pass     bool
		problems int
	}{
		{"water basis, water fails", badWater(), nil, Fail, codeStandardWater, false, 2},
		{"water basis, income low", poor(), nil, Pass, codeStandardWater, true, 0},
		{"water basis, water unknown", func() *fupin.Household { h := goodHousehold(); h.Water.QualityOK = nil; return h }(),
			nil, Unknown, codeStandardWater, false, 0},
		{"income basis, water fails", badWater(), incomeBasis, Pass, codeStandardIncome, false, 1},
		{"income basis, income low", poor(), incomeBasis, Fail, codeStandardIncome, false, 1},
		{"income basis, income unknown", func() *fupin.Household { h := goodHousehold(); h.Incomes = nil; return h }(),
			incomeBasis, Unknown, codeStandardIncome, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Evaluate(tt.h, 2024, fupin.Date{}, tt.p)
			r, _ := v.Result(ItemStandard)
			check(t, r, tt.want, tt.code)
			if v.Pass != tt.pass || v.Problems != tt.problems {
				t.Errorf("verdict pass=%v problems=%d, want %v %d", v.Pass, v.Problems, tt.pass, tt.problems)
			}
			if len(r.Params) == 0 || r.Params[0].Key != KeyYidabiaoBasis {
				t.Errorf("standard params = %+v, want yidabiao_basis first", r.Params)
			}
		})
	}
}
