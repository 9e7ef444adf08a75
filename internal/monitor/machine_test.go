package monitor

import (
	"testing"

	"fupin/internal/fupin"
)

var roles = []string{"admin", "county", "township", "village", "aid_unit", "inspector"}

// allowed is who may act at each stage, written out independently of
// roleSteps.
var allowed = map[string][]string{
	StageHomeCheck:    {"admin", "township", "village"},
	StageCrossCheck:   {"admin", "township", "village"},
	StageReview:       {"admin", "township", "village"},
	StageNotice:       {"admin", "township", "village"},
	StageTownship:     {"admin", "township"},
	StageCounty:       {"admin", "county"},
	StageMonitored:    {"admin", "county", "township", "village"},
	StageElimCheck:    {"admin", "township", "village"},
	StageElimNotice:   {"admin", "township", "village"},
	StageElimTownship: {"admin", "township"},
	StageElimCounty:   {"admin", "county"},
	StageEliminated:   {"admin", "county"},
	StageRejected:     {"admin"},
}

// okFacts let every step close.
func okFacts() Facts {
	return Facts{Today: d(2026, 3, 10), NoticeEnds: d(2026, 3, 9), HasPlan: true, Participants: "村民代表 12 人、第一书记",
		Result: "同意纳入", Eligibility: &Eligibility{Eligible: true}}
}

// outcome is the expected result of an allowed role: the next stage, or
// the error code.
type outcome struct{ to, code string }

