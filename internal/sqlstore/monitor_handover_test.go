package sqlstore_test

import (
	"strings"
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestHandoverCarriesMeasures checks that a rotation's handover list names
// the running 一户一策 measures of the households it hands over, and not
// the ended ones.
func TestHandoverCarriesMeasures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4)
		hid := w.households[tiantai][0]
		v, err := db.RecordVisit(ctx, admin, hid, aid.Visit{CadreID: w.secretary[tiantai].ID, VisitedOn: fupin.NewDate(2025, 6, 10),
			Kind: "home", Findings: "户主住院", RaiseRisks: []string{"illness"}})
		if err != nil || v.CaseID == nil {
			t.Fatalf("visit: %+v %v", v, err)
		}
		c, err := db.MonitorCase(ctx, admin, *v.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []sqlstore.MonitorMeasure{
			{Category: "health", Content: "大病专项救治", Responsible: "王帮扶", StartsOn: fupin.NewDate(2025, 6, 11), Status: "active"},
			{Category: "employment", Content: "公益岗位（已结束）", Responsible: "李村官", StartsOn: fupin.NewDate(2025, 6, 11), Status: "done"},
		} {
			if c, err = db.AddMeasure(ctx, admin, c.ID, c.Version, m); err != nil {
				t.Fatal(err)
			}
		}
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "第一书记轮换",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range r.Entries {
			if e.Kind == "case" && e.Auto {
				got = append(got, e.Title)
				if e.RefID == nil || *e.RefID != c.ID || e.ItemID == nil || *e.ItemID != r.Items[0].ID {
					t.Errorf("entry %+v: want case %d under item %d", e, c.ID, r.Items[0].ID)
				}
			}
		}
		if len(got) != 1 || !strings.Contains(got[0], "大病专项救治") || !strings.Contains(got[0], "健康") {
			t.Errorf("measure entries of the handover list: %q", got)
		}
	})
}
