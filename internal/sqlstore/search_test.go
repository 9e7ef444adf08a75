package sqlstore_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// search lists the ids of the live households q finds.
func search(t *testing.T, db *sqlstore.DB, q string) []int64 {
	t.Helper()
	page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Query: q, Limit: 500})
	if err != nil {
		t.Fatalf("q=%s: %v", q, err)
	}
	ids := []int64{}
	for _, h := range page.Items {
		ids = append(ids, h.ID)
	}
	if page.Total != len(ids) {
		t.Errorf("q=%s: total %d, %d items", q, page.Total, len(ids))
	}
	return ids
}

// TestSearchEveryCurrentMember checks name and ID search: any part of any
// current member's name (one character or more), the last 4–6 characters
// of a current member's ID number, and ID and 户编号 prefixes; and that the
// index follows member changes, deletion, bulk loads and merges.
func TestSearchEveryCurrentMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC) }
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 400))
		if err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 500))
		if err != nil {
			t.Fatal(err)
		}
		spouse := h.Members[1] // 向春梅, not the head
		one, both := []int64{h.ID}, []int64{h.ID, other.ID}
		idn := spouse.IDNumber
		for q, want := range map[string][]int64{
			"春梅": both, "向春梅": both, "梅": both, "谭小军": both, "谭": both,
			idn[len(idn)-4:]: one, idn[len(idn)-5:]: one, idn[len(idn)-6:]: one, idn[:15]: one, idn: one,
			"春梅X": {}, "梅向": {}, "": both,
		} {
			if got := search(t, db, q); !cmp.Equal(got, want) {
				t.Errorf("q=%q: %v, want %v", q, got, want)
			}
		}
		// Renamed: the new name is found, the old is not.
		spouse.Name = "向秋菊"
		h, err = db.UpdateMember(ctx, admin, h.ID, spouse.ID, sqlstore.MemberChange{Version: h.Version, Member: spouse})
		if err != nil {
			t.Fatal(err)
		}
		if got := search(t, db, "秋菊"); !cmp.Equal(got, one) {
			t.Errorf("after rename, q=秋菊: %v", got)
		}
		if got := search(t, db, "春梅"); !cmp.Equal(got, []int64{other.ID}) {
			t.Errorf("after rename, q=春梅: %v", got)
		}
		// Left: no longer found by name or ID suffix.
		_, err = db.LeaveMember(ctx, admin, h.ID, spouse.ID, fupin.MemberLeave{Version: h.Version, LeftOn: fupin.NewDate(2026, 1, 1), Reason: "move_out"})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"秋菊", idn[len(idn)-6:]} {
			if got := search(t, db, q); len(got) != 0 {
				t.Errorf("after leaving, q=%s: %v", q, got)
			}
		}
		// Deleted: gone from the live list.
		if err := db.DeleteHousehold(ctx, admin, other.ID, other.Version, "测试"); err != nil {
			t.Fatal(err)
		}
		if got := search(t, db, "春梅"); len(got) != 0 {
			t.Errorf("after delete, q=春梅: %v", got)
		}
	})
}

// TestSearchMatchesSubstringsAfterLoad compares search with a brute-force
// substring match over every current member of households written by a
// bulk load and then merged with renamed members.
func TestSearchMatchesSubstringsAfterLoad(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(120)); err != nil {
			t.Fatal(err)
		}
		nos, err := db.LiveHouseholdNos(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		// Rename the head of every tenth household in a re-import.
		if _, err := db.BulkLoad(ctx, admin, "test.import", func(emit func(*fupin.Household) error) error {
			i := 0
			return demoHouseholds(120)(func(h *fupin.Household) error {
				h.ID = nos[h.HouseholdNo]
				if i++; i%10 == 0 {
					h.Members[0].Name = "改名" + h.Members[0].Name
				}
				return emit(h)
			})
		}); err != nil {
			t.Fatal(err)
		}
		var people []fupin.Member
		for _, id := range nos {
			h, err := db.Household(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range h.Members {
				if m.Active() {
					people = append(people, m)
				}
			}
		}
		queries := map[string]bool{"改名": true}
		for i, m := range people {
			r := []rune(m.Name)
			if i%7 == 0 {
				queries[string(r[len(r)-2:])] = true
				queries[string(r[:1])] = true
				queries[m.IDNumber[len(m.IDNumber)-4:]] = true
			}
		}
		for q := range queries {
			want := map[int64]bool{}
			for _, m := range people {
				if strings.Contains(m.Name, q) || len(q) >= 4 && len(q) <= 6 && strings.HasSuffix(m.IDNumber, q) ||
					len(q) >= 10 && strings.HasPrefix(m.IDNumber, q) {
					want[m.HouseholdID] = true
				}
			}
			got := search(t, db, q)
			wantIDs := []int64{}
			for id := range want {
				wantIDs = append(wantIDs, id)
			}
			sort.Slice(wantIDs, func(i, j int) bool { return wantIDs[i] < wantIDs[j] })
			if len(wantIDs) <= 500 && !cmp.Equal(got, wantIDs) {
				t.Errorf("q=%s: %d households, want %d", q, len(got), len(wantIDs))
			}
		}
	})
}

