package sqlstore_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
	"fupin/internal/xlsx"
)

// pinLedger pins the store's clock to Monday 2025-06-16 10:00 in China.
func pinLedger(db *sqlstore.DB) {
	db.Now = func() time.Time { return time.Date(2025, 6, 16, 2, 0, 0, 0, time.UTC) }
}

func newInspection(t *testing.T, db *sqlstore.DB, source string, recheckOf *int64) *ledger.Inspection {
	t.Helper()
	in, err := db.CreateInspection(ctx, admin, ledger.Inspection{Source: source, Title: "市委第三巡视组反馈意见",
		AreaCode: pingan, FeedbackOn: fupin.NewDate(2025, 6, 1), RecheckOf: recheckOf})
	if err != nil {
		t.Fatalf("inspection: %v", err)
	}
	return in
}

func newFindingIn(t *testing.T, db *sqlstore.DB, insp int64, number, area string, deadline fupin.Date, households ...int64) *sqlstore.FindingDetail {
	t.Helper()
	f, err := db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: insp, Number: number, Category: "water",
		Description: "部分农户饮水不稳定", AreaCode: area, LeadUnit: "乡水利站", Kind: ledger.KindDeadline, Deadline: deadline}, households)
	if err != nil {
		t.Fatalf("finding %s: %v", number, err)
	}
	return f
}

func actFinding(t *testing.T, db *sqlstore.DB, who, role string, f *sqlstore.FindingDetail, kind, text string) (*sqlstore.FindingDetail, error) {
	t.Helper()
	return db.ActOnFinding(ctx, fupin.Actor{Name: who, Areas: []string{pingan}}, role, f.ID,
		sqlstore.FindingAction{Kind: kind, Text: text, Version: f.Version})
}

func TestLedgerChainByDistinctAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 10))
		if err != nil {
			t.Fatal(err)
		}
		insp := newInspection(t, db, "inspection", nil)
		f := newFindingIn(t, db, insp.ID, "1", tiantai, fupin.NewDate(2025, 7, 31), h.ID)
		if f.Households != 1 || len(f.HouseholdList) != 1 || f.Status != ledger.StatusNotStarted {
			t.Fatalf("created %+v", f.Finding)
		}
		steps := []struct {
			who, role, kind, text string
			wantCode, wantStatus  string
		}{
			{"cun", ledger.RoleVillage, ledger.ActStart, "", "", ledger.StatusInProgress},
			{"cun", ledger.RoleVillage, ledger.ActApply, "已建蓄水池，附照片", "", ledger.StatusPending},
			{"cun", ledger.RoleTownship, ledger.ActReview, "", fupin.EForbidden, ledger.StatusPending},
			{"qiantou", ledger.RoleTownship, ledger.ActReview, "", "", ledger.StatusPending},
			{"qiantou", ledger.RoleTownship, ledger.ActClose, "", fupin.EForbidden, ledger.StatusPending},
			{"zhihuibu", ledger.RoleTownship, ledger.ActClose, "同意销号", "", ledger.StatusClosed},
		}
		for i, s := range steps {
			got, err := actFinding(t, db, s.who, s.role, f, s.kind, s.text)
			if code(err) != s.wantCode {
				t.Fatalf("step %d %s by %s: %v, want %q", i, s.kind, s.who, err, s.wantCode)
			}
			if err == nil {
				f = got
			}
			if cur, _ := db.Finding(ctx, admin, f.ID); cur.Status != s.wantStatus {
				t.Fatalf("step %d: status %s, want %s", i, cur.Status, s.wantStatus)
			}
		}
		if f.AppliedBy != "cun" || f.ReviewedBy != "qiantou" || f.ClosedBy != "zhihuibu" || len(f.Steps) != 4 || f.Bucket != "" {
			t.Errorf("closed finding: %+v steps %d", f.Finding, len(f.Steps))
		}
		// A refused step writes nothing: still version 5 after 4 steps.
		if f.Version != 5 {
			t.Errorf("version %d, want 5", f.Version)
		}
		open, err := db.HouseholdFindings(ctx, admin, h.ID)
		if err != nil || len(open) != 0 {
			t.Errorf("household open findings after closing: %d, %v", len(open), err)
		}
	})
}

func TestLedgerScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 10))
		if err != nil {
			t.Fatal(err)
		}
		insp := newInspection(t, db, "inspection", nil)
		a := newFindingIn(t, db, insp.ID, "1", tiantai, fupin.NewDate(2025, 7, 31), h.ID)
		b := newFindingIn(t, db, insp.ID, "2", wenchang, fupin.NewDate(2025, 7, 31))
		wen := fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}
		if _, err := db.Finding(ctx, wen, a.ID); code(err) != fupin.ENotFound {
			t.Errorf("read outside: %v", err)
		}
		if _, err := db.Finding(ctx, wen, b.ID); err != nil {
			t.Errorf("read inside: %v", err)
		}
		if _, err := db.ActOnFinding(ctx, wen, ledger.RoleVillage, a.ID, sqlstore.FindingAction{Kind: ledger.ActStart, Version: 1}); code(err) != fupin.ENotFound {
			t.Errorf("act outside: %v", err)
		}
		if _, err := db.CreateFinding(ctx, wen, ledger.Finding{InspectionID: insp.ID, Number: "3", Category: "water", Description: "x",
			AreaCode: tiantai, LeadUnit: "u", Kind: ledger.KindLongTerm}, nil); code(err) != fupin.EForbidden {
			t.Errorf("create outside: %v", err)
		}
		// A finding in 文昌村 cannot name a 天台村 household.
		_, err = db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: insp.ID, Number: "4", Category: "water", Description: "x",
			AreaCode: wenchang, LeadUnit: "u", Kind: ledger.KindLongTerm}, []int64{h.ID})
		assertFieldError(t, err, fupin.EInvalid, "households[0]")
		if _, err := db.HouseholdFindings(ctx, wen, h.ID); code(err) != fupin.ENotFound {
			t.Errorf("household findings outside: %v", err)
		}
		page, err := db.Findings(ctx, wen, sqlstore.FindingFilter{})
		if err != nil || page.Total != 1 || page.Items[0].ID != b.ID {
			t.Errorf("village list: %d, %v", page.Total, err)
		}
		if page, _ := db.Findings(ctx, wen, sqlstore.FindingFilter{Area: tiantai}); page.Total != 0 {
			t.Errorf("list of another village: %d", page.Total)
		}
		// The township inspection is visible to the village (it covers it).
		if ins, err := db.Inspections(ctx, wen, ""); err != nil || len(ins) != 1 {
			t.Errorf("inspections seen by village: %d, %v", len(ins), err)
		}
		if ins, _ := db.Inspections(ctx, fupin.Actor{Name: "x", Areas: []string{"500101"}}, ""); len(ins) != 0 {
			t.Errorf("inspections seen by another county: %d", len(ins))
		}
	})
}

