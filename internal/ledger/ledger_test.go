package ledger

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fupin/internal/fupin"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWeekdays(t *testing.T) {
	// 2026-12-07 is a Monday.
	for _, c := range []struct {
		from, to string
		want     int
	}{
		{"2026-12-07", "2026-12-07", 0},
		{"2026-12-07", "2026-12-08", 1},
		{"2026-12-07", "2026-12-11", 4},
		{"2026-12-07", "2026-12-13", 4}, // Sat, Sun not counted
		{"2026-12-07", "2026-12-14", 5},
		{"2026-12-11", "2026-12-14", 1}, // Fri → Mon
		{"2026-12-12", "2026-12-13", 0}, // Sat → Sun
		{"2026-12-07", "2026-12-21", 10},
		{"2026-12-14", "2026-12-07", 0},
	} {
		if got := Weekdays(date(c.from), date(c.to)); got != c.want {
			t.Errorf("Weekdays(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
}

func TestBucket(t *testing.T) {
	today := date("2026-12-07") // Monday
	// holidays is a calendar where 2026-12-08..12-11 are holidays, to show
	// that the bucket follows the counter it is given.
	holidays := func(from, to time.Time) int {
		n := Weekdays(from, to)
		for d := date("2026-12-08"); !d.After(date("2026-12-11")); d = d.AddDate(0, 0, 1) {
			if d.After(from) && !d.After(to) {
				n--
			}
		}
		return n
	}
	for _, c := range []struct {
		name, status, deadline string
		count                  WorkingDays
		want                   string
	}{
		{"closed has none", StatusClosed, "2026-01-01", nil, ""},
		{"no deadline", StatusLongTerm, "", nil, ""},
		{"yesterday overdue", StatusInProgress, "2026-12-06", nil, BucketOverdue},
		{"today within 10", StatusInProgress, "2026-12-07", nil, BucketWithin10},
		{"10 working days", StatusPending, "2026-12-21", nil, BucketWithin10},
		{"11 working days", StatusNotStarted, "2026-12-22", nil, BucketWithin20},
		{"20 working days", StatusInProgress, "2027-01-04", nil, BucketWithin20},
		{"21 working days", StatusInProgress, "2027-01-05", nil, BucketLater},
		{"holidays pull it in", StatusInProgress, "2026-12-25", holidays, BucketWithin10},
		{"holidays push 22 cal-days", StatusInProgress, "2027-01-08", holidays, BucketWithin20},
	} {
		var d time.Time
		if c.deadline != "" {
			d = date(c.deadline)
		}
		if got := Bucket(c.status, d, today, c.count); got != c.want {
			t.Errorf("%s: Bucket = %q, want %q", c.name, got, c.want)
		}
	}
}

func newFinding(countyLevel bool, kind string) Finding {
	return Finding{ID: 1, Status: StatusNotStarted, Kind: kind, CountyLevel: countyLevel}
}

// run applies steps in order and returns the error of the last one.
func run(f *Finding, steps ...Action) error {
	var err error
	for _, a := range steps {
		if _, err = Act(f, a); err != nil {
			return err
		}
	}
	return nil
}

var (
	start  = Action{Kind: ActStart, Account: "cun", Role: RoleVillage}
	apply  = Action{Kind: ActApply, Account: "cun", Role: RoleVillage, Text: "已完成改造，附照片"}
	review = Action{Kind: ActReview, Account: "qiantou", Role: RoleTownship}
	closeT = Action{Kind: ActClose, Account: "zhihuibu", Role: RoleTownship, Text: "同意销号"}
)

func TestChain(t *testing.T) {
	for _, c := range []struct {
		name       string
		county     bool
		kind       string
		steps      []Action
		wantCode   string
		wantStatus string
	}{
		{"full chain", false, KindDeadline, []Action{start, apply, review, closeT}, "", StatusClosed},
		{"county closes county-level", true, KindDeadline, []Action{start, apply, review,
			{Kind: ActClose, Account: "xian", Role: RoleCounty}}, "", StatusClosed},
		{"township cannot close county-level", true, KindDeadline, []Action{start, apply, review, closeT}, fupin.EForbidden, StatusPending},
		{"county cannot close township-level", false, KindDeadline, []Action{start, apply, review,
			{Kind: ActClose, Account: "xian", Role: RoleCounty}}, fupin.EForbidden, StatusPending},
		{"applicant cannot review", false, KindDeadline, []Action{start, apply,
			{Kind: ActReview, Account: "cun", Role: RoleTownship}}, fupin.EForbidden, StatusPending},
		{"reviewer cannot close", false, KindDeadline, []Action{start, apply, review,
			{Kind: ActClose, Account: "qiantou", Role: RoleTownship}}, fupin.EForbidden, StatusPending},
		{"applicant cannot close", false, KindDeadline, []Action{start, apply, review,
			{Kind: ActClose, Account: "cun", Role: RoleAdmin}}, fupin.EForbidden, StatusPending},
		{"close before review", false, KindDeadline, []Action{start, apply, closeT}, fupin.EConflict, StatusPending},
		{"review twice", false, KindDeadline, []Action{start, apply, review,
			{Kind: ActReview, Account: "other", Role: RoleCounty}}, fupin.EConflict, StatusPending},
		{"apply needs evidence", false, KindDeadline, []Action{start,
			{Kind: ActApply, Account: "cun", Role: RoleVillage}}, fupin.EInvalid, StatusInProgress},
		{"apply before start", false, KindDeadline, []Action{apply}, fupin.EConflict, StatusNotStarted},
		{"village cannot review", false, KindDeadline, []Action{start, apply,
			{Kind: ActReview, Account: "cun2", Role: RoleVillage}}, fupin.EForbidden, StatusPending},
		{"inspector cannot start", false, KindDeadline, []Action{{Kind: ActStart, Account: "d", Role: "inspector"}}, fupin.EForbidden, StatusNotStarted},
		{"county cannot apply", false, KindDeadline, []Action{start, {Kind: ActApply, Account: "x", Role: RoleCounty, Text: "t"}}, fupin.EForbidden, StatusInProgress},
		{"reject needs reason", false, KindDeadline, []Action{start, apply,
			{Kind: ActReject, Account: "qiantou", Role: RoleTownship}}, fupin.EInvalid, StatusPending},
		{"reject returns", false, KindDeadline, []Action{start, apply,
			{Kind: ActReject, Account: "qiantou", Role: RoleTownship, Text: "佐证不足"}}, "", StatusInProgress},
		{"applicant cannot reject", false, KindDeadline, []Action{start, apply,
			{Kind: ActReject, Account: "cun", Role: RoleTownship, Text: "x"}}, fupin.EForbidden, StatusPending},
		{"closed is final", false, KindDeadline, []Action{start, apply, review, closeT,
			{Kind: ActReport, Account: "cun", Role: RoleVillage, Text: "x"}}, fupin.EConflict, StatusClosed},
		{"long-term starts as long-term", false, KindLongTerm, []Action{start}, "", StatusLongTerm},
		{"long-term periodic report", false, KindLongTerm, []Action{start,
			{Kind: ActReport, Account: "cun", Role: RoleVillage, Text: "第一季度"}}, "", StatusLongTerm},
		{"long-term reject returns to long-term", false, KindLongTerm, []Action{start, apply,
			{Kind: ActReject, Account: "qiantou", Role: RoleTownship, Text: "未到期"}}, "", StatusLongTerm},
		{"report starts", false, KindImmediate, []Action{{Kind: ActReport, Account: "cun", Role: RoleVillage, Text: "已入户"}}, "", StatusInProgress},
		{"unknown action", false, KindImmediate, []Action{{Kind: "delete", Account: "cun", Role: RoleAdmin}}, fupin.EInvalid, StatusNotStarted},
		{"no account", false, KindImmediate, []Action{{Kind: ActStart, Role: RoleAdmin}}, fupin.EForbidden, StatusNotStarted},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFinding(c.county, c.kind)
			err := run(&f, c.steps...)
			if got := fupin.ErrorCode(err); got != c.wantCode {
				t.Fatalf("error code = %q (%v), want %q", got, err, c.wantCode)
			}
			if f.Status != c.wantStatus {
				t.Errorf("status = %q, want %q", f.Status, c.wantStatus)
			}
		})
	}
}

