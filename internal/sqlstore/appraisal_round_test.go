package sqlstore_test

import (
	"testing"

	"fupin/internal/appraisal"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// TestRoundsNeverRepeatAndResultsGiveRates: three rounds over two villages
// of 4 脱贫户 and 2 other households each; the third runs short. Results
// entered per household give the rates, and a problem goes straight into
// the rectification ledger.
func TestRoundsNeverRepeatAndResultsGiveRates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinLedger(db)
		for v, village := range []string{tiantai, wenchang} {
			for i := range 6 {
				h := family(t, village, 400+100*v+10*i)
				if i >= 4 {
					h.Type, h.PovertyAttr, h.IdentifiedOn, h.ExitedOn = "ordinary", "", fupin.Date{}, fupin.Date{}
				}
				if _, err := db.CreateHousehold(ctx, admin, h); err != nil {
					t.Fatal(err)
				}
			}
		}
		rule := appraisal.SampleRule{Villages: 2, Registered: 2, Others: 1, Seed: 42}
		seen := map[int64]bool{}
		var first *appraisal.Round
		for round := range 3 {
			rule.Seed = uint64(40 + round)
			r, err := db.CreateRound(ctx, admin, appraisal.Round{AreaCode: pingan, Year: 2025, Rule: rule})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int]int{0: 6, 1: 6, 2: 0}[round]
			if r.Households != want || (round == 2) != (len(r.Shortfalls) > 0) {
				t.Fatalf("round %d: %+v", round, r)
			}
			sheet, err := db.RoundSheet(ctx, admin, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sheet {
				if seen[s.HouseholdID] {
					t.Fatalf("household %d drawn twice", s.HouseholdID)
				}
				seen[s.HouseholdID] = true
				if s.HeadIDNumber == "" || s.VillageName == "" {
					t.Fatalf("sheet row %+v", s)
				}
			}
			if round == 0 {
				first = r
			}
		}
		sheet, _ := db.RoundSheet(ctx, admin, first.ID)
		var exPoor, other []int64
		for _, s := range sheet {
			if s.Kind == appraisal.KindExPoor {
				exPoor = append(exPoor, s.HouseholdID)
			} else {
				other = append(other, s.HouseholdID)
			}
		}
		if len(exPoor) != 4 || len(other) != 2 {
			t.Fatalf("kinds: %v %v", exPoor, other)
		}
		if _, err := db.RecordResult(ctx, admin, first.ID, other[0], sqlstore.ResultIn{Result: appraisal.Result{WrongExit: true, Note: "x"}}); code(err) != fupin.EInvalid {
			t.Fatalf("wrong exit of an ordinary household: %v", err)
		}
		insp := newInspection(t, db, "assessment", nil)
		f := &ledger.Finding{InspectionID: insp.ID, Number: "抽查-1", Category: "income", Description: "收入核算有误",
			LeadUnit: "乡农业服务中心", Kind: ledger.KindDeadline, Deadline: fupin.NewDate(2025, 7, 31)}
		row, err := db.RecordResult(ctx, admin, first.ID, exPoor[0], sqlstore.ResultIn{
			Result: appraisal.Result{WrongExit: true, WrongInclusion: true, Note: "人均纯收入低于标准"}, Finding: f})
		if err != nil {
			t.Fatal(err)
		}
		if row.FindingID == nil || row.Result == nil || !row.Result.WrongExit {
			t.Fatalf("recorded %+v", row)
		}
		fd, err := db.Finding(ctx, admin, *row.FindingID)
		if err != nil || fd.Households != 1 || fd.AreaCode != row.VillageCode {
			t.Fatalf("finding %v %+v", err, fd)
		}
		if _, err := db.RecordResult(ctx, admin, first.ID, exPoor[0], sqlstore.ResultIn{Result: appraisal.Result{Problem: true, Note: "再次"}, Finding: f}); code(err) != fupin.EConflict {
			t.Fatalf("second finding for one household: %v", err)
		}
		for _, id := range exPoor[1:] {
			if _, err := db.RecordResult(ctx, admin, first.ID, id, sqlstore.ResultIn{}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RecordResult(ctx, admin, first.ID, other[0], sqlstore.ResultIn{Result: appraisal.Result{Missed: true, Note: "符合监测条件未纳入"}}); err != nil {
			t.Fatal(err)
		}
		rr, err := db.RoundRates(ctx, admin, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := appraisal.Counts{ExitedSampled: 4, WrongExits: 1, RegisteredSampled: 4, WrongInclusions: 1, OthersSampled: 1, Missed: 1}
		if rr.Counts != want {
			t.Fatalf("counts %+v, want %+v", rr.Counts, want)
		}
		if *rr.Rates[0].Value != 0.25 || rr.Outcomes[0].Status != "fail" {
			t.Fatalf("wrong-exit rate %+v %+v", rr.Rates[0], rr.Outcomes[0])
		}
		// A township threshold of 30 % for 2025 makes 25 % pass; one for
		// 2026 does not apply yet.
		max30, max10 := 0.3, 0.1
		for _, r := range []appraisal.ThresholdRow{
			{Area: pingan, Year: 2025, Threshold: appraisal.Threshold{Rate: appraisal.RateWrongExit, Max: &max30, Source: "乡试点"}},
			{Area: pingan, Year: 2026, Threshold: appraisal.Threshold{Rate: appraisal.RateWrongExit, Max: &max10, Source: "乡 2026"}},
		} {
			if err := db.SetThreshold(ctx, admin, r); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetThreshold(ctx, admin, appraisal.ThresholdRow{Area: pingan, Year: 2025,
			Threshold: appraisal.Threshold{Rate: appraisal.RateApproval, Max: &max10, Source: "x"}}); code(err) != fupin.EInvalid {
			t.Fatalf("approval with a maximum: %v", err)
		}
		if err := db.SetThreshold(ctx, fupin.Actor{Name: "cun", Areas: []string{tiantai}}, appraisal.ThresholdRow{Area: pingan, Year: 2025,
			Threshold: appraisal.Threshold{Rate: appraisal.RateMissed, Max: &max10, Source: "x"}}); code(err) != fupin.EForbidden {
			t.Fatalf("village sets the township threshold: %v", err)
		}
		rr, _ = db.RoundRates(ctx, admin, first.ID)
		if o := rr.Outcomes[0]; o.Status != "pass" || o.Threshold.Source != "乡试点" {
			t.Fatalf("with the township threshold: %+v", o)
		}
		village := fupin.Actor{Name: "cun", Areas: []string{tiantai}}
		if _, err := db.Round(ctx, village, first.ID); code(err) != fupin.ENotFound {
			t.Fatalf("village reads the township round: %v", err)
		}
	})
}
