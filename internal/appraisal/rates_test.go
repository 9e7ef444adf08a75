package appraisal

import (
	"math"
	"testing"

	"fupin/internal/fupin"
)

// TestWilsonHandComputed checks the interval against values worked out by
// hand from the formula (and, for 0/10 and 1/50, the published tables).
func TestWilsonHandComputed(t *testing.T) {
	for _, tc := range []struct {
		x, n      int
		low, high float64
	}{
		{0, 10, 0, 0.2775}, {1, 50, 0.0035, 0.1050}, {45, 50, 0.7864, 0.9565}, {3, 120, 0.0085, 0.0709},
		{117, 120, 0.9291, 0.9915}, {0, 25, 0, 0.1332}, {96, 100, 0.9016, 0.9843}, {5, 200, 0.0107, 0.0572},
		{2, 45, 0.0123, 0.1483}, {28, 30, 0.7868, 0.9815}, {10, 10, 0.7225, 1},
	} {
		lo, hi := Wilson(tc.x, tc.n, z95)
		if math.Abs(lo-tc.low) > 5e-5 || math.Abs(hi-tc.high) > 5e-5 {
			t.Errorf("Wilson(%d/%d) = [%.4f, %.4f], want [%.4f, %.4f]", tc.x, tc.n, lo, hi, tc.low, tc.high)
		}
	}
}

// TestRatesOfACountyCheck: 120 exited households sampled with 3 wrong
// exits, 200 registered with 5 wrong inclusions, 45 others with 2 missed,
// 100 surveyed of whom 96 approve.
func TestRatesOfACountyCheck(t *testing.T) {
	c := Counts{ExitedSampled: 120, WrongExits: 3, RegisteredSampled: 200, WrongInclusions: 5,
		OthersSampled: 45, Missed: 2, Surveyed: 100, Approving: 96}
	want := map[string][5]float64{ // x, n, value, low, high
		RateWrongExit:      {3, 120, 0.025, 0.0085, 0.0709},
		RateMissed:         {2, 45, 0.0444, 0.0123, 0.1483},
		RateWrongInclusion: {5, 200, 0.025, 0.0107, 0.0572},
		RateIdentification: {238, 245, 0.9714, 0.9422, 0.9861},
		RateExit:           {117, 120, 0.975, 0.9291, 0.9915},
		RateApproval:       {96, 100, 0.96, 0.9016, 0.9843},
	}
	rates := Rates(c)
	if len(rates) != len(want) {
		t.Fatalf("%d rates", len(rates))
	}
	for _, r := range rates {
		w := want[r.Code]
		if r.X != int(w[0]) || r.N != int(w[1]) || r.Formula == "" || r.Value == nil ||
			math.Abs(*r.Value-w[2]) > 5e-5 || math.Abs(*r.Low-w[3]) > 5e-5 || math.Abs(*r.High-w[4]) > 5e-5 {
			t.Errorf("%s: %d/%d = %v [%v, %v], want %v", r.Code, r.X, r.N, deref(r.Value), deref(r.Low), deref(r.High), w)
		}
	}
	got := map[string]Outcome{}
	for _, o := range Judge(rates, DefaultThresholds()) {
		got[o.Rate.Code] = o
	}
	for code, want := range map[string][2]any{
		RateWrongExit:      {"fail", false}, // 2.5 % ≥ 2 %, but the interval reaches 0.85 %
		RateMissed:         {"fail", false},
		RateWrongInclusion: {"fail", false},
		RateApproval:       {"pass", true}, // 96 %, interval from 90.16 % > 90 %
	} {
		if o := got[code]; o.Status != want[0] || o.Conclusive != want[1] || o.Note == "" {
			t.Errorf("%s judged %s conclusive %v, want %v", code, o.Status, o.Conclusive, want)
		}
	}
	if _, ok := got[RateExit]; ok {
		t.Error("exit accuracy has no threshold of its own")
	}
}

func TestRatesWithoutSample(t *testing.T) {
	r := Rates(Counts{Surveyed: 10, Approving: 10})
	if r[0].Value != nil || r[0].N != 0 {
		t.Fatalf("错退率 with nothing sampled: %+v", r[0])
	}
	o := Judge(r, DefaultThresholds())
	if o[0].Status != "no_data" || o[len(o)-1].Status != "pass" || o[len(o)-1].Conclusive {
		t.Fatalf("outcomes %+v", o) // 10/10 approve: interval from 72 % is not conclusive
	}
}

func TestCountsValidate(t *testing.T) {
	if err := (Counts{ExitedSampled: 5, WrongExits: 1}).Validate(); err != nil {
		t.Fatal(err)
	}
	err := Counts{ExitedSampled: 5, WrongExits: 6, OthersSampled: -1, Surveyed: 3, Approving: -2}.Validate()
	e, ok := err.(*fupin.Error)
	if !ok || e.Fields["wrong_exits"] == "" || e.Fields["others_sampled"] == "" || e.Fields["approving"] == "" || len(e.Fields) != 3 {
		t.Fatalf("errors %v", err)
	}
}

func TestResolveThresholds(t *testing.T) {
	rows := []ThresholdRow{
		{"", 2020, Threshold{Rate: RateWrongExit, Max: ptr(0.03), Source: "全市 2020"}},
		{"500236", 2024, Threshold{Rate: RateWrongExit, Max: ptr(0.01), Source: "奉节县 2024"}},
		{"500236", 2026, Threshold{Rate: RateWrongExit, Max: ptr(0.005), Source: "奉节县 2026"}},
		{"500236266", 2023, Threshold{Rate: RateApproval, Min: ptr(0.95), Source: "平安乡 2023"}},
		{"500237", 2020, Threshold{Rate: RateMissed, Max: ptr(0.5), Source: "巫山县"}},
	}
	for _, tc := range []struct {
		area      string
		year      int
		wrongExit string
		approval  string
		missed    string
	}{
		{"500236266200", 2025, "奉节县 2024", "平安乡 2023", SourceExitCheck},
		{"500236266200", 2026, "奉节县 2026", "平安乡 2023", SourceExitCheck},
		{"500236100", 2023, "全市 2020", SourceExitCheck, SourceExitCheck},
		{"500236266", 2019, SourceExitCheck, SourceExitCheck, SourceExitCheck},
	} {
		got := map[string]string{}
		for _, th := range ResolveThresholds(rows, tc.area, tc.year) {
			got[th.Rate] = th.Source
		}
		if got[RateWrongExit] != tc.wrongExit || got[RateApproval] != tc.approval || got[RateMissed] != tc.missed ||
			got[RateWrongInclusion] != SourceUnconfirmed {
			t.Errorf("%s %d: %v", tc.area, tc.year, got)
		}
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}
