package criteria

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/fupin"
)

func TestResultJSON(t *testing.T) {
	h := goodHousehold()
	h.Housing = fupin.Housing{Grade: "C", Relocated: true}
	r := result(t, h, nil, ItemHousing)
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"item":"housing","label":"住房安全","core":true,"status":"pass","code":"housing.relocated",` +
		`"reason":"住房鉴定为C级（局部危房），但已易地扶贫搬迁，住房安全有保障",` +
		`"facts":[{"name":"housing.grade","label":"危房等级","value":"C","display":"C级（局部危房）"},` +
		`{"name":"housing.relocated","label":"易地扶贫搬迁","value":true},` +
		`{"name":"housing.other_safe_home","label":"另有安全住房","value":false},` +
		`{"name":"housing.institutional_care","label":"集中供养","value":false}],"params":[]}`
	if string(got) != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}
}

func TestVerdictJSONShape(t *testing.T) {
	h := goodHousehold()
	h.Members[2].MedicalInsurance = "none"
	h.Members[0].Health = "serious"
	h.Incomes[2] = income(2024, 5000.5, h.Members)
	b, err := json.Marshal(Evaluate(h, 2024, fupin.Date{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		HouseholdID   int64  `json:"household_id"`
		Year          int    `json:"year"`
		AssessedOn    string `json:"assessed_on"`
		PolicyVersion string `json:"policy_version"`
		RulesVersion  string `json:"rules_version"`
		Pass          bool   `json:"pass"`
		Problems      int    `json:"problems"`
		Unknowns      int    `json:"unknowns"`
		IncomeRisk    bool   `json:"income_risk"`
		Summary       string `json:"summary"`
		Items         []struct {
			Item, Label, Status, Code, Reason string
			Core                              bool
			Facts                             []map[string]any
			Params                            []map[string]any
		} `json:"items"`
		Signals []struct{ Code, Label, Reason string } `json:"signals"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if v.HouseholdID != 42 || v.Year != 2024 || v.AssessedOn != "2024-12-31" || len(v.PolicyVersion) != 12 ||
		v.RulesVersion != RulesVersion || v.Pass || v.Problems != 1 || v.Unknowns != 0 || !v.IncomeRisk {
		t.Errorf("verdict header = %+v", v)
	}
	wantSummary := "两不愁三保障及饮水安全：1 项未达标（基本医疗）；收入风险：人均纯收入低于防返贫监测线；风险信号：收入低于监测线、收入大幅下降、家庭成员患大病"
	if v.Summary != wantSummary {
		t.Errorf("summary = %q, want %q", v.Summary, wantSummary)
	}
	if len(v.Items) != numItems {
		t.Fatalf("%d items", len(v.Items))
	}
	for _, r := range v.Items {
		if r.Label == "" || r.Reason == "" || r.Status == "" || r.Code == "" || r.Facts == nil || r.Params == nil {
			t.Errorf("item %+v lacks a field", r)
		}
		if r.Core != (r.Item != "income") {
			t.Errorf("%s core = %v", r.Item, r.Core)
		}
	}
	med, inc := v.Items[3], v.Items[7]
	if med.Reason != "未参加基本医疗保险：王小明" || med.Facts[2]["member"] != "王小明" || med.Facts[2]["flag"] != "fail" ||
		med.Facts[2]["display"] != "未参保" {
		t.Errorf("medical = %+v", med)
	}
	if inc.Facts[2]["name"] != "income.per_capita_net" || inc.Facts[2]["value"] != 5000.5 {
		t.Errorf("income per-capita fact = %v, want 5000.5 yuan", inc.Facts[2])
	}
	if p := inc.Params[0]; p["key"] != KeyMonitoringLine || p["value"] != "6000" || p["default"] != true || p["label"] != "防返贫监测线" {
		t.Errorf("income param = %v", p)
	}
	if len(v.Signals) != 3 || v.Signals[0].Code != "income_below_line" || v.Signals[0].Label != "收入低于监测线" ||
		v.Signals[0].Reason != "人均纯收入 5000.50 元，低于防返贫监测线 6000 元" {
		t.Errorf("signals = %+v", v.Signals)
	}
}

// TestVerdictJSONRoundTrip checks that a stored verdict decodes into a
// Verdict that encodes to the same bytes, with the stored reasons.
func TestVerdictJSONRoundTrip(t *testing.T) {
	rng := newRand(7)
	for i := 0; i < 200; i++ {
		h := randomHousehold(rng)
		first, err := json.Marshal(Evaluate(h, 2024, fupin.Date{}, nil))
		if err != nil {
			t.Fatal(err)
		}
		fresh := Evaluate(h, 2024, fupin.Date{}, nil)
		if fast, err := fresh.JSON(); err != nil || string(fast) != string(first) {
			t.Fatalf("household %d: JSON() = %s, %v, want json.Marshal's %s", i, fast, err, first)
		}
		var v Verdict
		if err := json.Unmarshal(first, &v); err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(first) != string(again) {
			t.Fatalf("household %d: round trip changed the JSON:\n%s\n%s", i, first, again)
		}
	}
}

func TestRenderFillsReasons(t *testing.T) {
	v := Evaluate(goodHousehold(), 2024, fupin.Date{}, nil)
	if v.Items[0].Reason != "" || v.Summary != "" {
		t.Fatal("Evaluate should leave texts to be rendered")
	}
	v.Render()
	for _, r := range v.Items {
		if r.Reason == "" {
			t.Errorf("%s: no reason after Render", r.Item)
		}
		for _, c := range r.Checks {
			if c.Reason == "" {
				t.Errorf("%s/%s: no reason after Render", r.Item, c.Name)
			}
		}
	}
	if v.Summary != "两不愁三保障及饮水安全全部达标" {
		t.Errorf("summary = %q", v.Summary)
	}
}

// TestEvaluatorReuse checks that reusing an Evaluator gives the same verdicts
// as fresh evaluation, across households that grow its buffers, and that a
// Clone survives the next evaluation.
func TestEvaluatorReuse(t *testing.T) {
	rng := newRand(11)
	var ev Evaluator
	var kept Verdict
	var keptJSON string
	for i := 0; i < 300; i++ {
		h := randomHousehold(rng)
		if i%50 == 7 {
			for j := 0; j < 20; j++ { // a large household overflows the arena
				m := member("成员"+strconv.Itoa(j), date(2010+j%8, 3, 1))
				m.SchoolStatus, m.Health, m.Labour = "dropout", "serious", "lost"
				h.Members = append(h.Members, m)
			}
		}
		want := mustJSON(t, Evaluate(h, 2024, fupin.Date{}, nil))
		v := ev.Evaluate(h, 2024, fupin.Date{}, nil)
		if got := mustJSON(t, v); got != want {
			t.Fatalf("household %d: Evaluator gave\n%s\nwant\n%s", i, got, want)
		}
		if i == 7 {
			kept, keptJSON = v.Clone(), want
		}
	}
	if got := mustJSON(t, kept); got != keptJSON {
		t.Errorf("clone changed after later evaluations")
	}
	if diff := cmp.Diff(kept.Items[2].Facts, kept.Clone().Items[2].Facts); diff != "" {
		t.Errorf("clone facts differ (-kept +clone):\n%s", diff)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