// TestListSortsAndTotals checks every sort the list offers, both ways, in
// a village and across the township (where SQLite walks the sort's own
// index), against the same households sorted here, page by page; and that
// the memoised totals follow writes.
func TestListSortsAndTotals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(90)); err != nil {
			t.Fatal(err)
		}
		all, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		village := all.Items[0].VillageCode
		for _, area := range []string{"500236266", village} {
			var in []fupin.Household
			for _, h := range all.Items {
				if strings.HasPrefix(h.VillageCode, area) {
					in = append(in, h)
				}
			}
			for _, col := range fupin.HouseholdSorts {
				for _, desc := range []bool{false, true} {
					sortBy := col
					if desc {
						sortBy = "-" + col
					}
					want := sortedIDs(in, col, desc)
					var got []int64
					for off := 0; off < len(in); off += 7 {
						page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: area, Sort: sortBy, Limit: 7, Offset: off})
						if err != nil {
							t.Fatal(err)
						}
						if page.Total != len(in) {
							t.Fatalf("area %s sort %s: total %d, want %d", area, sortBy, page.Total, len(in))
						}
						for _, h := range page.Items {
							got = append(got, h.ID)
						}
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("area %s sort %s (-want +got):\n%s", area, sortBy, diff)
					}
				}
			}
		}
		// A write moves the memoised total.
		h := all.Items[0]
		full, err := db.Household(ctx, admin, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteHousehold(ctx, admin, h.ID, full.Version, "测试"); err != nil {
			t.Fatal(err)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: "500236266", Limit: 7, Offset: 7})
		if err != nil || page.Total != len(all.Items)-1 {
			t.Errorf("after a delete: total %d, %v; want %d", page.Total, err, len(all.Items)-1)
		}
	})
}

func sortedIDs(hs []fupin.Household, col string, desc bool) []int64 {
	key := func(h fupin.Household) string {
		switch col {
		case "household_no":
			return h.HouseholdNo
		case "village_code":
			return h.VillageCode
		case "head_name":
			return h.HeadName
		case "size":
			return fmt.Sprintf("%03d", h.Size)
		case "updated_at":
			return h.UpdatedAt.UTC().Format(time.RFC3339Nano)
		}
		return ""
	}
	s := append([]fupin.Household(nil), hs...)
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if desc {
			a, b = b, a
		}
		if ka, kb := key(a), key(b); ka != kb {
			return ka < kb
		}
		return a.ID < b.ID
	})
	ids := make([]int64, len(s))
	for i, h := range s {
		ids[i] = h.ID
	}
	return ids
}

// TestSearchPagesInIDOrder pages through searches in id order, both ways,
// in the township, a village and the whole registry, live and deleted
// (PostgreSQL reads these through the matches' ids in order: see
// searchPageQuery), against the same search's households sorted by 户编号
// and put in id order here.
func TestSearchPagesInIDOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(120)); err != nil {
			t.Fatal(err)
		}
		all, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		first, err := db.Household(ctx, admin, all.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		head := []rune(first.Members[0].Name)
		idn := first.Members[0].IDNumber
		for _, h := range all.Items[:30] { // deleted households are searched in their own list
			if h.ID%3 == 0 {
				if err := db.DeleteHousehold(ctx, admin, h.ID, h.Version, "测试"); err != nil {
					t.Fatal(err)
				}
			}
		}
		village := first.VillageCode
		for _, q := range []string{string(head[:1]), string(head[1:]), idn[len(idn)-4:], idn[:10], "无此人"} {
			for _, area := range []string{"", "500236266", village} {
				for _, deleted := range []bool{false, true} {
					f := fupin.HouseholdFilter{Area: area, Query: q, Deleted: deleted, Sort: "household_no", Limit: 500}
					set, err := db.ListHouseholds(ctx, admin, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, desc := range []bool{false, true} {
						want := sortedIDs(set.Items, "id", desc)
						f.Sort, f.Limit = "id", 4
						if desc {
							f.Sort = "-id"
						}
						got := []int64{}
						for f.Offset = 0; f.Offset < len(want)+4; f.Offset += 4 {
							page, err := db.ListHouseholds(ctx, admin, f)
							if err != nil {
								t.Fatal(err)
							}
							if page.Total != len(want) {
								t.Fatalf("q=%s area=%s deleted=%v sort=%s: total %d, want %d", q, area, deleted, f.Sort, page.Total, len(want))
							}
							for _, h := range page.Items {
								got = append(got, h.ID)
							}
						}
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("q=%s area=%s deleted=%v sort=%s (-want +got):\n%s", q, area, deleted, f.Sort, diff)
						}
					}
				}
			}
		}
	})
}
