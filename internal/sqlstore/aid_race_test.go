package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// hasField reports whether err is a *fupin.Error naming field.
func hasField(err error, field string) bool {
	var fe *fupin.Error
	return errors.As(err, &fe) && fe.Fields[field] != ""
}

// raceAt returns ctx with a hook that, when the write reaches step, starts
// other and gives it a moment to get as far as it can before the write
// goes on: without a lock the other writer commits in between; with one it
// waits, and the write goes on when the moment is over. The result of
// other arrives on the channel.
func raceAt(ctx context.Context, step string, other func() error) (context.Context, <-chan error) {
	done := make(chan error, 1)
	var once sync.Once
	return sqlstore.WithStep(ctx, func(s string) {
		if s != step {
			return
		}
		once.Do(func() {
			finished := make(chan struct{})
			go func() {
				done <- other()
				close(finished)
			}()
			select {
			case <-finished:
			case <-time.After(300 * time.Millisecond):
			}
		})
	}), done
}

// oneWins checks that exactly one of two racing writes succeeded and the
// other was refused as a conflict.
func oneWins(t *testing.T, a, b error) {
	t.Helper()
	if (a == nil) == (b == nil) || code(a)+code(b) != fupin.EConflict {
		t.Errorf("racing writes: %v and %v, want exactly one conflict", a, b)
	}
}

// TestAidRotationCancelVersusComplete cancels a rotation while it is being
// completed: only one of them may win.
func TestAidRotationCancelVersusComplete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4)
		r := planAndConfirm(t, db, w, tiantai, w.newcomer)
		before := pairingState(t, db)
		rctx, cancelled := raceAt(ctx, "start", func() error {
			_, err := db.CancelRotation(ctx, admin, r.ID, r.Version)
			return err
		})
		_, completed := db.CompleteRotation(rctx, admin, r.ID, r.Version)
		oneWins(t, completed, <-cancelled)
		got, err := db.Rotation(ctx, admin, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		after := pairingState(t, db)
		moved := after[w.households[tiantai][0]] != before[w.households[tiantai][0]]
		if want := completed == nil; moved != want || (got.Status == "completed") != want {
			t.Errorf("status %s, households moved %v, completion error %v", got.Status, moved, completed)
		}
	})
}

// TestAidRotationConfirmVersusEntry adds a line to the list while a party
// confirms: a confirmation must never survive a line added after it.
func TestAidRotationConfirmVersusEntry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 2)
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "轮换",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		rctx, added := raceAt(ctx, "confirm", func() error {
			_, err := db.AddHandoverEntry(ctx, admin, r.ID, aid.NewHandoverEntry{Version: r.Version, Kind: "project", Title: "村集体光伏电站"})
			return err
		})
		_, confirmed := db.ConfirmRotation(rctx, outgoingClerk, r.ID, aid.Confirmation{Version: r.Version, Party: "outgoing", ItemID: r.Items[0].ID})
		oneWins(t, confirmed, <-added)
		got, _ := db.Rotation(ctx, admin, r.ID)
		hasEntry := false
		for _, e := range got.Entries {
			hasEntry = hasEntry || e.Kind == "project"
		}
		if hasConfirmation := got.Items[0].OutgoingConfirmedBy != ""; hasEntry == hasConfirmation {
			t.Errorf("entry added %v, confirmation kept %v", hasEntry, hasConfirmation)
		}
	})
}

// TestAidLeaveApproveVersusReject decides one leave request twice at once.
func TestAidLeaveApproveVersusReject(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		l, err := db.RequestLeave(ctx, admin, aid.Leave{CadreID: w.secretary[tiantai].ID, AreaCode: tiantai,
			FromOn: fupin.NewDate(2025, 6, 20), ToOn: fupin.NewDate(2025, 6, 22), Reason: "家中有事"})
		if err != nil {
			t.Fatal(err)
		}
		rctx, rejected := raceAt(ctx, "leave", func() error {
			_, err := db.ActOnLeave(ctx, admin, l.ID, aid.LeaveAction{Version: l.Version, Action: "reject"})
			return err
		})
		_, approved := db.ActOnLeave(rctx, admin, l.ID, aid.LeaveAction{Version: l.Version, Action: "approve"})
		rej := <-rejected
		oneWins(t, approved, rej)
		ls, _ := db.ListLeaves(ctx, admin, tiantai, "")
		want := map[bool]string{true: "approved", false: "rejected"}[approved == nil]
		if len(ls) != 1 || ls[0].Status != want || ls[0].Version != 2 {
			t.Errorf("leave after the race = %+v, want %s at version 2", ls, want)
		}
	})
}