func TestRejectClearsApproval(t *testing.T) {
	f := newFinding(false, KindDeadline)
	if err := run(&f, start, apply, review, Action{Kind: ActReject, Account: "zhihuibu", Role: RoleTownship, Text: "照片不清"}); err != nil {
		t.Fatal(err)
	}
	if f.AppliedBy != "" || f.ReviewedBy != "" || f.RejectReason != "照片不清" {
		t.Errorf("after reject: applied %q reviewed %q reason %q", f.AppliedBy, f.ReviewedBy, f.RejectReason)
	}
	// The same accounts may go round again: the chain starts afresh.
	if err := run(&f, apply, review, closeT); err != nil || f.Status != StatusClosed {
		t.Fatalf("second round: %v, status %s", err, f.Status)
	}
	if f.ClosedBy != "zhihuibu" || f.Opinion != "同意销号" {
		t.Errorf("closed by %q opinion %q", f.ClosedBy, f.Opinion)
	}
}

func TestValidate(t *testing.T) {
	long := string(make([]rune, MaxText+1))
	for _, c := range []struct {
		name  string
		edit  func(*Finding)
		field string
	}{
		{"ok", func(*Finding) {}, ""},
		{"bad category", func(f *Finding) { f.Category = "x" }, "category"},
		{"bad kind", func(f *Finding) { f.Kind = "x" }, "kind"},
		{"deadline required", func(f *Finding) { f.Deadline = fupin.Date{} }, "deadline"},
		{"long-term without deadline", func(f *Finding) { f.Kind, f.Deadline = KindLongTerm, fupin.Date{} }, ""},
		{"description too long", func(f *Finding) { f.Description = "问" + long }, "description"},
		{"county area", func(f *Finding) { f.AreaCode = "500236" }, "area_code"},
		{"empty number", func(f *Finding) { f.Number = "  " }, "number"},
	} {
		f := Finding{Number: "1", Category: "water", Description: "饮水不达标", AreaCode: "500236266201",
			LeadUnit: "乡水利站", Kind: KindDeadline, Deadline: fupin.NewDate(2026, 12, 31)}
		c.edit(&f)
		err := f.Validate()
		var fields map[string]string
		if e, ok := err.(*fupin.Error); ok {
			fields = e.Fields
		} else if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.field == "" && err != nil {
			t.Errorf("%s: unexpected %v", c.name, err)
		}
		if c.field != "" && fields[c.field] == "" {
			t.Errorf("%s: fields %v lack %s", c.name, fields, c.field)
		}
	}
}

