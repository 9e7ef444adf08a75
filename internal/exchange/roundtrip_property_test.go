package exchange_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/sqlstore"
)

// editor applies random member and household changes through the store's
// API methods (the ones the HTTP handlers call), as a village office would.
type editor struct {
	t   *testing.T
	db  *sqlstore.DB
	rnd *rand.Rand
	seq int
	log []string
}

func (e *editor) household(id int64) *fupin.Household {
	e.t.Helper()
	h, err := e.db.Household(ctx, admin, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return h
}

func current(h *fupin.Household) []fupin.Member {
	var out []fupin.Member
	for _, m := range h.Members {
		if m.Active() {
			out = append(out, m)
		}
	}
	return out
}

func (e *editor) pick(ms []fupin.Member, notHead bool) *fupin.Member {
	var c []int
	for i := range ms {
		if !notHead || ms[i].Relation != "head" {
			c = append(c, i)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return &ms[c[e.rnd.IntN(len(c))]]
}

var today = fupin.DateOf(timeNow())

// step makes one random change to household a (or between a and b) and
// reports what it did; a change the store refuses (for example the last
// member leaving) is no change.
func (e *editor) step(a, b int64) {
	ha, hb := e.household(a), e.household(b)
	ca := current(ha)
	var what string
	var err error
	switch e.rnd.IntN(9) {
	case 0, 1: // birth, marriage into, move into the household
		e.seq++
		reason := []string{"birth", "marriage", "move_in"}[e.rnd.IntN(3)]
		id := newID(100 + e.seq)
		if reason == "birth" {
			born := today.Time().AddDate(0, -2, 0).Format("20060102")
			first17 := "500236" + born + fmt.Sprintf("%03d", e.seq%1000)
			id = first17 + string(idcard.CheckChar(first17))
		}
		m := fupin.Member{Name: fmt.Sprintf("新成员%d", e.seq), IDNumber: id, Relation: "other",
			JoinedOn: today, JoinReason: reason, Ethnicity: "汉族", Health: "healthy"}
		what = "add " + reason
		_, err = e.db.AddMember(ctx, admin, a, sqlstore.MemberChange{Version: ha.Version, Member: m})
	case 2: // death, move out, marriage, other
		m := e.pick(ca, true)
		if m == nil {
			return
		}
		reason := []string{"death", "move_out", "marriage", "other"}[e.rnd.IntN(4)]
		what = "leave " + reason
		_, err = e.db.LeaveMember(ctx, admin, a, m.ID, fupin.MemberLeave{Version: ha.Version, LeftOn: today, Reason: reason, Note: "说明"})
	case 3: // the head leaves, another member becomes head
		var head *fupin.Member
		for i := range ca {
			if ca[i].Relation == "head" {
				head = &ca[i]
			}
		}
		next := e.pick(ca, true)
		if head == nil || next == nil {
			return
		}
		what = "head leaves"
		_, err = e.db.LeaveMember(ctx, admin, a, head.ID, fupin.MemberLeave{Version: ha.Version, LeftOn: today, Reason: "death", NewHeadID: next.ID})
	case 4, 5: // moves (or marries) from a to b
		m := e.pick(ca, true)
		if m == nil {
			return
		}
		what = "move a→b"
		if _, err = e.db.LeaveMember(ctx, admin, a, m.ID, fupin.MemberLeave{Version: ha.Version, LeftOn: today, Reason: "move_out"}); err == nil {
			moved := *m
			moved.ID, moved.Relation, moved.JoinedOn, moved.JoinReason = 0, "other", today, "move_in"
			_, err = e.db.AddMember(ctx, admin, b, sqlstore.MemberChange{Version: hb.Version, Member: moved})
			if err != nil {
				e.t.Fatalf("move into b: %v", err)
			}
		}
	case 6: // leaves and re-joins the same household
		m := e.pick(ca, true)
		if m == nil {
			return
		}
		what = "leave and re-join"
		if _, err = e.db.LeaveMember(ctx, admin, a, m.ID, fupin.MemberLeave{Version: ha.Version, LeftOn: today, Reason: "marriage"}); err == nil {
			back := *m
			back.ID, back.JoinedOn, back.JoinReason = 0, today, "marriage"
			_, err = e.db.AddMember(ctx, admin, a, sqlstore.MemberChange{Version: ha.Version + 1, Member: back})
			if err != nil {
				e.t.Fatalf("re-join: %v", err)
			}
		}
	case 7: // a member's details change, or becomes head
		m := e.pick(ca, false)
		if m == nil {
			return
		}
		c := sqlstore.MemberChange{Version: ha.Version, Member: *m}
		if m.Relation != "head" && e.rnd.IntN(2) == 0 {
			c.Member.Relation, c.PreviousHeadRelation = "head", "spouse"
			what = "new head"
		} else {
			c.Member.MigrantMonths = e.rnd.IntN(12)
			c.Member.Phone = fmt.Sprintf("139%08d", e.rnd.IntN(1e8))
			what = "edit member"
		}
		_, err = e.db.UpdateMember(ctx, admin, a, m.ID, c)
	case 8: // household fields
		h := *ha
		h.Phone = fmt.Sprintf("138%08d", e.rnd.IntN(1e8))
		h.Address = fmt.Sprintf("地址%d", e.rnd.IntN(1000))
		what = "edit household"
		_, err = e.db.UpdateHousehold(ctx, admin, &h)
	}
	if err != nil && fupin.ErrorCode(err) == fupin.EInternal {
		e.t.Fatalf("%s: %v", what, err)
	}
	if err == nil {
		e.log = append(e.log, fmt.Sprintf("%s (#%d, #%d)", what, a, b))
	}
}

// After any sequence of API edits, the registry's own export imports back
// into it with no change, and into an empty registry with nothing
// rejected.
func TestRoundTripAfterRandomEdits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 8)
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 8})
		if err != nil || len(page.Items) < 4 {
			t.Fatalf("households: %v", err)
		}
		for run := range 10 {
			e := &editor{t: t, db: db, rnd: rand.New(rand.NewPCG(uint64(run), 13)), seq: run * 100}
			for range 12 {
				a := page.Items[e.rnd.IntN(len(page.Items))].ID
				b := page.Items[e.rnd.IntN(len(page.Items))].ID
				if a != b {
					e.step(a, b)
				}
			}
			t.Logf("run %d: %q", run, e.log)
			file := export(t, db, "csv")
			res, err := importFile(t, db, file, exchange.ImportOptions{})
			if err != nil || res.Job.State != "done" || res.Job.Updated != 0 || res.Job.Written != 0 || len(res.Errors) != 0 {
				t.Fatalf("run %d after %q: own export back in: %+v %+v %v", run, e.log, res.Job, res.Errors, err)
			}
			fresh, err := importFile(t, dbtest.SQLite(t), file, exchange.ImportOptions{})
			if err != nil || fresh.Job.State != "done" || len(fresh.Errors) != 0 {
				t.Fatalf("run %d after %q: into an empty registry: %+v %+v %v", run, e.log, fresh.Job, fresh.Errors, err)
			}
		}
	})
}
