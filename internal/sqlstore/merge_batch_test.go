package sqlstore_test

import (
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// A file can name one registered household twice (by 户编号 and by a
// member's ID number): the second merge sees the first one's result, not
// the state read for the batch, so both apply.
func TestBulkLoadMergesSameHouseholdTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(20)); err != nil {
			t.Fatal(err)
		}
		nos, err := db.LiveHouseholdNos(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		target := nos[firstNo(nos)]
		before, err := db.Household(ctx, admin, target)
		if err != nil {
			t.Fatal(err)
		}
		st, err := db.BulkLoad(ctx, admin, "test.import", func(emit func(*fupin.Household) error) error {
			return demoHouseholds(20)(func(h *fupin.Household) error {
				h.ID = nos[h.HouseholdNo]
				if h.ID != target {
					return emit(h)
				}
				first := *h
				first.Members = append([]fupin.Member(nil), h.Members...)
				first.Address = "第一次导入的地址"
				if err := emit(&first); err != nil {
					return err
				}
				h.Address = "第二次导入的地址"
				h.Members[0].Phone = "13800000001"
				return emit(h)
			})
		})
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		if st.Updated != 2 || st.Unchanged != 19 {
			t.Errorf("stats %+v, want 2 updated, 19 unchanged", st)
		}
		after, err := db.Household(ctx, admin, target)
		if err != nil {
			t.Fatal(err)
		}
		if after.Address != "第二次导入的地址" || after.Members[0].Phone != "13800000001" || after.Version != before.Version+2 {
			t.Errorf("after: address %q phone %q version %d→%d", after.Address, after.Members[0].Phone, before.Version, after.Version)
		}
	})
}

// A household outside the actor's areas is not found by a merge, and the
// load writes nothing.
func TestBulkLoadMergeOutsideArea(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(3)); err != nil {
			t.Fatal(err)
		}
		nos, err := db.LiveHouseholdNos(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		target := nos[firstNo(nos)]
		h, err := db.Household(ctx, admin, target)
		if err != nil {
			t.Fatal(err)
		}
		other := fupin.Actor{Name: "外区管理员", Areas: []string{"110101"}}
		h.Address = "不应写入"
		_, err = db.BulkLoad(ctx, other, "test.import", func(emit func(*fupin.Household) error) error {
			return emit(h)
		})
		if fupin.ErrorCode(err) != fupin.ENotFound {
			t.Fatalf("merge outside the area: %v, want not_found", err)
		}
		if got, _ := db.Household(ctx, admin, target); got.Address == "不应写入" {
			t.Error("the household was written")
		}
	})
}

// benchReload loads n generated households once, then measures loading
// the same households again, matched by 户编号 (nothing changes): the
// re-import of a registry's own export. Compare people/s with
// BenchmarkBulkLoad*, the fresh load of the same rows.
func benchReload(b *testing.B, open func(t testing.TB) *sqlstore.DB, n int) {
	db := open(b)
	gen := func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: n, Seed: 1, Today: fupin.NewDate(2026, 11, 29)}, emit)
	}
	if _, err := db.BulkLoad(ctx, admin, "bench", gen); err != nil {
		b.Fatal(err)
	}
	nos, err := db.LiveHouseholdNos(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var people int
	start := time.Now()
	for i := 0; i < b.N; i++ {
		st, err := db.BulkLoad(ctx, admin, "bench", func(emit func(*fupin.Household) error) error {
			return gen(func(h *fupin.Household) error {
				h.ID = nos[h.HouseholdNo]
				people += len(h.Members)
				return emit(h)
			})
		})
		if err != nil {
			b.Fatal(err)
		}
		if st.Unchanged != n {
			b.Fatalf("reload: %+v, want %d unchanged", st, n)
		}
	}
	b.ReportMetric(float64(people)/time.Since(start).Seconds(), "people/s")
}

func BenchmarkReloadSQLite(b *testing.B)   { benchReload(b, dbtest.SQLite, 30000) }
func BenchmarkReloadPostgres(b *testing.B) { benchReload(b, dbtest.Postgres, 30000) }

// MatchIndex answers as LiveHouseholdNos and CurrentPeople do.
func TestMatchIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(40)); err != nil {
			t.Fatal(err)
		}
		nos, err := db.LiveHouseholdNos(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		people, err := db.CurrentPeople(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		x, err := db.MatchIndex(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		for no, want := range nos {
			if got, ok := x.Household(no); !ok || got != want {
				t.Errorf("household %s: %d, %v; want %d", no, got, ok, want)
			}
		}
		for idn, want := range people {
			if got, ok := x.Person(idn); !ok || got != want {
				t.Errorf("person %s: %d, %v; want %d", idn, got, ok, want)
			}
		}
		if len(nos) != 40 || len(people) < 40 {
			t.Errorf("%d households, %d people", len(nos), len(people))
		}
		if _, ok := x.Person("110101199001011234"); ok {
			t.Error("an unknown person is found")
		}
	})
}
