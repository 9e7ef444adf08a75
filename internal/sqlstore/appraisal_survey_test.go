package sqlstore_test

import (
	"testing"

	"fupin/internal/appraisal"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestSurveyResponsesAndApproval: a round of 6 households in two villages
// gets the standard questionnaire; answers are checked against it, kept per
// household (a correction replaces them), tallied by village and team with
// small groups withheld, limited to the caller's villages; the questions
// are frozen once answered.
func TestSurveyResponsesAndApproval(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for v, village := range []string{tiantai, wenchang} {
			for i := range 4 {
				if _, err := db.CreateHousehold(ctx, admin, family(t, village, 600+100*v+10*i)); err != nil {
					t.Fatal(err)
				}
			}
		}
		r, err := db.CreateRound(ctx, admin, appraisal.Round{AreaCode: pingan, Year: 2025,
			Rule: appraisal.SampleRule{Villages: 2, Registered: 3, Others: 0, Seed: 5}})
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := db.RoundSheet(ctx, admin, r.ID)
		if err != nil || len(sheet) != 6 {
			t.Fatalf("sheet %d rows, %v", len(sheet), err)
		}
		if _, err := db.RecordResponse(ctx, admin, r.ID, sheet[0].HouseholdID, map[string]string{"overall": "approve"}); code(err) != fupin.ENotFound {
			t.Fatalf("answer before a survey: %v", err)
		}
		if _, err := db.PutSurvey(ctx, admin, r.ID, appraisal.Survey{Title: "", Questions: nil}); code(err) != fupin.EInvalid {
			t.Fatalf("empty survey: %v", err)
		}
		s, err := db.PutSurvey(ctx, admin, r.ID, appraisal.Survey{Title: "2025 年认可度调查", Questions: appraisal.DefaultQuestions()})
		if err != nil || len(s.Questions) != 3 || s.Responses != 0 {
			t.Fatalf("survey %+v, %v", s, err)
		}
		if _, err := db.RecordResponse(ctx, admin, r.ID, sheet[0].HouseholdID, map[string]string{"overall": "5"}); code(err) != fupin.EInvalid {
			t.Fatalf("five-point answer on the 认可 scale: %v", err)
		}
		// Village tiantai: approve, approve, disapprove (after a correction);
		// wenchang: one household answers.
		answers := []string{"approve", "approve", "approve", "basic", "", ""}
		for i, row := range sheet {
			if answers[i] == "" {
				continue
			}
			if _, err := db.RecordResponse(ctx, admin, r.ID, row.HouseholdID, map[string]string{"overall": answers[i], "team": answers[i]}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.RecordResponse(ctx, admin, r.ID, sheet[2].HouseholdID, map[string]string{"overall": "disapprove", "team": "approve"})
		if err != nil || got.Answers["overall"] != "disapprove" || got.RecordedBy != admin.Name {
			t.Fatalf("correction %+v, %v", got, err)
		}
		if _, err := db.PutSurvey(ctx, admin, r.ID, appraisal.Survey{Title: "改", Questions: appraisal.DefaultQuestions()}); code(err) != fupin.EConflict {
			t.Fatalf("survey changed after answers: %v", err)
		}
		a, err := db.SurveyApproval(ctx, admin, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Sheet rows are ordered by village: rows 0–2 tiantai, 3–5 wenchang.
		if a.Overall.X != 3 || a.Overall.N != 4 || a.Responses != 4 {
			t.Fatalf("overall %d/%d of %d", a.Overall.X, a.Overall.N, a.Responses)
		}
		if len(a.Villages) != 1 || a.Villages[0].Key != tiantai || a.Villages[0].Rate.X != 2 || a.Villages[0].Rate.N != 3 ||
			len(a.Teams) != 1 || a.Teams[0].Rate.X != 3 || a.Withheld != 2 {
			t.Fatalf("tallies %+v", a)
		}
		// A township user of another area sees no round; the round's
		// responses are limited to the caller's villages.
		wen := fupin.Actor{Name: "wen", Areas: []string{pingan}}
		rs, err := db.SurveyResponses(ctx, wen, r.ID)
		if err != nil || len(rs) != 4 {
			t.Fatalf("township responses %d, %v", len(rs), err)
		}
		village := fupin.Actor{Name: "tt", Areas: []string{tiantai}}
		if _, err := db.SurveyApproval(ctx, village, r.ID); code(err) != fupin.ENotFound {
			t.Fatalf("village user reads the township round's tallies: %v", err)
		}
		if _, err := db.RecordResponse(ctx, admin, r.ID, 999999, map[string]string{"overall": "approve"}); code(err) != fupin.ENotFound {
			t.Fatalf("household not in the round: %v", err)
		}
	})
}