// TestAidConcurrentVersionedUpdates saves one version of a cadre and of a
// group from several writers at once: one wins, the others get a conflict
// on field version.
func TestAidConcurrentVersionedUpdates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, 2*n)
		for i := 0; i < n; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				c := *w.newcomer
				c.Post = "职务" + string(rune('A'+i))
				_, errs[i] = db.UpdateCadre(ctx, admin, c.ID, c)
			}()
			go func() {
				defer wg.Done()
				g := *w.group
				g.Note = "备注" + string(rune('A'+i))
				_, errs[n+i] = db.UpdateAidGroup(ctx, admin, g.ID, g)
			}()
		}
		wg.Wait()
		for k, list := range [][]error{errs[:n], errs[n:]} {
			ok := 0
			for _, err := range list {
				if err == nil {
					ok++
				} else if !hasField(err, "version") {
					t.Errorf("writer %d: %v, want a conflict on version", k, err)
				}
			}
			if ok != 1 {
				t.Errorf("%d of %d concurrent saves of one version succeeded, want 1", ok, n)
			}
		}
	})
}

// TestAidRotationChain hands S's posting to H and H's posting to N in one
// rotation: S's households go to H, H's own to N.
func TestAidRotationChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 6)
		s, h, n := w.secretary[tiantai], w.helper[tiantai], w.newcomer
		hc, _ := db.Cadre(ctx, admin, h.ID)
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "连环轮换",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: h.ID},
				{PostingID: hc.Postings[0].ID, IncomingCadreID: n.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		before := pairingState(t, db)
		r = planConfirmAll(t, db, r)
		if _, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		after := pairingState(t, db)
		for _, hid := range w.households[tiantai] {
			want := map[int64]int64{s.ID: h.ID, h.ID: n.ID}[before[hid]]
			if after[hid] != want {
				t.Errorf("household %d: helper %d → %d, want %d", hid, before[hid], after[hid], want)
			}
		}
		teams, _ := db.ListWorkTeams(ctx, admin, tiantai)
		if len(teams) != 1 || teams[0].Leader == nil || teams[0].Leader.CadreID != h.ID {
			t.Errorf("tiantai team after the chain: %+v", teams)
		}
	})
}

// TestAidRotationSwap swaps the first secretaries of two villages: each
// village's households go to the other secretary.
func TestAidRotationSwap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4)
		a, b := w.secretary[tiantai], w.secretary[wenchang]
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "对调",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: b.ID},
				{PostingID: w.postings[wenchang].ID, IncomingCadreID: a.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		before := pairingState(t, db)
		r = planConfirmAll(t, db, r)
		if _, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		after := pairingState(t, db)
		swapped := map[int64]int64{a.ID: b.ID, b.ID: a.ID}
		for hid, was := range before {
			want := was
			if to, ok := swapped[was]; ok {
				want = to
			}
			if after[hid] != want {
				t.Errorf("household %d: helper %d → %d, want %d", hid, was, after[hid], want)
			}
		}
		for v, want := range map[string]int64{tiantai: b.ID, wenchang: a.ID} {
			if teams, _ := db.ListWorkTeams(ctx, admin, v); len(teams) != 1 || teams[0].Leader == nil || teams[0].Leader.CadreID != want {
				t.Errorf("%s team after the swap: %+v", v, teams)
			}
		}
	})
}

// TestAidRotationMovesOnlyItsArea rotates a helper's posting in one village:
// their pairing in another village, under a posting they keep, stays.
func TestAidRotationMovesOnlyItsArea(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4)
		h := w.helper[tiantai]
		post(t, db, h, "helper", wenchang, fupin.NewDate(2024, 1, 1))
		far := w.households[wenchang][0]
		if _, err := db.PairHousehold(ctx, admin, far, aid.PairingChange{CadreID: h.ID}); err != nil {
			t.Fatal(err)
		}
		hc, _ := db.Cadre(ctx, admin, h.ID)
		var inTiantai int64
		for _, p := range hc.Postings {
			if p.AreaCode == tiantai {
				inTiantai = p.ID
			}
		}
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "帮扶责任人轮换",
			Items: []aid.RotationPlanItem{{PostingID: inTiantai, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range r.Entries {
			if e.Kind == "household" && *e.RefID == far {
				t.Errorf("the list hands over a household outside the posting's village: %+v", e)
			}
		}
		before := pairingState(t, db)
		r = planConfirmAll(t, db, r)
		if _, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		after := pairingState(t, db)
		if after[far] != h.ID {
			t.Errorf("household in 文昌村 moved to %d, want it kept by %d", after[far], h.ID)
		}
		for _, hid := range w.households[tiantai] {
			if before[hid] == h.ID && after[hid] != w.newcomer.ID {
				t.Errorf("household %d in 天台村 not handed over: %d", hid, after[hid])
			}
		}
	})
}