func TestLedgerBuckets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db) // Monday 2025-06-16
		insp := newInspection(t, db, "supervision", nil)
		for i, d := range []fupin.Date{
			fupin.NewDate(2025, 6, 13), // overdue
			fupin.NewDate(2025, 6, 16), // today: within 10
			fupin.NewDate(2025, 6, 30), // 10 working days: within 10
			fupin.NewDate(2025, 7, 1),  // 11: within 20
			fupin.NewDate(2025, 7, 14), // 20: within 20
			fupin.NewDate(2025, 7, 15), // 21: later
		} {
			newFindingIn(t, db, insp.ID, string(rune('a'+i)), tiantai, d)
		}
		page, err := db.Findings(ctx, admin, sqlstore.FindingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{ledger.BucketOverdue: 1, ledger.BucketWithin10: 2, ledger.BucketWithin20: 2, ledger.BucketLater: 1}
		for k, n := range want {
			if page.Buckets[k] != n {
				t.Errorf("bucket %s: %d, want %d (%v)", k, page.Buckets[k], n, page.Buckets)
			}
		}
		for _, it := range page.Items {
			only, err := db.Findings(ctx, admin, sqlstore.FindingFilter{Bucket: it.Bucket})
			if err != nil || only.Total != want[it.Bucket] {
				t.Errorf("filter %s: %d, %v", it.Bucket, only.Total, err)
			}
		}
		// A calendar with a holiday on 2025-06-17 moves 2025-07-01 into within 10.
		db.WorkingDays = func(from, to time.Time) int {
			n := ledger.Weekdays(from, to)
			if h := time.Date(2025, 6, 17, 0, 0, 0, 0, time.UTC); h.After(from) && !h.After(to) {
				n--
			}
			return n
		}
		if page, _ := db.Findings(ctx, admin, sqlstore.FindingFilter{}); page.Buckets[ledger.BucketWithin10] != 3 {
			t.Errorf("with a holiday: %v", page.Buckets)
		}
		_, err = db.Findings(ctx, admin, sqlstore.FindingFilter{Bucket: "soon", Limit: 501})
		assertFieldError(t, err, fupin.EInvalid, "bucket")
	})
}

func TestLedgerSelfClosingFromVerdicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		bad := family(t, tiantai, 10)
		bad.Housing = fupin.Housing{Grade: "D"}
		h, err := db.CreateHousehold(ctx, admin, bad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 20)); err != nil {
			t.Fatal(err)
		}
		insp := newInspection(t, db, "self", nil)
		in := sqlstore.FromProblemsIn{InspectionID: insp.ID, Area: pingan, Year: 2024, Item: "housing", LeadUnit: "乡村建办", Deadline: fupin.NewDate(2025, 9, 30)}
		fs, err := db.FindingsFromProblems(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].AreaCode != tiantai || fs[0].Households != 1 || fs[0].Fixed != 0 {
			t.Fatalf("findings from problems: %+v", fs)
		}
		if _, err := db.FindingsFromProblems(ctx, admin, in); code(err) != fupin.EConflict {
			t.Errorf("second time: %v, want conflict", err)
		}
		open, err := db.HouseholdFindings(ctx, admin, h.ID)
		if err != nil || len(open) != 1 {
			t.Fatalf("household findings: %d, %v", len(open), err)
		}
		cur, _ := db.Household(ctx, admin, h.ID)
		cur.Housing.Grade = "A"
		if _, err := db.UpdateHousehold(ctx, admin, cur); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Finding(ctx, admin, fs[0].ID)
		if got.Fixed != 1 || got.HouseholdList[0].FixedAt == nil {
			t.Errorf("after the verdict passes: fixed %d", got.Fixed)
		}
		// The batch assessment (recompute queue, CLI assess) marks them too.
		bad2 := family(t, tiantai, 30)
		bad2.Housing = fupin.Housing{Grade: "D"}
		h2, err := db.CreateHousehold(ctx, admin, bad2)
		if err != nil {
			t.Fatal(err)
		}
		in.Area = tiantai
		in.Item = "housing"
		in.InspectionID = newInspection(t, db, "self", nil).ID
		fs2, err := db.FindingsFromProblems(ctx, admin, in)
		if err != nil || len(fs2) != 1 || fs2[0].Households != 1 {
			t.Fatalf("second finding: %+v, %v", fs2, err)
		}
		if err := db.Exec(`UPDATE households SET housing_grade = 'A' WHERE id = $1`, h2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Assess(ctx, admin, pingan, 2024, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Finding(ctx, admin, fs2[0].ID); got.Fixed != 1 {
			t.Errorf("after the batch assessment: fixed %d", got.Fixed)
		}
		_, err = db.FindingsFromProblems(ctx, admin, sqlstore.FromProblemsIn{InspectionID: insp.ID, Area: "5002", Year: 1990, Item: "standard"})
		for _, field := range []string{"item", "area", "year", "deadline"} {
			assertFieldError(t, err, fupin.EInvalid, field)
		}
	})
}

