package sqlstore_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/appraisal"
	"fupin/internal/criteria"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// asOfRun drives random registry writes with the store's clock moving
// forward: every household write the API offers (create, edit, move to
// another village, members added, corrected, made 户主, leaving, income,
// deletion, bulk loads of new households) and, after the snapshot, policy
// changes that recompute verdicts.
type asOfRun struct {
	t   *testing.T
	db  *sqlstore.DB
	rnd *rand.Rand
	now time.Time
	ids []int64
	seq int
	log []string
}

func (r *asOfRun) tick() { r.now = r.now.Add(time.Duration(1+r.rnd.IntN(90)) * time.Minute) }

// pick returns a live household, reloaded, or nil.
func (r *asOfRun) pick() *fupin.Household {
	for range 5 {
		if len(r.ids) == 0 {
			return nil
		}
		h, err := r.db.Household(ctx, admin, r.ids[r.rnd.IntN(len(r.ids))])
		if err != nil {
			r.t.Fatal(err)
		}
		if !h.Deleted() {
			return h
		}
	}
	return nil
}

func (r *asOfRun) active(h *fupin.Household, head bool) *fupin.Member {
	var ms []*fupin.Member
	for i := range h.Members {
		if h.Members[i].Active() && (h.Members[i].Relation == "head") == head {
			ms = append(ms, &h.Members[i])
		}
	}
	if len(ms) == 0 {
		return nil
	}
	return ms[r.rnd.IntN(len(ms))]
}

// step makes one random write; policy is allowed after the snapshot.
func (r *asOfRun) step(policy bool) {
	r.t.Helper()
	r.tick()
	var err error
	var what string
	switch op := r.rnd.IntN(12); {
	case op == 0 || len(r.ids) < 3:
		what = "create"
		r.seq++
		h := family(r.t, []string{tiantai, wenchang}[r.rnd.IntN(2)], r.seq*10)
		if r.rnd.IntN(2) == 0 {
			h = cleanFamily(r.t, r.seq*10)
		}
		var out *fupin.Household
		if out, err = r.db.CreateHousehold(ctx, admin, h); err == nil {
			r.ids = append(r.ids, out.ID)
		}
	case op == 11:
		what = "bulk load"
		r.seq++
		h := family(r.t, []string{tiantai, wenchang}[r.rnd.IntN(2)], r.seq*10)
		h.Normalize()
		for i := range h.Members { // as a file's decoder leaves them
			h.Members[i].Normalize(fupin.FieldErrors{}, "member", fupin.DateOf(r.now))
			h.Members[i].JoinReason = "registered"
		}
		_, err = r.db.BulkLoad(ctx, admin, "import", func(emit func(*fupin.Household) error) error { return emit(h) })
		if err == nil {
			var page sqlstore.HouseholdPage
			page, err = r.db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: pingan, Sort: "-id", Limit: 1})
			if err == nil {
				r.ids = append(r.ids, page.Items[0].ID)
			}
		}
	case op == 1 && policy:
		what = "policy"
		err = r.db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: pingan, Year: 2025, Key: criteria.KeyWaterMinLPD,
			Value: fmt.Sprint(40 + 10*r.rnd.IntN(4))})
		if err == nil {
			_, err = r.db.ProcessRecomputeQueue(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
		}
	default:
		h := r.pick()
		if h == nil {
			return
		}
		what, err = r.householdStep(h, op)
	}
	r.log = append(r.log, fmt.Sprintf("%s %s", r.now.Format(time.DateTime), what))
	var fe *fupin.Error
	if errors.As(err, &fe) && fe.Code != fupin.EInternal {
		return // a refused write (e.g. the last member) changes nothing
	}
	if err != nil {
		r.t.Fatalf("%s: %v", what, err)
	}
}

func (r *asOfRun) householdStep(h *fupin.Household, op int) (string, error) {
	ch := func(m fupin.Member, prev string) sqlstore.MemberChange {
		return sqlstore.MemberChange{Version: h.Version, Member: m, PreviousHeadRelation: prev}
	}
	switch op {
	case 1, 2:
		c := *h
		c.Members, c.Incomes = nil, nil
		switch r.rnd.IntN(4) {
		case 0:
			c.Address = fmt.Sprintf("%d 号", r.rnd.IntN(100))
		case 1:
			c.Housing.Grade = []string{"A", "B", "C", "D"}[r.rnd.IntN(4)]
		case 2:
			c.VillageCode = map[string]string{tiantai: wenchang, wenchang: tiantai}[c.VillageCode]
		case 3:
			c.Basics.FoodSecure = ptr(r.rnd.IntN(3) > 0)
		}
		_, err := r.db.UpdateHousehold(ctx, admin, &c)
		return fmt.Sprintf("update %d", h.ID), err
	case 3:
		r.seq++
		_, err := r.db.AddMember(ctx, admin, h.ID, ch(fupin.Member{Name: "谭新", Relation: "son",
			IDNumber: idNumber(r.t, "500236", "20240101", r.seq), JoinReason: "birth", JoinedOn: fupin.NewDate(2024, 1, 1),
			MedicalInsurance: []string{"resident", "none"}[r.rnd.IntN(2)]}, ""))
		return fmt.Sprintf("add member %d", h.ID), err
	case 4:
		m := r.active(h, false)
		if m == nil {
			return "none", nil
		}
		c := *m
		c.MedicalInsurance = []string{"resident", "none", "employee"}[r.rnd.IntN(3)]
		_, err := r.db.UpdateMember(ctx, admin, h.ID, m.ID, ch(c, ""))
		return fmt.Sprintf("update member %d/%d", h.ID, m.ID), err
	case 5, 10:
		m := r.active(h, false)
		if m == nil || m.Relation != "spouse" {
			return "none", nil
		}
		c := *m
		c.Relation = "head"
		_, err := r.db.UpdateMember(ctx, admin, h.ID, m.ID, ch(c, "spouse"))
		return fmt.Sprintf("new head %d/%d", h.ID, m.ID), err
	case 6:
		m, l := r.active(h, r.rnd.IntN(3) == 0), fupin.MemberLeave{Version: h.Version, LeftOn: fupin.NewDate(2026, 1, 1), Reason: "move_out"}
		if m == nil {
			return "none", nil
		}
		if m.Relation == "head" {
			n := r.active(h, false)
			if n == nil {
				return "none", nil
			}
			l.NewHeadID = n.ID
		}
		_, err := r.db.LeaveMember(ctx, admin, h.ID, m.ID, l)
		return fmt.Sprintf("leave %d/%d", h.ID, m.ID), err
	case 7, 8:
		_, err := r.db.PutIncome(ctx, admin, h.ID, 2025, fupin.IncomeInput{Version: h.Version,
			Wage: fupin.Money(100000 * (1 + r.rnd.IntN(40)))})
		return fmt.Sprintf("income %d", h.ID), err
	default:
		return fmt.Sprintf("delete %d", h.ID), r.db.DeleteHousehold(ctx, admin, h.ID, h.Version, "测试注销")
	}
}

