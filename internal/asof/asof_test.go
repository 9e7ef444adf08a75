package asof

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/fupin"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func at(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }

func TestCutoffIsTheEndOfTheBeijingDay(t *testing.T) {
	got := Cutoff(fupin.NewDate(2025, 12, 31))
	if want := time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Cutoff(2025-12-31) = %s, want %s", got, want)
	}
}

// TestRewind undoes each kind of entry on a household whose history is
// known at every step, and checks the result against the state written
// down before the undone writes.
func TestRewind(t *testing.T) {
	head := fupin.Member{ID: 1, HouseholdID: 9, Name: "谭德明", Relation: "head"}
	spouse := fupin.Member{ID: 2, HouseholdID: 9, Name: "向春梅", Relation: "spouse"}
	child := fupin.Member{ID: 3, HouseholdID: 9, Name: "谭小军", Relation: "son"}
	y2025 := fupin.IncomeYear{HouseholdID: 9, Year: 2025, Wage: 1000000}
	// Day 1: created (version 1) with head and spouse; day 2: address edited (version 2).
	v2 := fupin.Household{ID: 9, VillageCode: "500236266200", Address: "旧址", Version: 2, CreatedAt: at(1, 1), UpdatedAt: at(2, 1),
		HeadName: "谭德明", Size: 2, Members: []fupin.Member{head, spouse}, Incomes: []fupin.IncomeYear{}}
	v1 := v2
	v1.Address, v1.Version, v1.UpdatedAt = "", 1, at(1, 1)
	// Day 3: a child added (v3), an income (v4); day 4: the spouse made
	// head, the old head becoming spouse (v5); day 5: moved village (v6).
	live := v2
	leftChild := child
	newHead, oldHead := spouse, head
	newHead.Relation, oldHead.Relation = "head", "spouse"
	live.Members = []fupin.Member{oldHead, newHead, leftChild}
	live.Incomes = []fupin.IncomeYear{y2025}
	live.VillageCode, live.Version, live.UpdatedAt, live.HeadName, live.Size = "500236266202", 6, at(5, 1), "向春梅", 3
	v5 := live
	v5.VillageCode, v5.Version, v5.UpdatedAt = "500236266200", 5, at(4, 1)
	entries := []Entry{
		{ID: 8, At: at(5, 1), Action: "household.update", EntityID: "9", Before: mustJSON(t, v5)},
		{ID: 7, At: at(4, 1), Action: "member.update", EntityID: "2", Before: mustJSON(t, spouse)},
		{ID: 6, At: at(4, 1), Action: "member.relation", EntityID: "1", Before: mustJSON(t, head)},
		{ID: 5, At: at(3, 2), Action: "income.put", EntityID: "2025", Before: []byte("null")},
		{ID: 4, At: at(3, 1), Action: "member.add", EntityID: "3"},
		{ID: 3, At: at(2, 1), Action: "household.update", EntityID: "9", Before: mustJSON(t, v1)},
		{ID: 1, At: at(1, 1), Action: "household.create", EntityID: "9"},
	}
	eq := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	for _, c := range []struct {
		name  string
		after int // entries[:after] are undone
		want  *fupin.Household
	}{
		{"nothing later", 0, &live},
		{"the move", 1, &v5},
		{"the change of head, its two entries", 3, func() *fupin.Household {
			h := v5
			h.Members = []fupin.Member{head, spouse, child}
			h.Version, h.UpdatedAt, h.HeadName = 4, at(3, 2), "谭德明"
			return &h
		}()},
		{"the income", 4, func() *fupin.Household {
			h := v5
			h.Members = []fupin.Member{head, spouse, child}
			h.Incomes = []fupin.IncomeYear{}
			h.Version, h.UpdatedAt, h.HeadName = 3, at(3, 1), "谭德明"
			return &h
		}()},
		{"the child", 5, func() *fupin.Household {
			h := v2
			h.Members = []fupin.Member{head, spouse}
			return &h
		}()},
		{"the address", 6, &v1},
		{"the creation", 7, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The entry before the undone ones gives updated_at where a
			// partial entry cannot.
			previous := time.Time{}
			if c.after < len(entries) {
				previous = entries[c.after].At
			}
			got, err := Rewind(&live, entries[:c.after], previous)
			if err != nil {
				t.Fatal(err)
			}
			if c.want != nil {
				want := *c.want
				for i := range want.Incomes {
					want.Incomes[i].Compute(want.Members)
				}
				c.want = &want
			}
			if got != nil {
				for i := range got.Incomes {
					got.Incomes[i].Compute(got.Members)
				}
			}
			if diff := cmp.Diff(c.want, got, eq); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if len(live.Members) != 3 || live.Members[1].Relation != "head" {
		t.Errorf("Rewind changed the live household: %+v", live.Members)
	}
}

func TestRewindRefusesMalformedEntries(t *testing.T) {
	h := &fupin.Household{ID: 1, Members: []fupin.Member{{ID: 1}}}
	for _, e := range []Entry{
		{ID: 5, Action: "household.update", Before: []byte("{")},
		{ID: 6, Action: "member.update", EntityID: "x", Before: []byte("{}")},
		{ID: 7, Action: "income.put", EntityID: "2025", Before: []byte("[")},
	} {
		if _, err := Rewind(h, []Entry{e}, time.Time{}); err == nil || !strings.Contains(err.Error(), "audit entry") {
			t.Errorf("%s: err = %v", e.Action, err)
		}
	}
}

func TestDescribe(t *testing.T) {
	d := fupin.NewDate(2026, 3, 2)
	from := at(5, 1)
	got := Describe(d, from, 0)
	if !got.Predates || !strings.Contains(got.Note, "早于") || !strings.Contains(got.Note, "2026-03-05") {
		t.Errorf("before the history: %+v", got)
	}
	got = Describe(d, at(1, 1), 3)
	if got.Predates || !strings.Contains(got.Note, "3 户") || !got.Cutoff.Equal(at(2, 16)) {
		t.Errorf("within the history: %+v", got)
	}
}
