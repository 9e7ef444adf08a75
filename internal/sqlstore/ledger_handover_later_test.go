package sqlstore_test

import (
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// TestLedgerHandoverFollowsLaterDuties: a rotation planned and confirmed
// before the outgoing cadre is named 责任人 of a finding and 责任领导 of a
// task gets them on its handover list (and its confirmations withdrawn,
// since the list changed); once the finding is closed and the task's
// milestones are done they leave the list again; a finding of another
// cadre leaves the list and the confirmations alone.
func TestLedgerHandoverFollowsLaterDuties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 2)
		outgoing := w.secretary[tiantai]
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "第一书记轮换",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		r = planConfirmAll(t, db, r)
		lines := func() (map[string]bool, bool) {
			t.Helper()
			got, err := db.Rotation(ctx, admin, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, e := range got.Entries {
				if e.Kind == "ledger" && e.Auto {
					out[e.Title] = true
				}
			}
			return out, got.Ready
		}
		if got, ready := lines(); len(got) != 0 || !ready {
			t.Fatalf("before any duty: lines %v, ready %v", got, ready)
		}
		insp := newInspection(t, db, "inspection", nil)
		other := w.secretary[wenchang].ID
		if _, err := db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: insp.ID, Number: "9", Category: "water", Description: "别人的问题",
			AreaCode: wenchang, LeadUnit: "乡水利站", PersonID: &other, Kind: ledger.KindDeadline, Deadline: fupin.NewDate(2030, 6, 30)}, nil); err != nil {
			t.Fatal(err)
		}
		if got, ready := lines(); len(got) != 0 || !ready {
			t.Fatalf("after another cadre's finding: lines %v, ready %v", got, ready)
		}
		f, err := db.CreateFinding(ctx, admin, ledger.Finding{InspectionID: insp.ID, Number: "1", Category: "water", Description: "饮水不稳定",
			AreaCode: tiantai, LeadUnit: "乡水利站", PersonID: &outgoing.ID, Kind: ledger.KindDeadline, Deadline: fupin.NewDate(2030, 6, 30)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		task, err := db.CreateTask(ctx, admin, ledger.Task{Title: "产业路硬化", AreaCode: tiantai, LeadUnit: "乡农业服务中心", LeaderID: &outgoing.ID,
			Deadline: fupin.NewDate(2030, 12, 31), Milestones: []ledger.Milestone{{Title: "节点", DueOn: fupin.NewDate(2030, 6, 30)}}})
		if err != nil {
			t.Fatal(err)
		}
		if got, ready := lines(); !got["整改问题：1 饮水不稳定"] || !got["重点工作：产业路硬化"] || len(got) != 2 || ready {
			t.Fatalf("after his finding and task: lines %v, ready %v (want both, confirmations withdrawn)", got, ready)
		}
		for _, s := range []struct{ who, role, kind string }{{"v1", ledger.RoleVillage, ledger.ActStart}, {"v1", ledger.RoleVillage, ledger.ActApply},
			{"t2", ledger.RoleTownship, ledger.ActReview}, {"t3", ledger.RoleTownship, ledger.ActClose}} {
			if f, err = actFinding(t, db, s.who, s.role, f, s.kind, "已整改"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.CompleteMilestone(ctx, admin, task.ID, task.Milestones[0].ID, sqlstore.MilestoneDone{Note: "完成", Version: task.Version}); err != nil {
			t.Fatal(err)
		}
		if got, _ := lines(); len(got) != 0 {
			t.Errorf("after the finding closed and the task done: lines %v", got)
		}
	})
}
