package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// planAndConfirm plans the handover of a village's first secretary to a
// newcomer and has all three parties confirm.
func planAndConfirm(t *testing.T, db *sqlstore.DB, w *aidWorld, village string, incoming *aid.Cadre) *aid.Rotation {
	t.Helper()
	r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "第一书记轮换 " + village,
		Items: []aid.RotationPlanItem{{PostingID: w.postings[village].ID, IncomingCadreID: incoming.ID}}})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return planConfirmAll(t, db, r)
}

// The three parties of a handover confirm from three accounts.
var (
	outgoingClerk = fupin.Actor{Name: "outgoing-clerk", Areas: []string{pingan}}
	incomingClerk = fupin.Actor{Name: "incoming-clerk", Areas: []string{pingan}}
	partyActor    = map[string]fupin.Actor{"outgoing": outgoingClerk, "incoming": incomingClerk, "office": admin}
)

// pairingState is every active pairing as household → cadre.
func pairingState(t *testing.T, db *sqlstore.DB) map[int64]int64 {
	t.Helper()
	page, err := db.ListActivePairings(ctx, admin, "", 0, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int64{}
	for _, p := range page.Items {
		if _, dup := out[p.HouseholdID]; dup {
			t.Errorf("household %d has two active helpers", p.HouseholdID)
		}
		out[p.HouseholdID] = p.CadreID
	}
	return out
}

func TestRotationHandover(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 4)
		r, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "第一书记轮换",
			Items: []aid.RotationPlanItem{{PostingID: w.postings[tiantai].ID, IncomingCadreID: w.newcomer.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		// The list: the posting and the two households the secretary helps.
		kinds := map[string]int{}
		for _, e := range r.Entries {
			kinds[e.Kind]++
		}
		if kinds["posting"] != 1 || kinds["household"] != 2 {
			t.Errorf("handover list = %v", kinds)
		}
		if _, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); code(err) != fupin.EConflict {
			t.Errorf("complete without confirmations: %v", err)
		}
		village := fupin.Actor{Name: "天台村", Areas: []string{tiantai}}
		if _, err := db.ConfirmRotation(ctx, village, r.ID, aid.Confirmation{Version: r.Version, Party: "office"}); code(err) != fupin.EForbidden {
			t.Errorf("village confirms for the office: %v", err)
		}
		village2 := fupin.Actor{Name: "天台村二", Areas: []string{tiantai}}
		for _, party := range []string{"outgoing", "incoming", "office"} {
			a := map[string]fupin.Actor{"outgoing": village, "incoming": village2, "office": admin}[party]
			if r, err = db.ConfirmRotation(ctx, a, r.ID, aid.Confirmation{Version: r.Version, Party: party, ItemID: r.Items[0].ID}); err != nil {
				t.Fatalf("confirm %s: %v", party, err)
			}
		}
		if r.Items[0].OutgoingConfirmedBy != "天台村" || r.Items[0].IncomingConfirmedBy != "天台村二" || r.OfficeConfirmedBy != admin.Name {
			t.Errorf("confirmed by %q, %q, %q", r.Items[0].OutgoingConfirmedBy, r.Items[0].IncomingConfirmedBy, r.OfficeConfirmedBy)
		}
		// A village user may not add to the township's list; a stale version is refused.
		doc := aid.NewHandoverEntry{Version: r.Version, Kind: "document", Title: "村级脱贫攻坚档案 12 盒"}
		if _, err := db.AddHandoverEntry(ctx, village, r.ID, doc); code(err) != fupin.EForbidden {
			t.Errorf("village adds an entry to the township's rotation: %v", err)
		}
		stale := doc
		stale.Version--
		if _, err := db.AddHandoverEntry(ctx, admin, r.ID, stale); !hasField(err, "version") {
			t.Errorf("entry with a stale version: %v", err)
		}
		// Adding a document withdraws the confirmations.
		if r, err = db.AddHandoverEntry(ctx, admin, r.ID, doc); err != nil || r.Ready {
			t.Fatalf("entry: ready=%v %v", r != nil && r.Ready, err)
		}
		r = planConfirmAll(t, db, r)
		before := pairingState(t, db)
		done, err := db.CompleteRotation(ctx, admin, r.ID, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != "completed" || done.Items[0].NewPostingID == nil {
			t.Errorf("completed rotation = %+v", done)
		}
		after := pairingState(t, db)
		for hid, cadre := range before {
			want := cadre
			if cadre == w.secretary[tiantai].ID {
				want = w.newcomer.ID
			}
			if after[hid] != want {
				t.Errorf("household %d: helper %d, want %d", hid, after[hid], want)
			}
		}
		old, _ := db.Cadre(ctx, admin, w.secretary[tiantai].ID)
		if len(old.Postings) != 1 || old.Postings[0].EndedOn.IsZero() || old.Pairings != 0 {
			t.Errorf("outgoing cadre after: %+v", old)
		}
		teams, _ := db.ListWorkTeams(ctx, admin, tiantai)
		if len(teams) != 1 || teams[0].Leader == nil || teams[0].Leader.CadreID != w.newcomer.ID {
			t.Errorf("tiantai team after rotation: %+v", teams)
		}
		if rep, _ := db.Unpaired(ctx, admin, ""); rep.Total != 0 {
			t.Errorf("unpaired after rotation: %d", rep.Total)
		}
		if _, err := db.CompleteRotation(ctx, admin, r.ID, done.Version); code(err) != fupin.EConflict {
			t.Errorf("completing twice: %v", err)
		}
		var kept bool
		for _, e := range done.Entries {
			kept = kept || e.Kind == "document"
		}
		if !kept || len(done.Entries) != 4 {
			t.Errorf("kept handover list = %+v", done.Entries)
		}
	})
}

