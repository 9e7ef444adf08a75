package aid

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/fupin"
)

func d(s string) fupin.Date {
	v, err := fupin.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestResolveSettings(t *testing.T) {
	rows := []SettingRow{
		{Area: "", Key: "term_months", Value: 36},
		{Area: "500236", Key: "term_months", Value: 30},
		{Area: "500236266", Key: "visit_days_monitored", Value: 15},
		{Area: "500236266", Key: "unknown_key", Value: 7},
	}
	tests := []struct {
		code                  string
		wantTerm, wantVisit   int
		wantAlert, wantAttend int
	}{
		{"500236266201", 30, 15, 60, 20},
		{"500236100000", 30, 30, 60, 20},
		{"110101001001", 36, 30, 60, 20},
	}
	for _, tt := range tests {
		s := ResolveSettings(rows, tt.code)
		got := []int{s.TermMonths, s.VisitDaysMonitored, s.TermAlertDays, s.AttendanceMinDays}
		if diff := cmp.Diff([]int{tt.wantTerm, tt.wantVisit, tt.wantAlert, tt.wantAttend}, got); diff != "" {
			t.Errorf("ResolveSettings(%s) (-want +got):\n%s", tt.code, diff)
		}
	}
	if got := ResolveSettings(nil, "5002"); got.VisitDaysExPoor != 90 || got.VisitDaysOther != 90 || got.TermMonths != 24 {
		t.Errorf("defaults = %+v", got)
	}
}

func TestInterval(t *testing.T) {
	s := Settings{VisitDaysMonitored: 30, VisitDaysExPoor: 90, VisitDaysOther: 120}
	tests := []struct {
		householdType, monitorType string
		eliminated                 bool
		want                       int
	}{
		{"ex_poor", "unstable_ex_poor", false, 30},
		{"ex_poor", "unstable_ex_poor", true, 90},
		{"ex_poor", "", false, 90},
		{"general", "sudden_hardship", false, 30},
		{"general", "sudden_hardship", true, 120},
		{"general", "", false, 120},
	}
	for _, tt := range tests {
		if got := s.Interval(tt.householdType, tt.monitorType, tt.eliminated); got != tt.want {
			t.Errorf("Interval(%s, %s, %v) = %d, want %d", tt.householdType, tt.monitorType, tt.eliminated, got, tt.want)
		}
	}
}

func TestRequiredDays(t *testing.T) {
	first, last := d("2025-06-01"), d("2025-06-30")
	tests := []struct {
		name           string
		started, ended string
		today          string
		want           int
	}{
		{"whole month", "2024-01-01", "", "2025-07-15", 20},
		{"started mid-month", "2025-06-16", "", "2025-07-15", 10},
		{"ended mid-month", "2024-01-01", "2025-06-10", "2025-07-15", 7},
		{"current month up to today", "2024-01-01", "", "2025-06-15", 10},
		{"started after today", "2025-06-20", "", "2025-06-15", 0},
		{"one day rounds up", "2025-06-30", "", "2025-07-01", 1},
	}
	for _, tt := range tests {
		p := Posting{StartedOn: d(tt.started)}
		if tt.ended != "" {
			p.EndedOn = d(tt.ended)
		}
		if got := RequiredDays(20, p, first, last, d(tt.today)); got != tt.want {
			t.Errorf("%s: RequiredDays = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestLeaveDays(t *testing.T) {
	first, last := d("2025-06-01"), d("2025-06-30")
	tests := []struct {
		name string
		l    Leave
		want int
	}{
		{"approved inside", Leave{Status: "approved", FromOn: d("2025-06-10"), ToOn: d("2025-06-12")}, 3},
		{"approved across the month start", Leave{Status: "approved", FromOn: d("2025-05-30"), ToOn: d("2025-06-02")}, 2},
		{"returned early", Leave{Status: "returned", FromOn: d("2025-06-10"), ToOn: d("2025-06-20"), ReturnedOn: d("2025-06-13")}, 3},
		{"returned on its first day", Leave{Status: "returned", FromOn: d("2025-06-10"), ToOn: d("2025-06-20"), ReturnedOn: d("2025-06-10")}, 0},
		{"requested does not count", Leave{Status: "requested", FromOn: d("2025-06-10"), ToOn: d("2025-06-12")}, 0},
		{"rejected does not count", Leave{Status: "rejected", FromOn: d("2025-06-10"), ToOn: d("2025-06-12")}, 0},
		{"other month", Leave{Status: "approved", FromOn: d("2025-07-01"), ToOn: d("2025-07-02")}, 0},
	}
	for _, tt := range tests {
		if got := LeaveDays(tt.l, first, last); got != tt.want {
			t.Errorf("%s: LeaveDays = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func code(err error) string {
	if e, ok := err.(*fupin.Error); ok {
		return e.Code
	}
	if err != nil {
		return "other"
	}
	return ""
}

func TestLeaveTransition(t *testing.T) {
	township := fupin.Actor{Name: "pingan", Areas: []string{"500236266"}}
	village := fupin.Actor{Name: "tiantai", Areas: []string{"500236266201"}}
	today := d("2025-06-20")
	l := Leave{AreaCode: "500236266201", FromOn: d("2025-06-10"), ToOn: d("2025-06-25")}
	tests := []struct {
		name       string
		status     string
		action     LeaveAction
		actor      fupin.Actor
		wantStatus string
		wantOn     string
		wantCode   string
	}{
		{"approve", "requested", LeaveAction{Action: "approve"}, township, "approved", "", ""},
		{"reject", "requested", LeaveAction{Action: "reject"}, township, "rejected", "", ""},
		{"village may not approve", "requested", LeaveAction{Action: "approve"}, village, "", "", fupin.EForbidden},
		{"return today", "approved", LeaveAction{Action: "return"}, village, "returned", "2025-06-20", ""},
		{"return on a day", "approved", LeaveAction{Action: "return", ReturnedOn: d("2025-06-12")}, village, "returned", "2025-06-12", ""},
		{"return before the leave", "approved", LeaveAction{Action: "return", ReturnedOn: d("2025-06-01")}, village, "", "", fupin.EInvalid},
		{"return in the future", "approved", LeaveAction{Action: "return", ReturnedOn: d("2025-06-21")}, village, "", "", fupin.EInvalid},
		{"return a request", "requested", LeaveAction{Action: "return"}, village, "", "", fupin.EConflict},
		{"approve twice", "approved", LeaveAction{Action: "approve"}, township, "", "", fupin.EConflict},
		{"unknown action", "requested", LeaveAction{Action: "cancel"}, township, "", "", fupin.EInvalid},
	}
	for _, tt := range tests {
		l.Status = tt.status
		a := tt.action
		status, on, err := LeaveTransition(l, &a, tt.actor, today)
		if code(err) != tt.wantCode {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.wantCode)
			continue
		}
		wantOn := fupin.Date{}
		if tt.wantOn != "" {
			wantOn = d(tt.wantOn)
		}
		if status != tt.wantStatus || on != wantOn {
			t.Errorf("%s: got (%s, %v), want (%s, %v)", tt.name, status, on, tt.wantStatus, wantOn)
		}
	}
}

func rotation(status string, confirmed bool) *Rotation {
	r := &Rotation{Status: status, StatusLabel: RotationStatuses.LabelOf(status), Items: []RotationItem{
		{ID: 1, OutgoingName: "甲", IncomingName: "乙", RoleLabel: "第一书记"},
	}}
	if confirmed {
		r.Items[0].OutgoingConfirmedBy, r.Items[0].IncomingConfirmedBy, r.OfficeConfirmedBy = "a", "b", "c"
	}
	return r
}

func TestCheckTransition(t *testing.T) {
	tests := []struct {
		name     string
		r        *Rotation
		to       string
		wantCode string
	}{
		{"edit a planned rotation", rotation("planned", false), "planned", ""},
		{"cancel a planned rotation", rotation("planned", false), "cancelled", ""},
		{"complete without confirmations", rotation("planned", false), "completed", fupin.EConflict},
		{"complete with all three", rotation("planned", true), "completed", ""},
		{"completed is final", rotation("completed", true), "cancelled", fupin.EConflict},
		{"cancelled is final", rotation("cancelled", true), "completed", fupin.EConflict},
		{"unknown status", rotation("planned", true), "archived", fupin.EInvalid},
	}
	for _, tt := range tests {
		if got := code(CheckTransition(tt.r, tt.to)); got != tt.wantCode {
			t.Errorf("%s: code %q, want %q", tt.name, got, tt.wantCode)
		}
	}
	r := rotation("planned", false)
	r.Items[0].OutgoingConfirmedBy = "a"
	if diff := cmp.Diff([]string{"接任干部乙（第一书记）", "乡镇指挥部办公室"}, r.MissingConfirmations()); diff != "" {
		t.Errorf("MissingConfirmations (-want +got):\n%s", diff)
	}
}

func TestConfirmedAsDistinctParties(t *testing.T) {
	r := rotation("planned", false)
	r.Items = append(r.Items, RotationItem{ID: 2, OutgoingName: "丙", IncomingName: "丁"})
	r.Items[0].OutgoingConfirmedBy = "acct1"
	r.OfficeConfirmedBy = "office1"
	tests := []struct {
		name, party, account string
		item                 *RotationItem
		want                 string
	}{
		{"outgoing account as incoming of its item", "incoming", "acct1", &r.Items[0], "离任干部（甲）"},
		{"outgoing account on another item", "incoming", "acct1", &r.Items[1], ""},
		{"same party again", "outgoing", "acct1", &r.Items[0], ""},
		{"office account as a cadre", "incoming", "office1", &r.Items[1], "乡镇指挥部办公室"},
		{"a cadre account as the office", "office", "acct1", nil, "离任干部（甲）"},
		{"a fresh account", "office", "acct9", nil, ""},
	}
	for _, tt := range tests {
		if got := ConfirmedAs(r, tt.item, tt.party, tt.account); got != tt.want {
			t.Errorf("%s: ConfirmedAs = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestHandoverList(t *testing.T) {
	// A chain S → H → N in two villages of one township, plus S's pairing
	// outside the postings it hands over (it stays).
	items := []RotationItem{
		{ID: 1, PostingID: 11, RoleLabel: "第一书记", AreaCode: "500236266201", AreaName: "天台村",
			OutgoingCadreID: 100, OutgoingName: "S", IncomingCadreID: 200, IncomingName: "H"},
		{ID: 2, PostingID: 12, RoleLabel: "第一书记", AreaCode: "500236266202", AreaName: "茨竹村",
			OutgoingCadreID: 200, OutgoingName: "H", IncomingCadreID: 300, IncomingName: "N"},
	}
	active := []Pairing{
		{HouseholdID: 1, CadreID: 100, VillageCode: "500236266201", VillageName: "天台村", HeadName: "张三", HouseholdType: "ex_poor"},
		{HouseholdID: 2, CadreID: 100, VillageCode: "500236266203", VillageName: "文昌村", HeadName: "李四"},
		{HouseholdID: 3, CadreID: 200, VillageCode: "500236266202", VillageName: "茨竹村", HeadName: "王五", MonitorType: "sudden_hardship", HouseholdNo: "H3"},
	}
	moves := PairingMoves(items, active)
	var got []string
	for _, e := range HandoverList(items, moves) {
		got = append(got, e.Kind+"|"+e.Title+"|"+e.Detail)
		if !e.Auto || e.ItemID == nil || e.RefID == nil {
			t.Errorf("entry %+v: want Auto with item and ref", e)
		}
	}
	want := []string{
		"posting|第一书记（天台村）|S → H",
		"posting|第一书记（茨竹村）|H → N",
		"household|户主 张三（天台村，脱贫户）|帮扶责任人 S → H",
		"household|户主 王五（茨竹村，户编号 H3，监测户）|帮扶责任人 H → N",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HandoverList (-want +got):\n%s", diff)
	}
	if len(moves) != 2 || moves[0].Item.ID != 1 || moves[1].Item.ID != 2 {
		t.Errorf("moves = %+v", moves)
	}
}

func TestTermAlertOf(t *testing.T) {
	today := d("2025-06-01")
	tests := []struct {
		end      string
		wantOK   bool
		wantKind string
		wantLeft int
	}{
		{"2025-07-31", true, "ending", 60},
		{"2025-08-01", false, "", 0},
		{"2025-06-01", true, "ending", 0},
		{"2025-05-30", true, "overdue", -2},
	}
	for _, tt := range tests {
		a, ok := TermAlertOf(Posting{PlannedEndOn: d(tt.end)}, today, 60)
		if ok != tt.wantOK || a.Kind != tt.wantKind || a.DaysLeft != tt.wantLeft {
			t.Errorf("TermAlertOf(end %s) = (%s, %d, %v), want (%s, %d, %v)", tt.end, a.Kind, a.DaysLeft, ok, tt.wantKind, tt.wantLeft, tt.wantOK)
		}
	}
}

func TestCheckOverdue(t *testing.T) {
	today := d("2025-06-30")
	tests := []struct {
		name        string
		last, since string
		wantOverdue bool
		wantDue     string
		wantDays    int
	}{
		{"visited recently", "2025-06-10", "2024-01-01", false, "2025-07-10", 0},
		{"due today is not overdue", "2025-05-31", "", false, "2025-06-30", 0},
		{"last visit long ago", "2025-05-01", "2024-01-01", true, "2025-05-31", 30},
		{"never visited, paired long ago", "", "2025-05-01", true, "2025-05-31", 30},
		{"never visited, paired recently", "", "2025-06-15", false, "2025-07-15", 0},
		{"neither visit nor pairing", "", "", true, "", 0},
	}
	for _, tt := range tests {
		o := OverdueVisit{IntervalDays: 30}
		var since fupin.Date
		if tt.last != "" {
			o.LastVisitOn = d(tt.last)
		}
		if tt.since != "" {
			since = d(tt.since)
		}
		got := CheckOverdue(&o, since, today)
		var wantDue fupin.Date
		if tt.wantDue != "" {
			wantDue = d(tt.wantDue)
		}
		if got != tt.wantOverdue || o.DueOn != wantDue || o.DaysOverdue != tt.wantDays {
			t.Errorf("%s: (%v, due %v, %d days), want (%v, due %v, %d days)", tt.name, got, o.DueOn, o.DaysOverdue, tt.wantOverdue, wantDue, tt.wantDays)
		}
	}
}

func TestTeamKind(t *testing.T) {
	for role, want := range map[string]string{"commander": "command", "office_deputy": "command", "township_member": "township_team",
		"first_secretary": "village_team", "village_member": "village_team", "helper": "", "nobody": ""} {
		if got := TeamKind(role); got != want {
			t.Errorf("TeamKind(%s) = %q, want %q", role, got, want)
		}
	}
}

func TestCadreValidate(t *testing.T) {
	c := Cadre{Name: "  ", IDNumber: "123", Phone: "abc", Political: "x", AreaCode: "500236266"}
	err := c.Validate(d("2025-06-01"))
	e, ok := err.(*fupin.Error)
	if !ok || e.Code != fupin.EInvalid {
		t.Fatalf("Validate = %v, want invalid", err)
	}
	for _, f := range []string{"name", "id_number", "phone", "political"} {
		if e.Fields[f] == "" {
			t.Errorf("field %s not named: %v", f, e.Fields)
		}
	}
	if e.Fields["area_code"] != "" {
		t.Errorf("a township area code is valid: %v", e.Fields)
	}
}

func TestAwaitsConfirmation(t *testing.T) {
	township := fupin.Actor{Name: "office1", Areas: []string{"500236266"}}
	elsewhere := fupin.Actor{Name: "other", Areas: []string{"500236100"}}
	fresh := func() *Rotation {
		r := rotation("planned", false)
		r.AreaCode = "500236266"
		r.Items[0].AreaCode = "500236266201"
		return r
	}
	tests := []struct {
		name  string
		edit  func(r *Rotation)
		actor fupin.Actor
		want  bool
	}{
		{"nothing confirmed, township covers it", func(*Rotation) {}, township, true},
		{"outside the actor's areas", func(*Rotation) {}, elsewhere, false},
		{"everyone confirmed", func(r *Rotation) {
			r.OfficeConfirmedBy, r.Items[0].OutgoingConfirmedBy, r.Items[0].IncomingConfirmedBy = "a", "b", "c"
		}, township, false},
		{"office confirmed by me, cadres missing", func(r *Rotation) { r.OfficeConfirmedBy = "office1" }, township, false},
		{"office confirmed by another, cadres missing", func(r *Rotation) { r.OfficeConfirmedBy = "x" }, township, true},
		{"I confirmed outgoing; incoming missing but mine would be a second party", func(r *Rotation) {
			r.OfficeConfirmedBy, r.Items[0].OutgoingConfirmedBy = "x", "office1"
		}, township, false},
		{"completed rotation", func(r *Rotation) { r.Status = "completed" }, township, false},
		{"account without a name", func(*Rotation) {}, fupin.Actor{Areas: []string{""}}, false},
	}
	for _, tt := range tests {
		r := fresh()
		tt.edit(r)
		if got := AwaitsConfirmation(r, tt.actor); got != tt.want {
			t.Errorf("%s: AwaitsConfirmation = %v, want %v", tt.name, got, tt.want)
		}
	}
}
