package sqlstore_test

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/appraisal"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

func snap(t *testing.T, db *sqlstore.DB, actor fupin.Actor, area, name string) *appraisal.Snapshot {
	t.Helper()
	s, err := db.CreateSnapshot(ctx, actor, appraisal.Snapshot{Name: name, Year: 2025, AreaCode: area})
	if err != nil {
		t.Fatalf("snapshot %s: %v", name, err)
	}
	return s
}

func category(c *appraisal.Comparison, code string) appraisal.CategoryChange {
	for _, cc := range c.Categories {
		if cc.Code == code {
			return cc
		}
	}
	return appraisal.CategoryChange{}
}

// TestSnapshotFrozenAndShared: a snapshot keeps what it froze through later
// edits, deletions and new households; a second snapshot stores only the
// households that changed; the comparison names who moved and why.
func TestSnapshotFrozenAndShared(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) }
		var hs []*fupin.Household
		for i, v := range []string{tiantai, tiantai, wenchang} {
			h, err := db.CreateHousehold(ctx, admin, family(t, v, 100+10*i))
			if err != nil {
				t.Fatal(err)
			}
			if h, err = putIncome(db, h, 2025, 3000000); err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h)
		}
		s1 := snap(t, db, admin, pingan, "2025 年度基数")
		if s1.Households != 3 || s1.People != 9 || s1.NewRows != 3 || s1.AsOf != fupin.NewDate(2026, 3, 2) {
			t.Fatalf("first snapshot %+v", s1)
		}
		frozen, err := db.SnapshotHousehold(ctx, admin, s1.ID, hs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		live, _ := db.Household(ctx, admin, hs[0].ID)
		if diff := cmp.Diff(live, frozen); diff != "" {
			t.Fatalf("frozen household differs from live at snapshot time (-live +frozen):\n%s", diff)
		}
		frozen1, err := db.SnapshotHousehold(ctx, admin, s1.ID, hs[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		same, err := db.CompareSnapshots(ctx, admin, s1.ID, s1.ID)
		if err != nil {
			t.Fatal(err)
		}

		// Later: household 0's income falls below the line, household 2 is
		// deleted, a new one registers, household 1 is untouched.
		if _, err := putIncome(db, live, 2025, 100000); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteHousehold(ctx, admin, hs[2].ID, hs[2].Version, "重复登记"); err != nil {
			t.Fatal(err)
		}
		// A member change writes the member before the version: the copy
		// must still hold the member as it was.
		if _, err := db.UpdateMember(ctx, admin, hs[1].ID, hs[1].Members[2].ID, memberChange(hs[1], "谭小明")); err != nil {
			t.Fatal(err)
		}
		h4, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 200))
		if err != nil {
			t.Fatal(err)
		}
		s2 := snap(t, db, admin, pingan, "复核")
		if s2.Households != 3 || s2.NewRows != 3 {
			t.Fatalf("second snapshot %+v, want 3 households with 3 new verdict versions", s2)
		}
		// Nothing changed since: the third snapshot shares every row.
		s3 := snap(t, db, admin, pingan, "再核")
		if s3.Households != 3 || s3.NewRows != 0 {
			t.Fatalf("third snapshot %+v, want every row shared", s3)
		}
		if c, err := db.CompareSnapshots(ctx, admin, s2.ID, s3.ID); err != nil || c.VerdictChangeCount != 0 || category(c, "all").In != 0 {
			t.Fatalf("unchanged snapshots differ: %v %+v", err, c)
		}

		again, err := db.SnapshotHousehold(ctx, admin, s1.ID, hs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(frozen, again); diff != "" {
			t.Fatalf("a later edit changed the snapshot (-before +after):\n%s", diff)
		}
		again1, err := db.SnapshotHousehold(ctx, admin, s1.ID, hs[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(frozen1, again1); diff != "" || again1.Members[2].Name != "谭小军" {
			t.Fatalf("a member change reached the snapshot (-before +after):\n%s", diff)
		}
		if _, err := db.SnapshotHousehold(ctx, admin, s1.ID, hs[2].ID); err != nil {
			t.Fatalf("deleted household gone from the old snapshot: %v", err)
		}
		if _, err := db.SnapshotHousehold(ctx, admin, s2.ID, hs[2].ID); code(err) != fupin.ENotFound {
			t.Fatalf("deleted household in the new snapshot: %v", err)
		}
		sameAgain, _ := db.CompareSnapshots(ctx, admin, s1.ID, s1.ID)
		if diff := cmp.Diff(same, sameAgain); diff != "" {
			t.Fatalf("snapshot contents changed (-before +after):\n%s", diff)
		}

		c, err := db.CompareSnapshots(ctx, admin, s1.ID, s2.ID)
		if err != nil {
			t.Fatal(err)
		}
		all := category(c, "all")
		if all.Before != 3 || all.After != 3 || all.In != 1 || all.Out != 1 ||
			!cmp.Equal(all.InIDs, []int64{h4.ID}) || !cmp.Equal(all.OutIDs, []int64{hs[2].ID}) {
			t.Fatalf("all: %+v", all)
		}
		if c.VerdictChangeCount != 1 || c.VerdictChanges[0].HouseholdID != hs[0].ID {
			t.Fatalf("verdict changes %+v", c.VerdictChanges)
		}
		ch := c.VerdictChanges[0]
		var income *appraisal.ItemChange
		for i := range ch.Items {
			if ch.Items[i].Item == "income" {
				income = &ch.Items[i]
			}
		}
		if income == nil || income.Before != "pass" || income.After != "fail" || income.ReasonAfter == "" ||
			ch.PassBefore == nil || ch.PassAfter == nil || *ch.PassBefore != *ch.PassAfter {
			// Income below the line is an income risk, not a 两不愁三保障 failure.
			t.Fatalf("income change %+v in %+v", income, ch)
		}
	})
}

// TestSnapshotScope: snapshots are taken inside the caller's areas and seen
// only by callers whose areas hold the snapshot's area.
func TestSnapshotScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 300)); err != nil {
			t.Fatal(err)
		}
		village := fupin.Actor{Name: "cun", Areas: []string{tiantai}}
		other := fupin.Actor{Name: "wen", Areas: []string{wenchang}}
		township := fupin.Actor{Name: "xiang", Areas: []string{pingan}}
		if _, err := db.CreateSnapshot(ctx, village, appraisal.Snapshot{Year: 2025, AreaCode: pingan}); code(err) != fupin.EForbidden {
			t.Fatalf("village snapshots the township: %v", err)
		}
		if _, err := db.CreateSnapshot(ctx, admin, appraisal.Snapshot{Year: 1999, AreaCode: "50023x"}); code(err) != fupin.EInvalid {
			t.Fatalf("bad input: %v", err)
		}
		s := snap(t, db, township, pingan, "")
		v := snap(t, db, village, tiantai, "")
		if s.Name != "2025 年度快照（"+s.AsOf.String()+"）" {
			t.Fatalf("default name %q", s.Name)
		}
		for _, tc := range []struct {
			actor fupin.Actor
			want  []int64
		}{{admin, []int64{v.ID, s.ID}}, {township, []int64{v.ID, s.ID}}, {village, []int64{v.ID}}, {other, nil}} {
			list, err := db.Snapshots(ctx, tc.actor, "")
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, x := range list {
				ids = append(ids, x.ID)
			}
			if !cmp.Equal(ids, tc.want) {
				t.Errorf("%s sees %v, want %v", tc.actor.Name, ids, tc.want)
			}
		}
		if _, err := db.Snapshot(ctx, village, s.ID); code(err) != fupin.ENotFound {
			t.Fatalf("village reads the township snapshot: %v", err)
		}
		if _, err := db.CompareSnapshots(ctx, other, v.ID, v.ID); code(err) != fupin.ENotFound {
			t.Fatalf("other village compares: %v", err)
		}
		if _, err := db.CompareSnapshots(ctx, admin, v.ID, s.ID); code(err) != fupin.EInvalid {
			t.Fatalf("different areas compared: %v", err)
		}
	})
}