func TestCountRecurrences(t *testing.T) {
	one, two := int64(1), int64(2)
	fs := []Finding{
		{LeadUnit: "乡水利站", Category: "water", RecurrenceOf: &one},
		{LeadUnit: "乡水利站", Category: "water", RecurrenceOf: &two},
		{LeadUnit: "乡水利站", Category: "water"},
		{LeadUnit: "乡教办", Category: "basic_needs", RecurrenceOf: &one},
	}
	got := CountRecurrences(fs)
	want := []Recurrence{{"乡水利站", "water", 2}, {"乡教办", "basic_needs", 1}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	r := Recurred(Finding{ID: 7, Number: "3", Category: "water", LeadUnit: "乡水利站", AreaCode: "500236266201", Kind: KindDeadline, Status: StatusClosed}, 9, "再次断水")
	if r.RecurrenceOf == nil || *r.RecurrenceOf != 7 || r.InspectionID != 9 || r.Status != StatusNotStarted || r.Number != "3-回" {
		t.Errorf("Recurred = %+v", r)
	}
}

func TestBucketBoundsAgreeWithBucket(t *testing.T) {
	today := date("2026-12-09") // Wednesday
	last10, last20 := BucketBounds(today, nil)
	if got, want := last10.Format(time.DateOnly), "2026-12-23"; got != want { // the 10th working day
		t.Errorf("last10 = %s, want %s", got, want)
	}
	if got, want := last20.Format(time.DateOnly), "2027-01-06"; got != want {
		t.Errorf("last20 = %s, want %s", got, want)
	}
	for d := today; d.Before(today.AddDate(0, 2, 0)); d = d.AddDate(0, 0, 1) {
		var want string
		switch {
		case !d.After(last10):
			want = BucketWithin10
		case !d.After(last20):
			want = BucketWithin20
		default:
			want = BucketLater
		}
		if got := Bucket(StatusInProgress, d, today, nil); got != want {
			t.Errorf("deadline %s: Bucket %s, bounds say %s", d.Format(time.DateOnly), got, want)
		}
	}
}

func TestTaskDerive(t *testing.T) {
	today := date("2026-12-07") // Monday
	ms := func(due ...string) []Milestone {
		var out []Milestone
		for _, d := range due {
			m := Milestone{Title: "节点", DueOn: fupin.NewDate(0, 1, 1)}
			if d[0] == '+' { // done
				d = d[1:]
				m.DoneOn = fupin.NewDate(2026, 1, 1)
			}
			tm := date(d)
			m.DueOn = fupin.DateOf(tm)
			out = append(out, m)
		}
		return out
	}
	for _, c := range []struct {
		name               string
		milestones         []Milestone
		progress           int
		bucket, escalation string
		done               bool
	}{
		{"next milestone soon", ms("+2026-11-01", "2026-12-10", "2027-03-01"), 33, BucketWithin10, "", false},
		{"overdue a week: lead unit", ms("2026-11-30", "2027-03-01"), 0, BucketOverdue, "lead_unit", false},
		{"overdue over 10 working days: township", ms("2026-11-20"), 0, BucketOverdue, "township", false},
		{"all done", ms("+2026-11-20", "+2026-12-01"), 100, "", "", true},
		{"no milestones: the deadline", nil, 0, BucketLater, "", false},
	} {
		task := Task{Deadline: fupin.NewDate(2027, 6, 30), Milestones: c.milestones}
		task.Derive(today, nil)
		if task.Progress != c.progress || task.Bucket != c.bucket || task.Escalation != c.escalation || task.Done != c.done {
			t.Errorf("%s: progress %d bucket %q escalation %q done %v", c.name, task.Progress, task.Bucket, task.Escalation, task.Done)
		}
	}
	bad := Task{Title: "x", AreaCode: "500236266", LeadUnit: "u", Deadline: fupin.NewDate(2026, 12, 31),
		Milestones: []Milestone{{Title: "a", DueOn: fupin.NewDate(2027, 1, 1)}, {DueOn: fupin.NewDate(2026, 1, 1)}}}
	err, _ := bad.Validate().(*fupin.Error)
	if err == nil || err.Fields["milestones[0].due_on"] == "" || err.Fields["milestones[1].title"] == "" {
		t.Errorf("Validate = %v", err)
	}
}

func TestRankUnits(t *testing.T) {
	us := []UnitDuty{
		{Unit: "丙", FindingsOverdue: 2},
		{Unit: "乙", FindingsOpen: 1, FindingsClosed: 1},
		{Unit: "甲", FindingsClosed: 3},
		{Unit: "丁", FindingsClosed: 1, FindingsOpen: 1, TasksOverdue: 0},
		{Unit: "戊", TasksOverdue: 1},
	}
	RankUnits(us)
	var got []string
	for _, u := range us {
		got = append(got, u.Unit+":"+string(rune('0'+u.Rank)))
	}
	want := "甲:1 丁:2 乙:2 戊:4 丙:5"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("ranked %s, want %s", g, want)
	}
}

