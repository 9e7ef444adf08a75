package criteria

import (
	"testing"

	"fupin/internal/fupin"
)

// TestPerCapita checks that a verdict carries the per-capita income its
// income item compared, nil where the item is unknown, and that Clone and
// the reusing Evaluator keep it apart from later evaluations.
func TestPerCapita(t *testing.T) {
	h := goodHousehold()
	var ev Evaluator
	v := ev.Evaluate(h, 2024, fupin.Date{}, nil)
	if v.PerCapita == nil || *v.PerCapita != *h.Incomes[2].PerCapitaNet || *v.PerCapita != fupin.YuanToMoney(10400) {
		t.Fatalf("PerCapita = %v, want %v", v.PerCapita, h.Incomes[2].PerCapitaNet)
	}
	kept := v.Clone()
	if u := ev.Evaluate(h, 2023, fupin.Date{}, nil); u.PerCapita == nil || *u.PerCapita != fupin.YuanToMoney(9800) {
		t.Errorf("2023 PerCapita = %v, want 9800 yuan", u.PerCapita)
	}
	if *kept.PerCapita != fupin.YuanToMoney(10400) {
		t.Errorf("cloned PerCapita changed to %v by the next evaluation", *kept.PerCapita)
	}
	if u := ev.Evaluate(h, 2021, fupin.Date{}, nil); u.PerCapita != nil {
		t.Errorf("no income record: PerCapita = %v, want nil", *u.PerCapita)
	}
	h.Incomes[2].Size, h.Incomes[2].PerCapitaNet = 0, nil
	if u := Evaluate(h, 2024, fupin.Date{}, nil); u.PerCapita != nil {
		t.Errorf("no member present: PerCapita = %v, want nil", *u.PerCapita)
	}
}
