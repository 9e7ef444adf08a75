package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestVisitRaisesCase is 干部排查: a visit that raises risks opens a case at
// 入户核查 for the household in the same transaction; a second raise answers
// the open case; bad risk types and callers outside the area write nothing.
func TestVisitRaisesCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 2)
		hid := w.households[tiantai][0]
		visit := func(actor fupin.Actor, risks ...string) (*aid.Visit, error) {
			return db.RecordVisit(ctx, actor, hid, aid.Visit{CadreID: w.secretary[tiantai].ID, VisitedOn: fupin.NewDate(2025, 6, 10),
				Kind: "home", Findings: "户主住院，家庭医疗支出大", RaiseRisks: risks})
		}
		v, err := visit(villageActor, "illness", "spending")
		if err != nil || v.CaseID == nil {
			t.Fatalf("visit raising risks: %+v %v", v, err)
		}
		c, err := db.MonitorCase(ctx, villageActor, *v.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		if c.HouseholdID != hid || c.Path != "cadre" || c.Stage != "home_check" || strings.Join(c.Risks, ",") != "illness,spending" ||
			!strings.Contains(c.Facts.Note, fmt.Sprintf("走访记录 #%d", v.ID)) || c.CreatedBy != villageActor.Name {
			t.Errorf("case from the visit: %+v", c)
		}
		again, err := visit(villageActor, "illness")
		if err != nil || again.CaseID == nil || *again.CaseID != *v.CaseID {
			t.Errorf("second raise: %+v %v, want the open case %d", again, err, *v.CaseID)
		}
		if _, err := visit(villageActor, "no_such_risk"); code(err) != fupin.EInvalid {
			t.Errorf("unknown risk type: %v", err)
		}
		if _, err := visit(villageActor, "illness", "disability", "education", "disaster", "accident", "other"); code(err) != fupin.EInvalid {
			t.Errorf("six risk types: %v", err)
		}
		if _, err := visit(wenchangActor, "illness"); code(err) != fupin.ENotFound {
			t.Errorf("visit from another village: %v", err)
		}
		page, err := db.MonitorCases(ctx, admin, sqlstore.CaseFilter{Area: tiantai, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range page.Items {
			if it.HouseholdID == hid {
				n++
			}
		}
		acts, _ := db.AuditActionCounts(ctx)
		if n != 1 || acts["monitor.case.open"] != 1 || acts["aid.visit.create"] != 2 {
			t.Errorf("%d cases for the household, audit %v; want one case and two visits", n, acts)
		}
	})
}