// planConfirmAll gives every confirmation of a planned rotation.
func planConfirmAll(t *testing.T, db *sqlstore.DB, r *aid.Rotation) *aid.Rotation {
	t.Helper()
	var err error
	for _, it := range r.Items {
		for _, party := range []string{"outgoing", "incoming"} {
			if r, err = db.ConfirmRotation(ctx, partyActor[party], r.ID, aid.Confirmation{Version: r.Version, Party: party, ItemID: it.ID}); err != nil {
				t.Fatalf("confirm %s: %v", party, err)
			}
		}
	}
	if r, err = db.ConfirmRotation(ctx, admin, r.ID, aid.Confirmation{Version: r.Version, Party: "office"}); err != nil {
		t.Fatalf("confirm office: %v", err)
	}
	if !r.Ready {
		t.Fatalf("not ready after every confirmation: %+v", r)
	}
	return r
}

// TestRotationKilledHalfWay cancels the completion after the posting and
// the first household moved: nothing of it may remain.
func TestRotationKilledHalfWay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 6)
		r := planAndConfirm(t, db, w, tiantai, w.newcomer)
		before := pairingState(t, db)
		audit, _ := db.AuditActionCounts(ctx)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		steps := 0
		cctx = sqlstore.WithStep(cctx, func(step string) {
			if steps++; step == "pairing" {
				cancel()
			}
		})
		_, err := db.CompleteRotation(cctx, admin, r.ID, r.Version)
		if !errors.Is(err, context.Canceled) || steps < 2 {
			t.Fatalf("interrupted completion: %v after %d steps", err, steps)
		}
		if got := pairingState(t, db); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Errorf("pairings changed by an interrupted handover:\n got %v\nwant %v", got, before)
		}
		again, err := db.Rotation(ctx, admin, r.ID)
		if err != nil || again.Status != "planned" || again.Version != r.Version || again.Items[0].NewPostingID != nil {
			t.Errorf("rotation after interruption: %+v %v", again, err)
		}
		sec, _ := db.Cadre(ctx, admin, w.secretary[tiantai].ID)
		if !sec.Postings[0].EndedOn.IsZero() {
			t.Error("outgoing posting ended by an interrupted handover")
		}
		if now, _ := db.AuditActionCounts(ctx); fmt.Sprint(now) != fmt.Sprint(audit) {
			t.Errorf("audit log changed: %v → %v", audit, now)
		}
		// It still completes afterwards.
		if _, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); err != nil {
			t.Errorf("complete after the interruption: %v", err)
		}
	})
}