// TestAidRotationListFollowsPairings changes a helper after every party
// confirmed: the list is rebuilt and the confirmations withdrawn, so the
// completion moves only what was confirmed.
func TestAidRotationListFollowsPairings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4)
		r := planAndConfirm(t, db, w, tiantai, w.newcomer)
		moved := w.households[tiantai][0] // helped by the outgoing secretary
		if _, err := db.PairHousehold(ctx, admin, moved, aid.PairingChange{CadreID: w.helper[tiantai].ID}); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Rotation(ctx, admin, r.ID)
		if got.Ready || got.Version == r.Version || got.OfficeConfirmedBy != "" {
			t.Errorf("confirmations kept after the list changed: ready=%v version %d→%d", got.Ready, r.Version, got.Version)
		}
		for _, e := range got.Entries {
			if e.Kind == "household" && *e.RefID == moved {
				t.Errorf("rebuilt list still hands over household %d", moved)
			}
		}
		if _, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); code(err) != fupin.EConflict {
			t.Errorf("completing what was confirmed before the change: %v", err)
		}
		got = planConfirmAll(t, db, got)
		if _, err := db.CompleteRotation(ctx, admin, r.ID, got.Version); err != nil {
			t.Fatal(err)
		}
		if after := pairingState(t, db); after[moved] != w.helper[tiantai].ID {
			t.Errorf("household %d: helper %d, want %d", moved, after[moved], w.helper[tiantai].ID)
		}
		// Ending a posting that is in a planned rotation is refused.
		r2, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "文昌村",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[wenchang].ID, IncomingCadreID: w.helper[tiantai].ID}}})
		if err != nil {
			t.Fatal(err)
		}
		p := w.postings[wenchang]
		_, err = db.ChangePosting(ctx, admin, p.ID, aid.PostingChange{Version: p.Version, EndedOn: fupin.NewDate(2025, 6, 15), EndReason: "调离"})
		if !hasField(err, "ended_on") {
			t.Errorf("ending a posting of planned rotation %d: %v", r2.ID, err)
		}
	})
}

// TestAidConfirmationsFromThreeAccounts refuses one account confirming for
// two parties.
func TestAidConfirmationsFromThreeAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 2)
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "轮换",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		item := r.Items[0].ID
		if r, err = db.ConfirmRotation(ctx, outgoingClerk, r.ID, aid.Confirmation{Version: r.Version, Party: "outgoing", ItemID: item}); err != nil {
			t.Fatal(err)
		}
		for _, party := range []string{"incoming", "office"} {
			_, err := db.ConfirmRotation(ctx, outgoingClerk, r.ID, aid.Confirmation{Version: r.Version, Party: party, ItemID: item})
			if code(err) != fupin.EConflict || !hasField(err, "party") {
				t.Errorf("the outgoing party's account confirms as %s: %v", party, err)
			}
		}
		// Confirming again for the same party is allowed.
		if r, err = db.ConfirmRotation(ctx, outgoingClerk, r.ID, aid.Confirmation{Version: r.Version, Party: "outgoing", ItemID: item}); err != nil {
			t.Errorf("confirming twice for the same party: %v", err)
		}
		if r, err = db.ConfirmRotation(ctx, admin, r.ID, aid.Confirmation{Version: r.Version, Party: "office"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ConfirmRotation(ctx, admin, r.ID, aid.Confirmation{Version: r.Version, Party: "incoming", ItemID: item}); !hasField(err, "party") {
			t.Errorf("the office's account confirms for the incoming cadre: %v", err)
		}
	})
}

// TestAidPairingStartOrder keeps pairing history in order.
func TestAidPairingStartOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 1)
		hid := w.households[tiantai][0] // paired since 2024-03-01
		_, err := db.PairHousehold(ctx, admin, hid, aid.PairingChange{CadreID: w.helper[tiantai].ID, StartedOn: fupin.NewDate(2024, 2, 1)})
		if code(err) != fupin.EInvalid || !hasField(err, "started_on") {
			t.Errorf("pairing that starts before the current one: %v", err)
		}
		post(t, db, w.newcomer, "helper", tiantai, fupin.NewDate(2025, 6, 1))
		_, err = db.PairHousehold(ctx, admin, hid, aid.PairingChange{CadreID: w.newcomer.ID, StartedOn: fupin.NewDate(2025, 5, 1)})
		if !hasField(err, "started_on") {
			t.Errorf("pairing that starts before the helper's posting: %v", err)
		}
		if _, err := db.PairHousehold(ctx, admin, hid, aid.PairingChange{CadreID: w.newcomer.ID, StartedOn: fupin.NewDate(2025, 6, 1)}); err != nil {
			t.Errorf("pairing on the posting's first day: %v", err)
		}
		_, err = db.PairHousehold(ctx, admin, hid, aid.PairingChange{CadreID: w.newcomer.ID})
		if !hasField(err, "cadre_id") {
			t.Errorf("pairing the current helper again: %v", err)
		}
	})
}

