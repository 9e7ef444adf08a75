package appraisal

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestApprovalTally: hand-counted 认可度 by village, work team and helper;
// 说不清 leaves a household out of the denominator; a group under MinGroup
// is withheld.
func TestApprovalTally(t *testing.T) {
	s := &Survey{Title: "认可度调查", Questions: append(DefaultQuestions(),
		Question{"services", "对公共服务满意吗", ScaleFive, TargetOverall})}
	if err := s.Normalize(); err != nil {
		t.Fatal(err)
	}
	a := func(overall, team, helper, services string) map[string]string {
		m := map[string]string{}
		for k, v := range map[string]string{"overall": overall, "team": team, "helper": helper, "services": services} {
			if v != "" {
				m[k] = v
			}
		}
		return m
	}
	rs := []Respondent{
		// Village A: 4 households. Overall: approve+5 ✓, basic+3 ✗ (3 disapproves), unsure only ✗counted, approve ✓.
		{"A", "甲村", 1, "张", a("approve", "approve", "approve", "5")},
		{"A", "甲村", 1, "张", a("basic", "disapprove", "approve", "3")},
		{"A", "甲村", 1, "张", a("unsure", "approve", "unsure", "")},
		{"A", "甲村", 2, "李", a("approve", "basic", "disapprove", "")},
		// Village B: 2 households (withheld in villages and teams).
		{"B", "乙村", 2, "李", a("disapprove", "approve", "approve", "")},
		{"B", "乙村", 0, "", a("approve", "", "approve", "")},
	}
	got := Approval(s, rs)
	// Overall: counted A1 ✓, A2 ✗, A4 ✓, B1 ✗, B2 ✓ (A3 unsure only) → 3/5.
	if got.Overall.X != 3 || got.Overall.N != 5 {
		t.Fatalf("overall %d/%d, want 3/5", got.Overall.X, got.Overall.N)
	}
	want := []Tally{{Key: "A", Name: "甲村"}}
	if diff := cmp.Diff(want, got.Villages, cmp.Comparer(func(a, b Rate) bool { return true })); diff != "" {
		t.Fatalf("villages (-want +got):\n%s", diff)
	}
	if v := got.Villages[0].Rate; v.X != 2 || v.N != 3 {
		t.Errorf("village A %d/%d, want 2/3", v.X, v.N)
	}
	// Teams: A 3 of 4 (A2 disapproves); B has 1 answer → withheld.
	if len(got.Teams) != 1 || got.Teams[0].Rate.X != 3 || got.Teams[0].Rate.N != 4 || got.Teams[0].Name != "甲村驻村工作队" {
		t.Errorf("teams %+v", got.Teams)
	}
	// Helpers: 张 A1 ✓ A2 ✓ (A3 unsure) → 2 answers: withheld; 李 A4 ✗ B1 ✓ → withheld;
	// B2 has no helper. So no helper is listed.
	if len(got.Helpers) != 0 {
		t.Errorf("helpers %+v, want all withheld", got.Helpers)
	}
	// Withheld: village B, team B, helpers 张 and 李.
	if got.Withheld != 4 || got.Responses != 6 {
		t.Errorf("withheld %d responses %d, want 4 and 6", got.Withheld, got.Responses)
	}
}

func TestSurveyChecks(t *testing.T) {
	s := &Survey{Title: " ", Questions: []Question{{"a", "问", "stars", "overall"}, {"a", "", ScaleApproval, "x"}}}
	err := s.Normalize()
	f := fieldsOf(err)
	for _, k := range []string{"title", "questions[0].scale", "questions[1].key", "questions[1].text", "questions[1].target"} {
		if f[k] == "" {
			t.Errorf("no error for %s: %v", k, f)
		}
	}
	ok := &Survey{Title: "调查", Questions: DefaultQuestions()}
	if err := ok.Normalize(); err != nil {
		t.Fatal(err)
	}
	f = fieldsOf(ok.CheckAnswers(map[string]string{"overall": "approve", "team": "5", "nope": "approve"}))
	if f["answers.team"] == "" || f["answers.nope"] == "" || f["answers.overall"] != "" {
		t.Errorf("answer errors %v", f)
	}
	if fieldsOf(ok.CheckAnswers(nil))["answers"] == "" {
		t.Error("empty answers accepted")
	}
}
