package sqlstore_test

import (
	"testing"
	"time"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestChangePosting covers a posting's successful changes: a new planned
// end, then ending it (after its pairings moved to another helper).
func TestChangePosting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		p := w.postings[tiantai]
		got, err := db.ChangePosting(ctx, admin, p.ID, aid.PostingChange{Version: p.Version, PlannedEndOn: fupin.NewDate(2026, 12, 31)})
		if err != nil {
			t.Fatalf("extend: %v", err)
		}
		if got.PlannedEndOn != fupin.NewDate(2026, 12, 31) || got.Version != p.Version+1 || !got.EndedOn.IsZero() {
			t.Errorf("extended posting = %+v", got)
		}
		ended, err := db.ChangePosting(ctx, admin, p.ID, aid.PostingChange{Version: got.Version, EndedOn: fupin.NewDate(2025, 6, 1), EndReason: "任期届满"})
		if err != nil {
			t.Fatalf("end: %v", err)
		}
		if ended.EndedOn != fupin.NewDate(2025, 6, 1) || ended.EndReason != "任期届满" || ended.PlannedEndOn != got.PlannedEndOn {
			t.Errorf("ended posting = %+v", ended)
		}
		active, err := db.ListPostings(ctx, admin, tiantai, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range active {
			if a.ID == p.ID {
				t.Errorf("ended posting %d still listed as active", p.ID)
			}
		}
		if _, err := db.ChangePosting(ctx, admin, p.ID, aid.PostingChange{Version: got.Version, PlannedEndOn: fupin.NewDate(2027, 1, 1)}); code(err) != fupin.EConflict {
			t.Errorf("stale version: %v, want conflict", err)
		}
	})
}

// TestEndPairingSuccess ends the pairing of a household that does not need
// a helper (an ordinary household), which the store allows.
func TestEndPairingSuccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		h := family(t, tiantai, 70)
		h.Type, h.PovertyAttr, h.IdentifiedOn, h.ExitedOn = "ordinary", "", fupin.Date{}, fupin.Date{}
		created, err := db.CreateHousehold(ctx, admin, h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PairHousehold(ctx, admin, created.ID, aid.PairingChange{CadreID: w.helper[tiantai].ID, StartedOn: fupin.NewDate(2025, 1, 1)}); err != nil {
			t.Fatalf("pair: %v", err)
		}
		if err := db.EndPairing(ctx, admin, created.ID, "  农户搬迁  "); err != nil {
			t.Fatalf("end pairing: %v", err)
		}
		ps, err := db.ListHouseholdPairings(ctx, admin, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].EndedOn != fupin.NewDate(2025, 6, 15) || ps[0].EndReason != "农户搬迁" {
			t.Errorf("pairings after ending = %+v", ps)
		}
		if err := db.EndPairing(ctx, admin, created.ID, "再次解除"); code(err) != fupin.ENotFound {
			t.Errorf("ending again: %v, want not_found", err)
		}
	})
}

// TestListCheckIns records check-ins and lists them by area, month and
// cadre.
func TestListCheckIns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		sec, helper := w.secretary[tiantai], w.secretary[wenchang]
		for _, c := range []aid.CheckIn{
			{CadreID: sec.ID, AreaCode: tiantai, Day: fupin.NewDate(2025, 6, 2)},
			{CadreID: sec.ID, AreaCode: tiantai, Day: fupin.NewDate(2025, 6, 3), Note: "入户走访"},
			{CadreID: sec.ID, AreaCode: tiantai, Day: fupin.NewDate(2025, 5, 30)},
			{CadreID: helper.ID, AreaCode: wenchang, Day: fupin.NewDate(2025, 6, 2)},
		} {
			if _, err := db.RecordCheckIn(ctx, admin, c); err != nil {
				t.Fatalf("check in %+v: %v", c, err)
			}
		}
		tests := []struct {
			name        string
			area, month string
			cadre       int64
			want        int
		}{
			{"township, month", pingan, "2025-06", 0, 3},
			{"village, month", tiantai, "2025-06", 0, 2},
			{"one cadre, another month", pingan, "2025-05", sec.ID, 1},
			{"other cadre", tiantai, "2025-06", helper.ID, 0},
		}
		for _, tt := range tests {
			got, err := db.ListCheckIns(ctx, admin, tt.area, tt.month, tt.cadre)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if len(got) != tt.want {
				t.Errorf("%s: %d check-ins, want %d: %+v", tt.name, len(got), tt.want, got)
			}
			for _, c := range got {
				if c.CadreName == "" || c.At.IsZero() {
					t.Errorf("%s: check-in without cadre name or time: %+v", tt.name, c)
				}
			}
		}
		village := fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}
		if got, err := db.ListCheckIns(ctx, village, pingan, "2025-06", 0); err != nil || len(got) != 1 {
			t.Errorf("a village sees its own check-ins only: %d, %v", len(got), err)
		}
		if _, err := db.ListCheckIns(ctx, admin, pingan, "2025-13", 0); code(err) != fupin.EInvalid {
			t.Errorf("bad month: %v, want invalid", err)
		}
	})
}

// TestUpdateUser resets a password and disables a user: the sign-in hash
// changes, the reset is recorded, and both changes end the sessions.
func TestUpdateUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := fupin.SystemActor("test")
		u, err := db.CreateUser(ctx, sys, sqlstore.User{Username: "pingan", Role: "township", Areas: []string{pingan}}, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, u, "session-1", "csrf", "127.0.0.1", time.Hour); err != nil {
			t.Fatal(err)
		}
		county := fupin.Actor{Name: "fengjie", Areas: []string{"500236"}}
		if err := db.UpdateUser(ctx, county, "pingan", "hash-2", nil); err != nil {
			t.Fatalf("reset password: %v", err)
		}
		got, hash, err := db.UserForSignIn(ctx, "pingan")
		if err != nil {
			t.Fatal(err)
		}
		if hash != "hash-2" || got.PasswordResetBy != "fengjie" || got.Disabled {
			t.Errorf("after reset: hash %q, reset by %q, disabled %v", hash, got.PasswordResetBy, got.Disabled)
		}
		if _, err := db.SessionByHash(ctx, "session-1", time.Hour); err == nil {
			t.Error("the session survived a password reset")
		}
		disabled := true
		if err := db.UpdateUser(ctx, county, "pingan", "", &disabled); err != nil {
			t.Fatalf("disable: %v", err)
		}
		if got, hash, _ = db.UserForSignIn(ctx, "pingan"); !got.Disabled || hash != "hash-2" {
			t.Errorf("after disabling: disabled %v, hash %q", got.Disabled, hash)
		}
		village := fupin.Actor{Name: "tiantai", Areas: []string{tiantai}}
		if err := db.UpdateUser(ctx, village, "pingan", "hash-3", nil); code(err) != fupin.ENotFound {
			t.Errorf("a user outside the actor's areas: %v, want not_found", err)
		}
		if err := db.UpdateUser(ctx, county, "nobody", "hash-3", nil); code(err) != fupin.ENotFound {
			t.Errorf("unknown user: %v, want not_found", err)
		}
	})
}