// putIncome records a year's wages (fen) and returns the household after.
func putIncome(db *sqlstore.DB, h *fupin.Household, year int, wage int64) (*fupin.Household, error) {
	if _, err := db.PutIncome(ctx, admin, h.ID, year, fupin.IncomeInput{Version: h.Version, Wage: fupin.Money(wage)}); err != nil {
		return nil, err
	}
	return db.Household(ctx, admin, h.ID)
}

// memberChange renames the household's third member.
func memberChange(h *fupin.Household, name string) sqlstore.MemberChange {
	m := h.Members[2]
	m.Name = name
	return sqlstore.MemberChange{Version: h.Version, Member: m}
}

// TestSnapshotBesideWriters (PostgreSQL; SQLite has one writer): a household
// changed by another server while a snapshot is being taken is written at
// once, not after the snapshot, and the snapshot still holds it as it was
// when the snapshot read the registry; a write under way when the snapshot
// starts is waited for and included.
func TestSnapshotBesideWriters(t *testing.T) {
	dbtest.EachPair(t, func(t *testing.T, db, other *sqlstore.DB) {
		if db.Dialect() != sqlstore.Postgres {
			t.Skip("SQLite has one writer: a snapshot excludes every write")
		}
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 400))
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.Household(ctx, admin, h.ID)
		wrote := make(chan error, 1)
		db.OnSnapshotRead(func() {
			done := make(chan error, 1)
			go func() {
				_, err := other.UpdateMember(ctx, admin, h.ID, h.Members[2].ID, memberChange(h, "谭小明"))
				done <- err
			}()
			select {
			case err := <-done:
				wrote <- err
			case <-time.After(20 * time.Second):
				wrote <- errors.New("the member change waited for the snapshot")
			}
		})
		s := snap(t, db, admin, pingan, "并发")
		db.OnSnapshotRead(nil)
		if err := <-wrote; err != nil {
			t.Fatalf("writer during the snapshot: %v", err)
		}
		// The snapshot's audit entry follows the writer's, which committed
		// after the snapshot's REPEATABLE READ view was taken.
		if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
			t.Fatalf("audit chain after a write during a snapshot: %d entries, %+v, %v", n, problem, err)
		}
		frozen, err := db.SnapshotHousehold(ctx, admin, s.ID, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, frozen); diff != "" {
			t.Fatalf("snapshot lost the household as it was read (-before +frozen):\n%s", diff)
		}

		// A transaction that changed a member but has not bumped the
		// version yet when the snapshot starts: the snapshot waits for it.
		raw, err := sql.Open("pgx", db.DSN())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		w, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Rollback()
		if _, err := w.Exec(`UPDATE members SET name = '谭小华' WHERE household_id = $1 AND relation = 'son'`, h.ID); err != nil {
			t.Fatal(err)
		}
		got := make(chan *appraisal.Snapshot, 1)
		go func() {
			s, err := db.CreateSnapshot(ctx, admin, appraisal.Snapshot{Name: "等待", Year: 2025, AreaCode: pingan})
			if err != nil {
				t.Error(err)
			}
			got <- s
		}()
		select {
		case <-got:
			t.Fatal("snapshot did not wait for the write under way")
		case <-time.After(300 * time.Millisecond):
		}
		if _, err := w.Exec(`UPDATE households SET version = version + 1 WHERE id = $1`, h.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		s2 := <-got
		if s2 == nil {
			return
		}
		// An announcement left by a process that died is cleared by the
		// next snapshot.
		if err := db.Exec(`INSERT INTO appraisal_snapshot_open (area_code, started_at) VALUES ('500236', $1)`,
			time.Now().Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		snap(t, db, admin, pingan, "清理")
		var left int
		if err := db.QueryRow(`SELECT COUNT(*) FROM appraisal_snapshot_open`, &left); err != nil || left != 0 {
			t.Fatalf("announcements left after a snapshot: %d, %v", left, err)
		}
		later, err := db.SnapshotHousehold(ctx, admin, s2.ID, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if later.Members[2].Name != "谭小华" {
			t.Fatalf("snapshot after the write holds %q", later.Members[2].Name)
		}
	})
}