func TestLedgerRecheckRecurrence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 10))
		if err != nil {
			t.Fatal(err)
		}
		insp := newInspection(t, db, "inspection", nil)
		f := newFindingIn(t, db, insp.ID, "7", tiantai, fupin.NewDate(2025, 7, 31), h.ID)
		re := newInspection(t, db, "recheck", &insp.ID)
		in := sqlstore.RecheckIn{InspectionID: re.ID, Recurred: true, Text: "再次断水", Deadline: fupin.NewDate(2025, 8, 31)}
		if _, err := db.RecheckFinding(ctx, admin, ledger.RoleTownship, f.ID, in); code(err) != fupin.EConflict {
			t.Fatalf("recheck of an open finding: %v", err)
		}
		for _, s := range []struct{ who, role, kind, text string }{
			{"cun", ledger.RoleVillage, ledger.ActStart, ""}, {"cun", ledger.RoleVillage, ledger.ActApply, "已通水"},
			{"qt", ledger.RoleTownship, ledger.ActReview, ""}, {"zh", ledger.RoleTownship, ledger.ActClose, ""},
		} {
			if f, err = actFinding(t, db, s.who, s.role, f, s.kind, s.text); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RecheckFinding(ctx, admin, ledger.RoleVillage, f.ID, in); code(err) != fupin.EForbidden {
			t.Errorf("village recheck: %v", err)
		}
		bad := in
		bad.InspectionID = insp.ID
		_, err = db.RecheckFinding(ctx, admin, ledger.RoleTownship, f.ID, bad)
		assertFieldError(t, err, fupin.EInvalid, "inspection_id")
		res, err := db.RecheckFinding(ctx, admin, ledger.RoleTownship, f.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Recurrence == nil || *res.Recurrence.RecurrenceOf != f.ID || res.Recurrence.InspectionID != re.ID ||
			res.Recurrence.Households != 1 || res.Recurrence.Status != ledger.StatusNotStarted {
			t.Fatalf("recurrence %+v", res.Recurrence)
		}
		if last := res.Finding.Steps[len(res.Finding.Steps)-1]; last.Kind != "recheck" || last.Text != "再次断水" {
			t.Errorf("recheck step %+v", last)
		}
		counts, err := db.Recurrences(ctx, admin, pingan)
		if err != nil || len(counts) != 1 || counts[0] != (ledger.Recurrence{Unit: "乡水利站", Category: "water", Count: 1}) {
			t.Errorf("recurrences %v, %v", counts, err)
		}
	})
}

func TestLedgerConcurrentActionsOneWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		insp := newInspection(t, db, "inspection", nil)
		f := newFindingIn(t, db, insp.ID, "1", tiantai, fupin.NewDate(2025, 7, 31))
		f, _ = actFinding(t, db, "cun", ledger.RoleVillage, f, ledger.ActStart, "")
		f, _ = actFinding(t, db, "cun", ledger.RoleVillage, f, ledger.ActApply, "已完成")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.ActOnFinding(ctx, fupin.Actor{Name: "qiantou" + string(rune('a'+i)), Areas: []string{pingan}},
					ledger.RoleTownship, f.ID, sqlstore.FindingAction{Kind: ledger.ActReview, Version: f.Version})
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch code(err) {
			case "":
				wins++
			case fupin.EConflict:
			default:
				t.Errorf("unexpected %v", err)
			}
		}
		got, _ := db.Finding(ctx, admin, f.ID)
		if wins != 1 || got.Version != f.Version+1 || len(got.Steps) != 3 {
			t.Errorf("wins %d, version %d, steps %d", wins, got.Version, len(got.Steps))
		}
	})
}