// TestAsOfEqualsSnapshot is the property of issue 18: after random writes
// with the clock moving, a snapshot taken at the end of day D, and more
// random writes (policy changes and their recomputation included), the
// as-of reads at D equal what the snapshot froze, household by household,
// and the as-of dashboard of the township and of a village equals the
// dashboard read at D.
func TestAsOfEqualsSnapshot(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) { checkAsOfRun(t, db, seed) })
		})
	}
}

func checkAsOfRun(t *testing.T, db *sqlstore.DB, seed uint64) {
	r := &asOfRun{t: t, db: db, rnd: rand.New(rand.NewPCG(seed, 18)), now: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return r.now }
	for range 40 {
		r.step(false)
	}
	// Day D ends at 16:00 UTC; the snapshot is taken at 23:30 Beijing time.
	d := fupin.DateOf(r.now.In(time.FixedZone("CST", 8*3600)))
	if end := time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 15, 30, 0, 0, time.UTC); end.After(r.now) {
		r.now = end
	} else {
		d = fupin.DateOf(end.Add(24 * time.Hour))
		r.now = end.Add(24 * time.Hour)
	}
	s, err := db.CreateSnapshot(ctx, admin, appraisal.Snapshot{Name: "D", Year: 2025, AreaCode: pingan})
	if err != nil {
		t.Fatal(err)
	}
	dashD := map[string]sqlstore.Dashboard{}
	for _, area := range []string{pingan, tiantai} {
		if dashD[area], err = db.Dashboard(ctx, admin, area, 2025); err != nil {
			t.Fatal(err)
		}
	}
	cmpD, err := db.CompareSnapshots(ctx, admin, s.ID, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.now = r.now.Add(time.Hour) // the next day, Beijing time
	for range 60 {
		r.step(true)
	}
	r.now = r.now.Add(24 * time.Hour)
	defer func() {
		if t.Failed() {
			t.Logf("seed %d, D = %s, writes:\n%v", seed, d, r.log)
		}
	}()
	eq := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	inSnapshot := 0
	for _, id := range r.ids {
		got, err := db.HouseholdAsOf(ctx, admin, id, d)
		frozen, ferr := db.SnapshotHousehold(ctx, admin, s.ID, id)
		switch {
		case ferr == nil:
			inSnapshot++
			if err != nil {
				t.Errorf("household %d as of %s: %v", id, d, err)
			} else if diff := cmp.Diff(frozen, got.Household, eq); diff != "" {
				t.Errorf("household %d as of %s differs from the snapshot (-snapshot +as-of):\n%s", id, d, diff)
			}
		case err == nil && !got.Household.Deleted():
			t.Errorf("household %d is live as of %s but not in the snapshot", id, d)
		}
	}
	if inSnapshot != s.Households || inSnapshot == 0 {
		t.Errorf("%d households compared, the snapshot holds %d", inSnapshot, s.Households)
	}
	for area, want := range dashD {
		got, err := db.DashboardAsOf(ctx, admin, area, 2025, d)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got.Dashboard); diff != "" {
			t.Errorf("dashboard of %s as of %s differs from the one read then (-then +as-of):\n%s", area, d, diff)
		}
		if got.AsOf.Predates || got.AsOf.Changed == 0 {
			t.Errorf("as-of notice of %s: %+v", area, got.AsOf)
		}
		if area != pingan {
			continue
		}
		counts := map[string]int{}
		for _, c := range cmpD.Categories {
			counts[c.Code] = c.After
		}
		v := got.Dashboard.Verdicts.Total
		if g := got.Dashboard.Total; g.Households != s.Households || g.People != s.People || g.ExPoor != counts["ex_poor"] ||
			v.Pass != counts["verdict_pass"] || v.Households != counts["verdict_pass"]+counts["verdict_fail"] {
			t.Errorf("dashboard as of %s: %+v, verdicts %+v; snapshot %d households, %d people, categories %v",
				d, g, v, s.Households, s.People, counts)
		}
	}
}
