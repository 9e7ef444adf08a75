package sqlstore_test

import (
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/practice"
	"fupin/internal/sqlstore"
)

// TestPracticeFromClosedFinding: a finding closed through the 销号 chain
// gives a draft with its description, measures and evidence and its
// households as figures naming it; the case proposed from it keeps the
// source. An open finding is refused for both, and writes nothing. The
// tenth document is the last one a case takes.
func TestPracticeFromClosedFinding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 30))
		if err != nil {
			t.Fatal(err)
		}
		insp := newInspection(t, db, "inspection", nil)
		open := newFindingIn(t, db, insp.ID, "1", tiantai, fupin.NewDate(2025, 7, 31), h.ID)
		f := newFindingIn(t, db, insp.ID, "2", tiantai, fupin.NewDate(2025, 7, 31), h.ID)
		for _, s := range []struct{ who, role, kind, text string }{
			{"cun", ledger.RoleVillage, ledger.ActStart, ""},
			{"cun", ledger.RoleVillage, ledger.ActApply, "已建蓄水池，附照片"},
			{"qiantou", ledger.RoleTownship, ledger.ActReview, ""},
			{"zhihuibu", ledger.RoleTownship, ledger.ActClose, "同意销号"},
		} {
			if f, err = actFinding(t, db, s.who, s.role, f, s.kind, s.text); err != nil {
				t.Fatalf("%s: %v", s.kind, err)
			}
		}
		township := fupin.Actor{Name: "pingan", Areas: []string{pingan}}
		if _, err := db.PracticeDraft(ctx, township, "finding", open.ID); code(err) != fupin.EConflict {
			t.Errorf("draft from an open finding: %v", err)
		}
		if _, err := db.PracticeDraft(ctx, township, "project", f.ID); code(err) != fupin.EInvalid {
			t.Errorf("draft from a project: %v", err)
		}
		d, err := db.PracticeDraft(ctx, township, "finding", f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Problem != f.Description || d.Results != "已建蓄水池，附照片" || d.AreaCode != tiantai || d.Themes[0] != "rectification" ||
			len(d.Figures) != 2 || d.Figures[0].Value != 1 || d.Figures[0].Source != "finding" || d.Figures[0].SourceID != f.ID {
			t.Fatalf("draft %+v", d)
		}
		d.Actions = "逐户排查水源，建设蓄水池"
		p, err := db.CreatePractice(ctx, township, "township", *d)
		if err != nil {
			t.Fatal(err)
		}
		if p.Source != "finding" || p.SourceID != f.ID || p.Status != practice.StatusProposed || p.CreatedBy != "pingan" || p.Version != 1 {
			t.Errorf("created %+v", p)
		}
		bad := *d
		bad.SourceID = open.ID
		if _, err := db.CreatePractice(ctx, township, "township", bad); code(err) != fupin.EConflict {
			t.Errorf("case from an open finding: %v", err)
		}
		if page, err := db.ListPractices(ctx, admin, sqlstore.PracticeFilter{}); err != nil || page.Total != 1 {
			t.Errorf("after the refusal: %d cases, %v", page.Total, err)
		}
		for i := 0; i < practice.MaxDocuments; i++ {
			if _, err := db.AddPracticeDocument(ctx, township, "township", p.ID, "材料.pdf", authorizationPDF); err != nil {
				t.Fatalf("document %d: %v", i+1, err)
			}
		}
		if _, err := db.AddPracticeDocument(ctx, township, "township", p.ID, "多余.pdf", authorizationPDF); code(err) != fupin.EConflict {
			t.Errorf("document %d: %v", practice.MaxDocuments+1, err)
		}
		got, err := db.Practice(ctx, township, p.ID)
		if err != nil || len(got.Documents) != practice.MaxDocuments || got.Version != 1+practice.MaxDocuments {
			t.Errorf("case after the documents: %d documents, version %d, %v", len(got.Documents), got.Version, err)
		}
	})
}