var transitions = map[string]map[string]outcome{
	StageHomeCheck:    {ActComplete: {StageCrossCheck, ""}, ActReturn: {"", fupin.EConflict}, ActReject: {StageRejected, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageCrossCheck:   {ActComplete: {StageReview, ""}, ActReturn: {StageHomeCheck, ""}, ActReject: {StageRejected, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageReview:       {ActComplete: {StageNotice, ""}, ActReturn: {StageCrossCheck, ""}, ActReject: {StageRejected, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageNotice:       {ActComplete: {StageTownship, ""}, ActReturn: {StageReview, ""}, ActReject: {StageRejected, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageTownship:     {ActComplete: {StageCounty, ""}, ActReturn: {StageNotice, ""}, ActReject: {StageRejected, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageCounty:       {ActComplete: {StageMonitored, ""}, ActReturn: {StageTownship, ""}, ActReject: {StageRejected, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageMonitored:    {ActComplete: {"", fupin.EConflict}, ActReturn: {"", fupin.EConflict}, ActReject: {"", fupin.EConflict}, ActEliminate: {StageElimCheck, ""}, ActRollback: {"", fupin.EConflict}},
	StageElimCheck:    {ActComplete: {StageElimNotice, ""}, ActReturn: {StageMonitored, ""}, ActReject: {StageMonitored, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageElimNotice:   {ActComplete: {StageElimTownship, ""}, ActReturn: {StageElimCheck, ""}, ActReject: {StageMonitored, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageElimTownship: {ActComplete: {StageElimCounty, ""}, ActReturn: {StageElimNotice, ""}, ActReject: {StageMonitored, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageElimCounty:   {ActComplete: {StageEliminated, ""}, ActReturn: {StageElimTownship, ""}, ActReject: {StageMonitored, ""}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
	StageEliminated:   {ActComplete: {"", fupin.EConflict}, ActReturn: {"", fupin.EConflict}, ActReject: {"", fupin.EConflict}, ActEliminate: {"", fupin.EConflict}, ActRollback: {StageMonitored, ""}},
	StageRejected:     {ActComplete: {"", fupin.EConflict}, ActReturn: {"", fupin.EConflict}, ActReject: {"", fupin.EConflict}, ActEliminate: {"", fupin.EConflict}, ActRollback: {"", fupin.EConflict}},
}

// TestNextEveryStageRoleAction runs every stage × role × action with facts
// that let steps close and a reason given.
func TestNextEveryStageRoleAction(t *testing.T) {
	if len(transitions) != len(Stages.Items) {
		t.Fatalf("table covers %d stages, there are %d", len(transitions), len(Stages.Items))
	}
	for _, st := range Stages.Items {
		for _, role := range roles {
			for _, act := range Actions.Items {
				stage, role, act := st.Code, role, act.Code
				t.Run(stage+"/"+role+"/"+act, func(t *testing.T) {
					tr, err := Next(stage, act, role, "核实情况不符", okFacts())
					want := transitions[stage][act]
					if !in(allowed[stage], role) {
						want = outcome{"", fupin.EForbidden}
					}
					if got := fupin.ErrorCode(err); got != want.code {
						t.Fatalf("error = %v (%q), want code %q", err, got, want.code)
					}
					if err == nil && (tr.To != want.to || tr.From != stage || tr.Summary == "") {
						t.Errorf("transition = %+v, want to %s", tr, want.to)
					}
				})
			}
		}
	}
}

func TestActs(t *testing.T) {
	for role, want := range map[string]bool{"admin": true, "county": true, "township": true, "village": true, "aid_unit": false, "inspector": false, "": false} {
		if Acts(role) != want {
			t.Errorf("Acts(%q) = %v", role, !want)
		}
	}
}

func TestNextConditions(t *testing.T) {
	tests := []struct {
		name   string
		stage  string
		act    string
		role   string
		reason string
		edit   func(f *Facts)
		code   string
		field  string
	}{
		{"return needs a reason", StageCrossCheck, ActReturn, "village", "", nil, fupin.EInvalid, "reason"},
		{"reject needs a reason", StageTownship, ActReject, "township", " ", nil, fupin.EInvalid, "reason"},
		{"rollback needs a reason", StageEliminated, ActRollback, "county", "", nil, fupin.EInvalid, "reason"},
		{"reason bounded", StageCrossCheck, ActReturn, "village", string(make([]rune, 501)), nil, fupin.EInvalid, "reason"},
		{"review needs participants", StageReview, ActComplete, "village", "", func(f *Facts) { f.Participants = "" }, fupin.EInvalid, "participants"},
		{"review needs a result", StageReview, ActComplete, "village", "", func(f *Facts) { f.Result = "" }, fupin.EInvalid, "result"},
		{"notice with an open objection", StageNotice, ActComplete, "village", "", func(f *Facts) { f.OpenObjections = 1 }, fupin.EConflict, ""},
		{"notice on its last day", StageNotice, ActComplete, "village", "", func(f *Facts) { f.NoticeEnds = f.Today }, fupin.EConflict, ""},
		{"elimination notice with an objection", StageElimNotice, ActComplete, "township", "", func(f *Facts) { f.OpenObjections = 2 }, fupin.EConflict, ""},
		{"county without a plan", StageCounty, ActComplete, "county", "", func(f *Facts) { f.HasPlan = false }, fupin.EConflict, ""},
		{"elimination not eligible", StageMonitored, ActEliminate, "village", "", func(f *Facts) {
			f.Eligibility = &Eligibility{Checks: []Check{{Label: "人均纯收入"}}}
		}, fupin.EConflict, ""},
		{"elimination without a check", StageMonitored, ActEliminate, "village", "", func(f *Facts) { f.Eligibility = nil }, fupin.EConflict, ""},
		{"override needs the county", StageMonitored, ActEliminate, "township", "", func(f *Facts) {
			f.Eligibility = &Eligibility{Eligible: true, NeedsOverride: true}
			f.Override = "已核实"
		}, fupin.EForbidden, "override"},
		{"override needs a reason", StageMonitored, ActEliminate, "county", "", func(f *Facts) {
			f.Eligibility = &Eligibility{Eligible: true, NeedsOverride: true}
		}, fupin.EInvalid, "override"},
		{"county override accepted", StageMonitored, ActEliminate, "county", "", func(f *Facts) {
			f.Eligibility = &Eligibility{Eligible: true, NeedsOverride: true}
			f.Override = "已落实长期兜底，经县级研究同意"
		}, "", ""},
		{"notice the day after its end", StageNotice, ActComplete, "village", "", func(f *Facts) { f.NoticeEnds = d(2026, 3, 9) }, "", ""},
		{"unknown action", StageNotice, "jump", "village", "", nil, fupin.EInvalid, "action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := okFacts()
			if tt.edit != nil {
				tt.edit(&f)
			}
			_, err := Next(tt.stage, tt.act, tt.role, tt.reason, f)
			if got := fupin.ErrorCode(err); got != tt.code {
				t.Fatalf("error = %v, want code %q", err, tt.code)
			}
			if tt.field != "" && err.(*fupin.Error).Fields[tt.field] == "" {
				t.Errorf("error %v does not name field %s", err, tt.field)
			}
		})
	}
}

// TestAllowedMatchesNext checks that Allowed lists exactly the actions Next
// accepts (with facts that let steps close) for every stage and role.
func TestAllowedMatchesNext(t *testing.T) {
	for _, st := range Stages.Items {
		for _, role := range roles {
			got := Allowed(role, st.Code)
			for _, act := range Actions.Items {
				_, err := Next(st.Code, act.Code, role, "核实情况不符", okFacts())
				if want := err == nil; in(got, act.Code) != want {
					t.Errorf("%s/%s: Allowed = %v, Next(%s) error %v", st.Code, role, got, act.Code, err)
				}
			}
		}
	}
}