// TestAidSettingsUpsertAndScope saves one setting from several writers at
// once and reads the stored rows as a village user.
func TestAidSettingsUpsertAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.SetAidSetting(ctx, admin, aid.SettingRow{Area: pingan, Key: "attendance_min_days", Value: 15 + i})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Errorf("concurrent save: %v", err)
			}
		}
		for _, r := range []aid.SettingRow{{Area: "", Key: "term_months", Value: 36}, {Area: wenchang, Key: "visit_days_other", Value: 60},
			{Area: "500237", Key: "visit_days_other", Value: 45}} {
			if err := db.SetAidSetting(ctx, admin, r); err != nil {
				t.Fatal(err)
			}
		}
		view, err := db.AidSettingsFor(ctx, fupin.Actor{Name: "天台村", Areas: []string{tiantai}}, tiantai)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range view.Rows {
			seen[r.Area] = true
		}
		if !seen[""] || !seen[pingan] || seen[wenchang] || seen["500237"] || len(view.Rows) != 2 {
			t.Errorf("rows a 天台村 user sees: %+v", view.Rows)
		}
		if d := view.Effective.AttendanceMinDays; d < 15 || d > 22 {
			t.Errorf("effective attendance_min_days = %d", d)
		}
	})
}

// TestAidVisitPhotoLimitConcurrent uploads more than nine photos to one visit
// at once.
func TestAidVisitPhotoLimitConcurrent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 1)
		v, err := db.RecordVisit(ctx, admin, w.households[tiantai][0], aid.Visit{CadreID: w.secretary[tiantai].ID,
			VisitedOn: fupin.NewDate(2025, 6, 1), Kind: "home"})
		if err != nil {
			t.Fatal(err)
		}
		png := testJPEG(t) // a real image: photos are decoded
		var wg sync.WaitGroup
		errs := make([]error, 14)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.AddVisitPhoto(ctx, admin, v.ID, "a.jpg", png)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if code(err) != fupin.EConflict {
				t.Errorf("upload: %v", err)
			}
		}
		if got, _ := db.Visit(ctx, admin, v.ID); ok != sqlstore.MaxPhotosPerVisit || len(got.Photos) != sqlstore.MaxPhotosPerVisit {
			t.Errorf("%d uploads succeeded, %d photos stored, want %d", ok, len(got.Photos), sqlstore.MaxPhotosPerVisit)
		}
	})
}

// TestAidLeaveOverlapAndFields covers overlapping leave, the unique-violation
// messages and LIKE wildcards in the cadre search.
func TestAidLeaveOverlapAndFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		c := w.secretary[tiantai].ID
		leave := func(from, to int) (*aid.Leave, error) {
			return db.RequestLeave(ctx, admin, aid.Leave{CadreID: c, AreaCode: tiantai,
				FromOn: fupin.NewDate(2025, 7, from), ToOn: fupin.NewDate(2025, 7, to), Reason: "事假"})
		}
		first, err := leave(10, 14)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := leave(14, 16); code(err) != fupin.EConflict || !hasField(err, "from_on") {
			t.Errorf("overlapping leave: %v", err)
		}
		if _, err := db.ActOnLeave(ctx, admin, first.ID, aid.LeaveAction{Version: first.Version, Action: "reject"}); err != nil {
			t.Fatal(err)
		}
		if _, err := leave(14, 16); err != nil {
			t.Errorf("leave overlapping only a rejected one: %v", err)
		}
		in := aid.CheckIn{CadreID: c, AreaCode: tiantai, Day: fupin.NewDate(2025, 6, 2)}
		if _, err := db.RecordCheckIn(ctx, admin, in); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordCheckIn(ctx, admin, in); !hasField(err, "day") {
			t.Errorf("second check-in of the day: %v", err)
		}
		for q, want := range map[string]int{"%": 0, "_": 0, "书记": 3} {
			if page, err := db.ListCadres(ctx, admin, aid.CadreFilter{Query: q}); err != nil || page.Total != want {
				t.Errorf("cadres matching %q: %d %v, want %d", q, page.Total, err, want)
			}
		}
	})
}