func TestLedgerTasks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db) // Monday 2025-06-16
		task, err := db.CreateTask(ctx, admin, ledger.Task{Title: "饮水巩固提升", AreaCode: tiantai, LeadUnit: "乡水利站", Leader: "副乡长",
			Deadline: fupin.NewDate(2025, 12, 31), Milestones: []ledger.Milestone{
				{Title: "摸底", DueOn: fupin.NewDate(2025, 5, 20)}, {Title: "施工", DueOn: fupin.NewDate(2025, 9, 30)}}})
		if err != nil {
			t.Fatal(err)
		}
		if task.Bucket != ledger.BucketOverdue || task.Escalation != "township" || task.Progress != 0 {
			t.Errorf("new task: bucket %s escalation %s progress %d", task.Bucket, task.Escalation, task.Progress)
		}
		first := task.Milestones[0].ID
		done, err := db.CompleteMilestone(ctx, admin, task.ID, first, sqlstore.MilestoneDone{Note: "已完成摸底", Version: task.Version})
		if err != nil {
			t.Fatal(err)
		}
		if done.Progress != 50 || done.Bucket != ledger.BucketLater || done.Escalation != "" || done.Milestones[0].DoneOn.IsZero() {
			t.Errorf("after milestone: %+v", done)
		}
		if _, err := db.CompleteMilestone(ctx, admin, task.ID, first, sqlstore.MilestoneDone{Note: "x", Version: task.Version}); code(err) != fupin.EConflict {
			t.Errorf("stale version: %v", err)
		}
		if _, err := db.CompleteMilestone(ctx, admin, task.ID, first, sqlstore.MilestoneDone{Note: "x", Version: done.Version}); code(err) != fupin.EConflict {
			t.Errorf("done twice: %v", err)
		}
		wen := fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}
		if _, err := db.Task(ctx, wen, task.ID); code(err) != fupin.ENotFound {
			t.Errorf("task outside: %v", err)
		}
		if list, err := db.Tasks(ctx, wen, ""); err != nil || len(list) != 0 {
			t.Errorf("tasks outside: %d, %v", len(list), err)
		}
		if list, err := db.Tasks(ctx, admin, pingan); err != nil || len(list) != 1 || list[0].Progress != 50 {
			t.Errorf("tasks: %v, %v", list, err)
		}
		if _, err := db.CreateTask(ctx, wen, ledger.Task{Title: "x", AreaCode: tiantai, LeadUnit: "u", Deadline: fupin.NewDate(2025, 12, 31)}); code(err) != fupin.EForbidden {
			t.Errorf("create outside: %v", err)
		}
	})
}

func dutyUnit(r *ledger.Responsibility, name string) ledger.UnitDuty {
	for _, u := range r.Units {
		if u.Unit == name {
			return u
		}
	}
	return ledger.UnitDuty{}
}

func TestLedgerResponsibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 2)
		pinLedger(db)
		if _, err := db.CreateAidUnit(ctx, admin, w.group.ID, aid.Unit{Name: "市政府外办", VillageCode: "500236266208"}); err != nil {
			t.Fatal(err)
		}
		insp := newInspection(t, db, "inspection", nil)
		sec := w.secretary[tiantai].Name
		for i, d := range []fupin.Date{fupin.NewDate(2025, 6, 1), fupin.NewDate(2025, 12, 1)} {
			if _, err := db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: insp.ID, Number: string(rune('1' + i)), Category: "conduct",
				Description: "走访不实", AreaCode: tiantai, LeadUnit: "市政府外办", Person: sec, Kind: ledger.KindDeadline, Deadline: d}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.CreateTask(ctx, admin, ledger.Task{Title: "产业", AreaCode: tiantai, LeadUnit: "市政府办公厅", Leader: sec,
			Deadline: fupin.NewDate(2025, 12, 31)}); err != nil {
			t.Fatal(err)
		}
		r, err := db.Responsibility(ctx, admin, pingan)
		if err != nil {
			t.Fatal(err)
		}
		units := map[string]ledger.UnitDuty{}
		for _, u := range r.Units {
			units[u.Unit] = u
		}
		wai := units["市政府外办"]
		if wai.Cadres != 4 || wai.HouseholdsPaired != 4 || wai.FindingsOpen != 2 || wai.FindingsOverdue != 1 || len(wai.Villages) != 1 || wai.Rank != 2 {
			t.Errorf("市政府外办: %+v", wai)
		}
		// Its cadres' four households, paired in 2024 and never visited,
		// are overdue; one visited last week is not.
		if wai.VisitsOverdue != 4 {
			t.Errorf("市政府外办 has %d households overdue for a visit, want 4", wai.VisitsOverdue)
		}
		if _, err := db.RecordVisit(ctx, admin, w.households[tiantai][0], aid.Visit{CadreID: w.secretary[tiantai].ID,
			VisitedOn: fupin.NewDate(2025, 6, 10), Kind: "home", Findings: "两不愁三保障稳定"}); err != nil {
			t.Fatal(err)
		}
		if r, err := db.Responsibility(ctx, admin, pingan); err != nil || dutyUnit(r, "市政府外办").VisitsOverdue != 3 {
			t.Errorf("after a visit: %+v, %v; want 3 households overdue", dutyUnit(r, "市政府外办"), err)
		}
		if lead := units["市政府办公厅"]; lead.Tasks != 1 || lead.Rank != 1 {
			t.Errorf("市政府办公厅: %+v", lead)
		}
		var me *ledger.PersonDuty
		for i := range r.People {
			if r.People[i].Name == sec {
				me = &r.People[i]
			}
		}
		if len(r.People) != 4 || me == nil || me.HouseholdsPaired != 1 || me.FindingsOpen != 2 || me.Tasks != 1 ||
			len(me.Posts) != 1 || me.Posts[0] != "first_secretary@"+tiantai {
			t.Fatalf("people %+v", r.People)
		}
		wen, err := db.Responsibility(ctx, fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}, "")
		if err != nil || len(wen.People) != 2 || wen.People[0].FindingsOpen != 0 {
			t.Errorf("village view: %+v, %v", wen.People, err)
		}
	})
}

func TestLedgerImportFeedback(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		insp := newInspection(t, db, "inspection", nil)
		open := func(s string) xlsx.Reader {
			r, err := xlsx.OpenCSV(strings.NewReader(s))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		head := "序号,问题类别,问题描述,所在村,牵头单位,整改时限\n"
		bad := head + "1,饮水安全,断水,天台村,乡水利站,2025-09-30\n2,作风,走访不实,不存在村,乡纪委,2025-09-30\n"
		_, err := db.ImportFeedback(ctx, admin, insp.ID, open(bad))
		assertFieldError(t, err, fupin.EInvalid, "!D3")
		if page, _ := db.Findings(ctx, admin, sqlstore.FindingFilter{}); page.Total != 0 {
			t.Fatalf("a rejected file wrote %d findings", page.Total)
		}
		good := head + "1,饮水安全,断水,天台村,乡水利站,2025-09-30\n2,作风,走访不实,500236266202,乡纪委,2025年9月30日\n"
		res, err := db.ImportFeedback(ctx, admin, insp.ID, open(good))
		if err != nil || res.Created != 2 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		// The same numbers again: refused as a whole.
		again := head + "3,作风,新问题,天台村,乡纪委,2025-09-30\n1,作风,重复,天台村,乡纪委,2025-09-30\n"
		_, err = db.ImportFeedback(ctx, admin, insp.ID, open(again))
		assertFieldError(t, err, fupin.EConflict, "rows[1]")
		if page, _ := db.Findings(ctx, admin, sqlstore.FindingFilter{}); page.Total != 2 {
			t.Errorf("after a refused import: %d findings", page.Total)
		}
		wen := fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}
		if _, err := db.ImportFeedback(ctx, wen, insp.ID, open(good)); code(err) != fupin.EForbidden {
			t.Errorf("village importing into the township inspection: %v", err)
		}
	})
}