// TestPairingInvariantUnderConcurrency runs rotations of two villages at
// the same time as helper changes on their households; afterwards every
// household still has exactly one active helper. A helper change that
// lands before a completion rebuilds its list and withdraws the
// confirmations, so that completion is refused and runs again confirmed.
func TestPairingInvariantUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 8)
		incoming := map[string]*aid.Cadre{tiantai: w.newcomer, wenchang: newCadre(t, db, "新任书记二", 91)}
		rots := map[string]*aid.Rotation{}
		for _, v := range []string{tiantai, wenchang} {
			rots[v] = planAndConfirm(t, db, w, v, incoming[v])
		}
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for _, v := range []string{tiantai, wenchang} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.CompleteRotation(ctx, admin, rots[v].ID, rots[v].Version)
				if code(err) == fupin.EConflict { // the list changed first
					err = nil
				}
				errs <- err
			}()
			for i, hid := range w.households[v] {
				wg.Add(1)
				go func() {
					defer wg.Done()
					to := []*aid.Cadre{w.helper[v], w.secretary[v], incoming[v]}[i%3]
					_, err := db.PairHousehold(ctx, admin, hid, aid.PairingChange{CadreID: to.ID})
					if code(err) == fupin.EConflict { // already the helper, or no longer posted
						err = nil
					}
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent write: %v", err)
			}
		}
		state := pairingState(t, db)
		if rep, err := db.Unpaired(ctx, admin, ""); err != nil || rep.Total != 0 || len(state) != 16 {
			t.Errorf("after concurrent rotations: %d unpaired of %d, %d paired, %v", rep.Total, rep.Need, len(state), err)
		}
		for _, v := range []string{tiantai, wenchang} {
			r, _ := db.Rotation(ctx, admin, rots[v].ID)
			if r.Status == "planned" {
				r = planConfirmAll(t, db, r)
				if r, err := db.CompleteRotation(ctx, admin, r.ID, r.Version); err != nil || r.Status != "completed" {
					t.Fatalf("rotation %s completed again: %v", v, err)
				}
			}
		}
		state = pairingState(t, db)
		for _, v := range []string{tiantai, wenchang} {
			for _, hid := range w.households[v] {
				if state[hid] == w.secretary[v].ID {
					t.Errorf("household %d still helped by the outgoing secretary", hid)
				}
			}
		}
	})
}

// TestAidListsQueryCount checks that listing groups and rotations costs
// the same statements for one record as for three (no query per record).
func TestAidListsQueryCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 1)
		count := func(list func(context.Context) (int, error)) (records, queries int) {
			t.Helper()
			cctx := sqlstore.WithStep(ctx, func(step string) {
				if step == "query" {
					queries++
				}
			})
			records, err := list(cctx)
			if err != nil {
				t.Fatal(err)
			}
			return records, queries
		}
		groups := func(c context.Context) (int, error) {
			gs, err := db.ListAidGroups(c, admin, pingan)
			return len(gs), err
		}
		rotations := func(c context.Context) (int, error) {
			rs, err := db.ListRotations(c, admin, pingan, "")
			return len(rs), err
		}

		n1, g1 := count(groups)
		for i := range 2 {
			if _, err := db.CreateAidGroup(ctx, admin, aid.Group{Name: fmt.Sprintf("帮扶集团%d", i), AreaCode: pingan, LeadUnit: fmt.Sprintf("牵头单位%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		n3, g3 := count(groups)
		if n1 != 1 || n3 != 3 || g1 != g3 || g3 > 2 {
			t.Errorf("groups: %d groups in %d queries, %d in %d; want the same count, at most 2", n1, g1, n3, g3)
		}

		plan := func(village string, incoming *aid.Cadre) {
			t.Helper()
			if _, err := db.PlanRotation(ctx, admin, aid.RotationPlan{AreaCode: pingan, Title: "轮换 " + village,
				Items: []aid.RotationPlanItem{{PostingID: w.postings[village].ID, IncomingCadreID: incoming.ID}}}); err != nil {
				t.Fatal(err)
			}
		}
		plan(tiantai, w.newcomer)
		n1, r1 := count(rotations)
		plan(wenchang, newCadre(t, db, "接任者二", 91))
		n2, r2 := count(rotations)
		if n1 != 1 || n2 != 2 || r1 != r2 || r2 > 3 {
			t.Errorf("rotations: %d rotations in %d queries, %d in %d; want the same count, at most 3", n1, r1, n2, r2)
		}
	})
}
