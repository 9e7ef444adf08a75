package sqlstore_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

func ptr[T any](v T) *T { return &v }

// cleanFamily passes every core item when its income year is recorded.
func cleanFamily(t *testing.T, base int) *fupin.Household {
	t.Helper()
	h := family(t, tiantai, base)
	h.Basics = fupin.Basics{FoodSecure: ptr(true), ClothingSecure: ptr(true)}
	h.Housing = fupin.Housing{Grade: "B"}
	h.Water = fupin.Water{Supply: "centralized", LitresPerDay: ptr(60.0), QualityOK: ptr(true), TapAtHome: ptr(true), DaysWithoutSupply: ptr(0)}
	for i := range h.Members {
		h.Members[i].MedicalInsurance = "resident"
	}
	return h
}

func TestVerdictsFollowChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC) }
		h := cleanFamily(t, 100)
		h.Members[2].MedicalInsurance = "none"
		h, err := db.CreateHousehold(ctx, admin, h)
		if err != nil {
			t.Fatal(err)
		}
		probs, err := db.AssessmentProblems(ctx, admin, sqlstore.ProblemFilter{Area: "500236266", Year: 2025, Item: "medical"})
		if err != nil || probs.Total != 1 || probs.Items[0].Reasons["medical"] == "" {
			t.Fatalf("problems = %+v, %v", probs, err)
		}
		sum, err := db.AssessmentSummary(ctx, admin, "500236266", 2025)
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.Total.Items["medical"]; got.Fail != 1 || sum.Total.Households != 1 || len(sum.Children) != 1 || sum.Children[0].Code != tiantai {
			t.Fatalf("summary = %+v", sum)
		}
		// Insuring the child clears the problem and keeps the old verdict.
		m := h.Members[2]
		m.MedicalInsurance = "resident"
		if _, err := db.UpdateMember(ctx, admin, h.ID, m.ID, sqlstore.MemberChange{Version: h.Version, Member: m}); err != nil {
			t.Fatal(err)
		}
		probs, _ = db.AssessmentProblems(ctx, admin, sqlstore.ProblemFilter{Area: "500236266", Year: 2025, Item: "medical"})
		if probs.Total != 0 {
			t.Errorf("after insuring: %d medical problems", probs.Total)
		}
		a, err := db.AssessHousehold(ctx, admin, h.ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := a.Verdict.Result(criteria.ItemMedical)
		if r.Status != criteria.Pass || r.Reason == "" || len(a.History) != 1 || a.History[0].Problems != 1 {
			t.Errorf("assessment: medical %s %q, history %+v", r.Status, r.Reason, a.History)
		}
	})
}

func TestParameterChangeRecomputes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC) }
		h, err := db.CreateHousehold(ctx, admin, cleanFamily(t, 110))
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.AssessmentSummary(ctx, admin, "500236", 2025)
		if before.Total.Items["water"].Pass != 1 {
			t.Fatalf("water before = %+v", before.Total.Items["water"])
		}
		err = db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: "500236266", Year: 2024, Key: criteria.KeyWaterMinLPD, Value: "70"})
		if err != nil {
			t.Fatal(err)
		}
		bad := db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: "500236266", Year: 2024, Key: criteria.KeyWaterMinLPD, Value: "-5"})
		if fupin.ErrorCode(bad) != fupin.EInvalid {
			t.Errorf("negative litres: %v, want invalid", bad)
		}
		n, err := db.ProcessRecomputeQueue(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil || n != 1 {
			t.Fatalf("queue: %d, %v", n, err)
		}
		after, _ := db.AssessmentSummary(ctx, admin, "500236", 2025)
		if after.Total.Items["water"].Fail != 1 {
			t.Fatalf("water after raising the line to 70 L = %+v", after.Total.Items["water"])
		}
		a, _ := db.AssessHousehold(ctx, admin, h.ID, 2025)
		r, _ := a.Verdict.Result(criteria.ItemWater)
		found := false
		for _, p := range r.Params {
			found = found || (p.Key == criteria.KeyWaterMinLPD && p.Value == "70" && p.Area == "500236266" && p.Year == 2024)
		}
		if !found || len(a.History) != 1 {
			t.Errorf("water params %+v, history %d", r.Params, len(a.History))
		}
	})
}

func TestBatchAssess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test", demoHouseholds(300)); err != nil {
			t.Fatal(err)
		}
		seen := 0
		st, err := db.Assess(ctx, admin, "500236266", 2025, func(h *fupin.Household, v *criteria.Verdict) error {
			seen++
			if len(h.Members) == 0 || v.Year != 2025 {
				t.Errorf("household %d: %d members, year %d", h.ID, len(h.Members), v.Year)
			}
			return nil
		})
		if err != nil || st.Households != 300 || seen != 300 {
			t.Fatalf("assess: %+v seen %d, %v", st, seen, err)
		}
		sum, _ := db.AssessmentSummary(ctx, admin, "500236266", 2025)
		if sum.Total.Households != 300 || len(sum.Children) != 12 {
			t.Fatalf("summary: %d households in %d villages", sum.Total.Households, len(sum.Children))
		}
		probs, _ := db.AssessmentProblems(ctx, admin, sqlstore.ProblemFilter{Area: "500236266", Year: 2025, Limit: 500})
		if probs.Total != sum.Total.WithProblem {
			t.Errorf("problem list %d, summary says %d", probs.Total, sum.Total.WithProblem)
		}
		again, _ := db.Assess(ctx, admin, "500236266", 2025, nil)
		if again.Changed != 0 {
			t.Errorf("second run changed %d verdicts", again.Changed)
		}
	})
}
