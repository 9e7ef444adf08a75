package sqlstore_test

import (
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