// TestLedgerVillageListsTownshipFindings: a village's list (its own
// account, or a wider account narrowed to it), counts and 三单 include the
// township-level findings that name one of its households, and no others.
func TestLedgerVillageListsTownshipFindings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		h1, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 10))
		if err != nil {
			t.Fatal(err)
		}
		h2, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 20))
		if err != nil {
			t.Fatal(err)
		}
		insp := newInspection(t, db, "inspection", nil)
		both := newFindingIn(t, db, insp.ID, "T1", pingan, fupin.NewDate(2025, 6, 10), h1.ID, h2.ID) // overdue
		onlyTian := newFindingIn(t, db, insp.ID, "T2", pingan, fupin.NewDate(2025, 9, 30), h1.ID)
		newFindingIn(t, db, insp.ID, "T3", pingan, fupin.NewDate(2025, 9, 30)) // names nobody
		wen := newFindingIn(t, db, insp.ID, "W1", wenchang, fupin.NewDate(2025, 9, 30))
		ids := func(items []ledger.Finding) []int64 {
			var out []int64
			for _, f := range items {
				out = append(out, f.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			actor fupin.Actor
			area  string
			want  []int64
		}{
			{"天台村 account", fupin.Actor{Name: "天台村", Areas: []string{tiantai}}, "", []int64{both.ID, onlyTian.ID}},
			{"文昌村 account", fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}, "", []int64{both.ID, wen.ID}},
			{"township narrowed to 天台村", admin, tiantai, []int64{both.ID, onlyTian.ID}},
			{"天台村 account narrowed to 文昌村", fupin.Actor{Name: "天台村", Areas: []string{tiantai}}, wenchang, nil},
		} {
			page, err := db.Findings(ctx, tc.actor, sqlstore.FindingFilter{Area: tc.area})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := ids(page.Items); !slicesEqual(got, tc.want) || page.Total != len(tc.want) {
				t.Errorf("%s: list %v (total %d), want %v", tc.name, got, page.Total, tc.want)
			}
			n := 0
			for _, v := range page.Statuses {
				n += v
			}
			if n != len(tc.want) {
				t.Errorf("%s: status counts %v, want %d in all", tc.name, page.Statuses, len(tc.want))
			}
			if len(tc.want) > 0 && page.Buckets[ledger.BucketOverdue] != 1 {
				t.Errorf("%s: overdue %d, want 1 (T1)", tc.name, page.Buckets[ledger.BucketOverdue])
			}
			rows, err := db.FindingSheetRows(ctx, tc.actor, tc.area, 0)
			if err != nil || len(rows) != len(tc.want) {
				t.Errorf("%s: 三单 rows %d, %v, want %d", tc.name, len(rows), err, len(tc.want))
			}
		}
		// The 天台村 account reading T1 sees its own household only.
		d, err := db.Finding(ctx, fupin.Actor{Name: "天台村", Areas: []string{tiantai}}, both.ID)
		if err != nil || len(d.HouseholdList) != 1 || d.HouseholdList[0].HouseholdID != h1.ID || d.Households != 2 {
			t.Errorf("T1 seen by 天台村: %+v, %v", d, err)
		}
	})
}

