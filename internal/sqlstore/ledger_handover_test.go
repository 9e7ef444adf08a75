package sqlstore_test

import (
	"fmt"
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// TestRotationHandsOverLedgerDuties: a rotation's list names the outgoing
// first secretary's open findings and unfinished key tasks in the posting's
// village, and completing it makes the incoming cadre answer for them in
// the same transaction; closed findings, finished tasks and duties in other
// villages stay.
func TestRotationHandsOverLedgerDuties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4)
		outgoing, incoming := w.secretary[tiantai].Name, w.newcomer.Name
		insp := newInspection(t, db, "inspection", nil)
		finding := func(number, area string) *sqlstore.FindingDetail {
			t.Helper()
			f, err := db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: insp.ID, Number: number, Category: "water", Description: "饮水不稳定",
				AreaCode: area, LeadUnit: "乡水利站", Person: outgoing, Kind: ledger.KindDeadline, Deadline: fupin.NewDate(2030, 6, 30)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		open, away, closed := finding("1", tiantai), finding("2", wenchang), finding("3", tiantai)
		steps := []struct {
			who, role, kind string
		}{{"v1", ledger.RoleVillage, ledger.ActStart}, {"v1", ledger.RoleVillage, ledger.ActApply}, {"t2", ledger.RoleTownship, ledger.ActReview}, {"t3", ledger.RoleTownship, ledger.ActClose}}
		for _, s := range steps {
			var err error
			if closed, err = actFinding(t, db, s.who, s.role, closed, s.kind, "已整改"); err != nil {
				t.Fatal(err)
			}
		}
		task := func(title string, done bool) *ledger.Task {
			t.Helper()
			tk, err := db.CreateTask(ctx, admin, ledger.Task{Title: title, AreaCode: tiantai, LeadUnit: "乡农业服务中心", Leader: outgoing,
				Deadline: fupin.NewDate(2030, 12, 31), Milestones: []ledger.Milestone{{Title: "节点", DueOn: fupin.NewDate(2030, 6, 30)}}})
			if err != nil {
				t.Fatal(err)
			}
			if done {
				if tk, err = db.CompleteMilestone(ctx, admin, tk.ID, tk.Milestones[0].ID, sqlstore.MilestoneDone{Note: "完成", Version: tk.Version}); err != nil {
					t.Fatal(err)
				}
			}
			return tk
		}
		unfinished, finished := task("产业路硬化", false), task("饮水工程", true)

		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "第一书记轮换",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		ledgerEntries := func(es []aid.HandoverEntry) map[string]string {
			out := map[string]string{}
			for _, e := range es {
				if e.Kind == "ledger" && e.Auto {
					if e.RefID != nil && *e.RefID != open.ID {
						t.Errorf("ledger line %q refers to %d", e.Title, *e.RefID)
					}
					out[e.Title] = e.Detail
				}
			}
			return out
		}
		got := ledgerEntries(r.Entries)
		want := "责任人 " + outgoing + " → " + incoming
		if len(got) != 2 || got["整改问题：1 饮水不稳定"] != want || got["重点工作：产业路硬化"] != "责任领导 "+outgoing+" → "+incoming {
			t.Fatalf("planned list's ledger lines: %v", got)
		}
		r = planConfirmAll(t, db, r)
		done, err := db.CompleteRotation(ctx, admin, r.ID, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if got := ledgerEntries(done.Entries); len(got) != 2 {
			t.Errorf("kept list's ledger lines: %v", got)
		}
		person := func(id int64) *sqlstore.FindingDetail {
			f, err := db.Finding(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		if f := person(open.ID); f.Person != incoming || f.Version != open.Version+1 || f.Steps[len(f.Steps)-1].Kind != "handover" {
			t.Errorf("open finding after the rotation: person %q version %d steps %+v", f.Person, f.Version, f.Steps)
		}
		for _, f := range []*sqlstore.FindingDetail{away, closed} {
			if got := person(f.ID); got.Person != outgoing {
				t.Errorf("finding %s moved to %q", f.Number, got.Person)
			}
		}
		for _, c := range []struct {
			task *ledger.Task
			want string
		}{{unfinished, incoming}, {finished, outgoing}} {
			got, err := db.Task(ctx, admin, c.task.ID)
			if err != nil || got.Leader != c.want {
				t.Errorf("task %s leader %q, want %q (%v)", c.task.Title, got.Leader, c.want, err)
			}
		}
	})
}

// TestLedgerSameNameCadres: two cadres named 张伟, helpers in 天台村 and
// 文昌村. Findings and tasks name them by cadre id, or by the name alone
// (linked to the one 张伟 posted where the finding is; left a name where
// both are); the 责任清单 counts each his own; a rotation of the one in
// 天台村 hands over his duties only, not the other's finding in his
// village; and migration 0025 links stored rows whose name one cadre has.
func TestLedgerSameNameCadres(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		a, b := newCadre(t, db, "张伟", 50), newCadre(t, db, "张伟", 51)
		postA := post(t, db, a, "helper", tiantai, fupin.NewDate(2024, 1, 1))
		post(t, db, b, "helper", wenchang, fupin.NewDate(2024, 1, 1))
		insp := newInspection(t, db, "inspection", nil)
		finding := func(number, area string, person *int64) *sqlstore.FindingDetail {
			t.Helper()
			f, err := db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: insp.ID, Number: number, Category: "water", Description: "饮水不稳定",
				AreaCode: area, LeadUnit: "乡水利站", Person: "张伟", PersonID: person, Kind: ledger.KindDeadline, Deadline: fupin.NewDate(2030, 6, 30)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		fa, fb, fn, fw, fx := finding("1", tiantai, &a.ID), finding("2", tiantai, &b.ID), finding("3", tiantai, nil), finding("4", wenchang, nil), finding("5", pingan, nil)
		for _, c := range []struct {
			f    *sqlstore.FindingDetail
			want int64
		}{{fa, a.ID}, {fb, b.ID}, {fn, a.ID}, {fw, b.ID}, {fx, 0}} {
			if got := c.f.PersonID; (got == nil) != (c.want == 0) || got != nil && *got != c.want {
				t.Errorf("finding %s in %s linked to %v, want cadre %d", c.f.Number, c.f.AreaCode, got, c.want)
			}
		}
		// A cadre that does not exist, or one of another township that a
		// township account cannot see, is refused with the field named.
		outsider, err := db.CreateCadre(ctx, admin, aid.Cadre{Name: "外县干部", IDNumber: idNumber(t, "500103", "19800101", 60), AreaCode: "500236267"})
		if err != nil {
			t.Fatal(err)
		}
		town := fupin.Actor{Name: "平安乡", Areas: []string{pingan}}
		for _, c := range []struct {
			who fupin.Actor
			id  int64
		}{{admin, 987654}, {town, outsider.ID}} {
			_, err := db.CreateFinding(ctx, c.who, ledger.Finding{InspectionID: insp.ID, Number: "6", Category: "water", Description: "x",
				AreaCode: tiantai, LeadUnit: "乡水利站", PersonID: &c.id, Kind: ledger.KindDeadline, Deadline: fupin.NewDate(2030, 6, 30)}, nil)
			if fe, ok := err.(*fupin.Error); !ok || fe.Fields["responsible_cadre_id"] == "" {
				t.Errorf("%s naming cadre %d: %v, want the field named", c.who.Name, c.id, err)
			}
		}
		task, err := db.CreateTask(ctx, admin, ledger.Task{Title: "产业路硬化", AreaCode: tiantai, LeadUnit: "乡农业服务中心", Leader: "别名", LeaderID: &b.ID,
			Deadline: fupin.NewDate(2030, 12, 31), Milestones: []ledger.Milestone{{Title: "节点", DueOn: fupin.NewDate(2030, 6, 30)}}})
		if err != nil || task.Leader != "张伟" || task.LeaderID == nil || *task.LeaderID != b.ID {
			t.Fatalf("task led by cadre %d: %+v, %v", b.ID, task, err)
		}

		duty, err := db.Responsibility(ctx, admin, pingan)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64][2]int{}
		for _, p := range duty.People {
			if p.Name == "张伟" {
				got[p.CadreID] = [2]int{p.FindingsOpen, p.Tasks}
			}
		}
		// Finding 5 names 张伟 at the township, where both are posted: it
		// stays with the name, on a line of its own (cadre 0).
		if len(got) != 3 || got[a.ID] != [2]int{2, 0} || got[b.ID] != [2]int{2, 1} || got[0] != [2]int{1, 0} {
			t.Errorf("责任清单 of the two 张伟 (findings, tasks): %v; want %d: [2 0], %d: [2 1], 0 (the name only): [1 0]", got, a.ID, b.ID)
		}
		var posts []string
		for _, p := range duty.People {
			if p.CadreID == a.ID {
				posts = p.PostLabels
			}
		}
		if want := "帮扶责任人 · 天台村"; len(posts) != 1 || posts[0] != want {
			t.Errorf("posts of cadre %d: %q, want %q", a.ID, posts, want)
		}
		// One 张伟's findings, by his id.
		for _, c := range []struct {
			id   int64
			want []string
		}{{a.ID, []string{"1", "3"}}, {b.ID, []string{"2", "4"}}} {
			page, err := db.Findings(ctx, admin, sqlstore.FindingFilter{Area: pingan, CadreID: c.id})
			var got []string
			for _, f := range page.Items {
				got = append(got, f.Number)
			}
			if err != nil || page.Total != len(c.want) || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("findings of cadre %d: %v (total %d), %v; want %v", c.id, got, page.Total, err, c.want)
			}
		}

		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "帮扶责任人轮换",
			Items: []aid.RotationPlanItem{{PostingID: postA.ID, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		r = planConfirmAll(t, db, r)
		if _, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		holder := func(f *sqlstore.FindingDetail) (string, int64) {
			t.Helper()
			got, err := db.Finding(ctx, admin, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PersonID == nil {
				return got.Person, 0
			}
			return got.Person, *got.PersonID
		}
		for _, c := range []struct {
			f    *sqlstore.FindingDetail
			name string
			id   int64
		}{{fa, w.newcomer.Name, w.newcomer.ID}, {fn, w.newcomer.Name, w.newcomer.ID}, {fb, "张伟", b.ID}, {fw, "张伟", b.ID}, {fx, "张伟", 0}} {
			if name, id := holder(c.f); name != c.name || id != c.id {
				t.Errorf("finding %s after the rotation: %s (%d), want %s (%d)", c.f.Number, name, id, c.name, c.id)
			}
		}
		if got, err := db.Task(ctx, admin, task.ID); err != nil || got.Leader != "张伟" || *got.LeaderID != b.ID {
			t.Errorf("the other 张伟's task after the rotation: %+v, %v", got, err)
		}

		// The other 张伟's finding closed, then recurring at a 回头看: the
		// recurrence is his too (no 张伟 is posted in 天台村 any more).
		for _, st := range []struct{ who, role, kind string }{{"v1", ledger.RoleVillage, ledger.ActStart}, {"v1", ledger.RoleVillage, ledger.ActApply},
			{"t2", ledger.RoleTownship, ledger.ActReview}, {"t3", ledger.RoleTownship, ledger.ActClose}} {
			if fb, err = actFinding(t, db, st.who, st.role, fb, st.kind, "已整改"); err != nil {
				t.Fatal(err)
			}
		}
		re := newInspection(t, db, "recheck", &insp.ID)
		res, err := db.RecheckFinding(ctx, admin, ledger.RoleTownship, fb.ID, sqlstore.RecheckIn{InspectionID: re.ID, Recurred: true, Text: "反弹",
			Deadline: fupin.NewDate(2030, 6, 30)})
		if err != nil || res.Recurrence == nil || res.Recurrence.PersonID == nil || *res.Recurrence.PersonID != b.ID {
			t.Errorf("recurrence of the other 张伟's finding: %+v, %v", res, err)
		}

		// Migration 0025 over rows stored before the links: a name one
		// cadre has is linked, a shared name stays a name.
		for _, q := range []string{`UPDATE ledger_findings SET responsible_cadre_id = NULL`, `UPDATE ledger_tasks SET leader_cadre_id = NULL`,
			`DELETE FROM schema_migrations WHERE name = '0025_ledger_cadre_links.sql'`} {
			if err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("migrate = %d, %v; want 1", n, err)
		}
		for _, c := range []struct {
			f  *sqlstore.FindingDetail
			id int64
		}{{fa, w.newcomer.ID}, {fn, w.newcomer.ID}, {fb, 0}, {fx, 0}} {
			if _, id := holder(c.f); id != c.id {
				t.Errorf("finding %s after migration 0025: cadre %d, want %d", c.f.Number, id, c.id)
			}
		}
	})
}