func TestAwaitsMe(t *testing.T) {
	tests := []struct {
		name          string
		f             Finding
		role, account string
		want          bool
	}{
		{"pending, unreviewed: the township reviews", Finding{Status: StatusPending, AppliedBy: "v1"}, RoleTownship, "t1", true},
		{"pending, unreviewed: the county reviews", Finding{Status: StatusPending, AppliedBy: "v1"}, RoleCounty, "c1", true},
		{"pending, unreviewed: a village does not", Finding{Status: StatusPending, AppliedBy: "v1"}, RoleVillage, "v2", false},
		{"the applicant never waits for itself", Finding{Status: StatusPending, AppliedBy: "t1"}, RoleTownship, "t1", false},
		{"reviewed: the township closes", Finding{Status: StatusPending, AppliedBy: "v1", ReviewedBy: "t2"}, RoleTownship, "t1", true},
		{"reviewed: not the reviewer", Finding{Status: StatusPending, AppliedBy: "v1", ReviewedBy: "t1"}, RoleTownship, "t1", false},
		{"reviewed township finding: not the county", Finding{Status: StatusPending, AppliedBy: "v1", ReviewedBy: "t2"}, RoleCounty, "c1", false},
		{"reviewed county-level finding: the county closes", Finding{Status: StatusPending, CountyLevel: true, AppliedBy: "v1", ReviewedBy: "t2"}, RoleCounty, "c1", true},
		{"in progress waits for nobody's approval", Finding{Status: StatusInProgress}, RoleAdmin, "admin", false},
	}
	for _, tt := range tests {
		if got := AwaitsMe(&tt.f, tt.role, tt.account); got != tt.want {
			t.Errorf("%s: AwaitsMe = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHandoverDuties(t *testing.T) {
	posts := []HandoverPost{
		{ItemID: 1, Area: "500236266200", Outgoing: "张三", Incoming: "李四"},
		{ItemID: 2, Area: "500236266", Outgoing: "王五", Incoming: "赵六"},
	}
	duties := []Duty{
		{Kind: "finding", ID: 10, Title: "a", Area: "500236266200", Person: "张三"}, // moves with post 1
		{Kind: "finding", ID: 11, Title: "b", Area: "500236266202", Person: "张三"}, // another village: stays
		{Kind: "task", ID: 12, Title: "c", Area: "500236266202", Person: "王五"},    // inside the township post
		{Kind: "task", ID: 13, Title: "d", Area: "500236266200", Person: "孙七"},    // nobody leaving
	}
	got := HandoverDuties(posts, duties)
	if len(got) != 2 || got[0].ID != 10 || got[0].Post.Incoming != "李四" || got[1].ID != 12 || got[1].Post.Incoming != "赵六" {
		t.Fatalf("moves %+v", got)
	}
	if title, detail := got[1].Entry(); title != "重点工作：c" || detail != "责任领导 王五 → 赵六" {
		t.Errorf("entry %q %q", title, detail)
	}
}

// TestHandoverDutiesByCadre: two cadres named 张伟, one leaving a village
// post: only the duties linked to him move, even in his village, and a
// duty with the name only moves with a post whose leaver has that name.
func TestHandoverDutiesByCadre(t *testing.T) {
	posts := []HandoverPost{{ItemID: 1, Area: "500236266200", Outgoing: "张伟", OutgoingID: 7, Incoming: "李四", IncomingID: 9}}
	duties := []Duty{
		{Kind: "finding", ID: 10, Area: "500236266200", Person: "张伟", PersonID: 7}, // his: moves
		{Kind: "finding", ID: 11, Area: "500236266200", Person: "张伟", PersonID: 8}, // the other 张伟's: stays
		{Kind: "task", ID: 12, Area: "500236266200", Person: "张伟"},                 // a name only: moves
		{Kind: "task", ID: 13, Area: "500236266200", Person: "李四", PersonID: 7},    // linked to him under an old name: moves
	}
	var ids []int64
	for _, m := range HandoverDuties(posts, duties) {
		ids = append(ids, m.ID)
	}
	if !slices.Equal(ids, []int64{10, 12, 13}) {
		t.Errorf("moved %v, want [10 12 13]", ids)
	}
}

func TestCheckPDF(t *testing.T) {
	good := []byte("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	if err := CheckPDF(good); err != nil {
		t.Errorf("good PDF: %v", err)
	}
	for name, data := range map[string][]byte{
		"truncated": good[:30],
		"not a pdf": []byte("<html><script>alert(1)</script></html>%%EOF"),
		"bad head":  []byte("%PDF-x.7\n%%EOF\n0123456789"),
	} {
		if err := CheckPDF(data); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	big := append([]byte("%PDF-1.4\n"), make([]byte, MaxEvidenceBytes)...)
	if err := CheckPDF(append(big, "%%EOF"...)); err == nil || !strings.Contains(err.Error(), "MB") {
		t.Errorf("oversized PDF: %v", err)
	}
}