func slicesEqual(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLedgerListCountsFollowWrites: the memoised counts and totals of the
// list change with every write and with the day (buckets move with the
// calendar), never answering what was true before.
func TestLedgerListCountsFollowWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db) // Monday 2025-06-16
		insp := newInspection(t, db, "inspection", nil)
		f := newFindingIn(t, db, insp.ID, "1", tiantai, fupin.NewDate(2025, 6, 17))
		list := func(status string) sqlstore.FindingPage {
			t.Helper()
			p, err := db.Findings(ctx, admin, sqlstore.FindingFilter{Status: status})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		if p := list("open"); p.Total != 1 || p.Statuses[ledger.StatusNotStarted] != 1 || p.Buckets[ledger.BucketWithin10] != 1 {
			t.Fatalf("first list: %+v", p)
		}
		list("open") // memoised now
		if _, err := actFinding(t, db, "tiantai", ledger.RoleVillage, f, ledger.ActStart, ""); err != nil {
			t.Fatal(err)
		}
		if p := list("open"); p.Statuses[ledger.StatusNotStarted] != 0 || p.Statuses[ledger.StatusInProgress] != 1 {
			t.Errorf("after 启动整改 the counts are %v", p.Statuses)
		}
		if p := list(ledger.StatusNotStarted); p.Total != 0 || len(p.Items) != 0 {
			t.Errorf("after 启动整改 未启动 lists %d (total %d)", len(p.Items), p.Total)
		}
		newFindingIn(t, db, insp.ID, "2", tiantai, fupin.NewDate(2025, 9, 30))
		if p := list("open"); p.Total != 2 || p.Buckets[ledger.BucketLater] != 1 {
			t.Errorf("after a new finding: total %d, buckets %v", p.Total, p.Buckets)
		}
		// Two days later finding 1 is overdue, with no write in between.
		db.Now = func() time.Time { return time.Date(2025, 6, 18, 2, 0, 0, 0, time.UTC) }
		if p := list("open"); p.Buckets[ledger.BucketOverdue] != 1 || p.Buckets[ledger.BucketWithin10] != 0 {
			t.Errorf("two days later the buckets are %v", p.Buckets)
		}
		// A change by any path (here raw SQL, which no store code marks as
		// a change) moves the township's memoised counts: the ledger's own
		// triggers advance its token.
		if err := db.Exec(`UPDATE ledger_findings SET status = 'closed' WHERE number = '2'`); err != nil {
			t.Fatal(err)
		}
		if p := list("open"); p.Total != 1 || p.Statuses[ledger.StatusClosed] != 1 || p.Buckets[ledger.BucketLater] != 0 {
			t.Errorf("after a finding closed behind the store's back: total %d, statuses %v, buckets %v", p.Total, p.Statuses, p.Buckets)
		}
	})
}

// TestLedgerTotalsFromCounts: the list's total for every status and
// bucket filter, derived from the memoised per-status-and-bucket counts,
// is the number of rows the filter's SQL returns; a village's counts and
// totals are its own.
func TestLedgerTotalsFromCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		insp := newInspection(t, db, "inspection", nil)
		if err := db.SeedFindings(ctx, insp.ID, []string{tiantai, wenchang, tiantai}, 180); err != nil {
			t.Fatal(err)
		}
		statuses := []string{"", "open"}
		for _, s := range ledger.Statuses.Items {
			statuses = append(statuses, s.Code)
		}
		buckets := []string{""}
		for _, b := range ledger.Buckets.Items {
			buckets = append(buckets, b.Code)
		}
		for _, area := range []string{pingan, wenchang} {
			sum := 0
			for _, s := range statuses {
				for _, b := range buckets {
					p, err := db.Findings(ctx, admin, sqlstore.FindingFilter{Area: area, Status: s, Bucket: b, Limit: 500})
					if err != nil {
						t.Fatal(err)
					}
					if p.Total != len(p.Items) {
						t.Errorf("%s status %q bucket %q: total %d, %d rows", area, s, b, p.Total, len(p.Items))
					}
					if s == "open" && b != "" {
						sum += p.Total
						if p.Buckets[b] != p.Total {
							t.Errorf("%s bucket %s counted %d, lists %d", area, b, p.Buckets[b], p.Total)
						}
					}
				}
			}
			all, _ := db.Findings(ctx, admin, sqlstore.FindingFilter{Area: area, Status: "open"})
			if want := map[string]int{pingan: 144, wenchang: 48}[area]; all.Total != want || sum != want {
				t.Errorf("%s: %d open findings, %d in buckets; want %d", area, all.Total, sum, want)
			}
		}
	})
}
