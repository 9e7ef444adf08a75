// Package asof reconstructs a household as it stood at a past moment from
// the live record and the audit entries written after that moment (issue 18,
// 按日期回看): every registry write stores, in its audit entry, what it
// replaced, so undoing the later entries newest first gives the earlier
// state without a snapshot. It is pure: the store reads the rows, this
// package applies them.
package asof

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"fupin/internal/fupin"
)

// China is the time zone a date is a day of (the registry's dates are
// Beijing dates).
var China = time.FixedZone("CST", 8*3600)

// Cutoff is the first instant after date d ends in Beijing time, in UTC: the
// state "as of d" holds every write committed before it and none after.
func Cutoff(d fupin.Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, China).UTC()
}

// Entry is one audit entry about a household, as the rewind needs it.
// Before is the recorded state the write replaced: the whole household for
// the household actions, one member for member.*, one income year for
// income.put; empty (or JSON null) when the write created it.
type Entry struct {
	ID       int64
	At       time.Time
	Action   string
	EntityID string
	Before   []byte
}

// RegistryActions are the audit actions whose entries change a household,
// its members or its income years, and therefore the ones Rewind undoes.
// Every registry write of the store records one of them (aid visits that
// fill 不愁吃/不愁穿 record household.update); bulk loads of new households
// record none, their rows' created_at says when they appeared.
var RegistryActions = []string{
	"household.create", "household.update", "household.delete", "household.import", "household.monitor",
	"member.add", "member.update", "member.leave", "member.relation", "income.put",
}

// wholeHousehold lists the actions whose Before is the whole household.
var wholeHousehold = map[string]bool{
	"household.create": true, "household.update": true, "household.delete": true,
	"household.import": true, "household.monitor": true,
}

// Rewind undoes entries (all written after the moment wanted, newest first)
// on h, the live household with its members and income years, and returns
// the household as it stood before the oldest of them; nil when the oldest
// created it (it did not exist then). previousAt is the time of the newest
// registry entry of the household before the moment (zero when none): the
// household's updated_at where a partial entry cannot tell it. Errors: an
// entry that cannot be read (a malformed Before).
func Rewind(h *fupin.Household, entries []Entry, previousAt time.Time) (*fupin.Household, error) {
	cur := *h
	cur.Members = append([]fupin.Member(nil), h.Members...)
	cur.Incomes = append([]fupin.IncomeYear(nil), h.Incomes...)
	// The oldest whole-household entry replaces everything newer: undo from
	// it on (one JSON document decoded, not one per later write).
	if k := oldestWhole(entries); k > 0 {
		entries = entries[k:]
	}
	for i, e := range entries {
		older := previousAt // the write before this one, other than a member.relation of the same write
		for _, o := range entries[i+1:] {
			if o.Action != "member.relation" {
				older = o.At
				break
			}
		}
		if older.IsZero() {
			older = cur.CreatedAt
		}
		empty := len(e.Before) == 0 || string(e.Before) == "null"
		switch {
		case wholeHousehold[e.Action] && empty:
			return nil, nil // household.create: before it, nothing
		case wholeHousehold[e.Action]:
			var b fupin.Household
			if err := json.Unmarshal(e.Before, &b); err != nil {
				return nil, fmt.Errorf("audit entry %d (%s): %w", e.ID, e.Action, err)
			}
			cur = b
			continue
		case e.Action == "income.put":
			if err := rewindIncome(&cur, e, empty); err != nil {
				return nil, err
			}
		case e.Action == "member.relation":
			// The other member of a change of 户主: the same write's own
			// entry carries the version and time.
			if err := rewindMember(&cur, e, empty); err != nil {
				return nil, err
			}
			continue
		default: // member.add, member.update, member.leave
			if err := rewindMember(&cur, e, empty); err != nil {
				return nil, err
			}
		}
		cur.Version--
		cur.UpdatedAt = older
	}
	finish(&cur)
	return &cur, nil
}

// oldestWhole is the index of the oldest whole-household entry, -1 when
// none is.
func oldestWhole(entries []Entry) int {
	for i := len(entries) - 1; i >= 0; i-- {
		if wholeHousehold[entries[i].Action] {
			return i
		}
	}
	return -1
}

// NeedsRows reports whether Rewind needs the live household's members and
// income years for entries: false when one of them holds the whole
// household, which replaces the live rows.
func NeedsRows(entries []Entry) bool { return oldestWhole(entries) < 0 }

func rewindIncome(h *fupin.Household, e Entry, empty bool) error {
	rows, err := rewindRow(h.Incomes, func(y fupin.IncomeYear) int { return y.Year }, e, empty, "year")
	if err == nil {
		h.Incomes = rows
	}
	return err
}

func rewindMember(h *fupin.Household, e Entry, empty bool) error {
	rows, err := rewindRow(h.Members, func(m fupin.Member) int64 { return m.ID }, e, empty, "member")
	if err == nil {
		h.Members = rows
	}
	return err
}

// rewindRow undoes entry e on a household's rows of one kind (income years
// by year, members by id): the row whose key is e's entity id (what names
// it in errors) is dropped and, unless the entry created it (empty), its
// Before takes its place.
func rewindRow[T any, K comparable](rows []T, key func(T) K, e Entry, empty bool, what string) ([]T, error) {
	var k K
	if _, err := fmt.Sscan(e.EntityID, &k); err != nil {
		return nil, fmt.Errorf("audit entry %d (%s): %s %q: %w", e.ID, e.Action, what, e.EntityID, err)
	}
	out := rows[:0:0]
	for _, r := range rows {
		if key(r) != k {
			out = append(out, r)
		}
	}
	if !empty {
		var b T
		if err := json.Unmarshal(e.Before, &b); err != nil {
			return nil, fmt.Errorf("audit entry %d (%s): %w", e.ID, e.Action, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// finish puts the rewound household in the order and shape the store reads
// a live one: current members first then by id, income years newest first
// and computed, head and size from the current members.
func finish(h *fupin.Household) {
	sort.SliceStable(h.Members, func(i, j int) bool {
		a, b := h.Members[i].Active(), h.Members[j].Active()
		if a != b {
			return a
		}
		return h.Members[i].ID < h.Members[j].ID
	})
	sort.SliceStable(h.Incomes, func(i, j int) bool { return h.Incomes[i].Year > h.Incomes[j].Year })
	if h.Members == nil {
		h.Members = []fupin.Member{}
	}
	if h.Incomes == nil {
		h.Incomes = []fupin.IncomeYear{}
	}
	h.HeadName, h.Size = "", 0
	for i := range h.Members {
		m := &h.Members[i]
		if !m.Active() {
			continue
		}
		h.Size++
		if m.Relation == "head" && h.HeadName == "" {
			h.HeadName = m.Name
		}
	}
	for i := range h.Incomes {
		h.Incomes[i].Compute(h.Members)
	}
	h.CreatedAt, h.UpdatedAt = h.CreatedAt.UTC(), h.UpdatedAt.UTC()
	if h.DeletedAt != nil {
		t := h.DeletedAt.UTC()
		h.DeletedAt = &t
	}
}

// Info tells the reader what an as-of answer is: the date, the instant it
// stands for, and whether the registry's history reaches back that far.
type Info struct {
	Date   fupin.Date `json:"date" description:"截至日期（含当日）"`
	Cutoff time.Time  `json:"cutoff" description:"还原到的时刻（截至日期次日 0 时，北京时间），此后的变更均已撤回"`
	// HistoryFrom is where the history starts: a household's registration;
	// for an area, its earliest registration, given when the date predates
	// it.
	HistoryFrom *time.Time `json:"history_from,omitempty" description:"变更记录的起点"`
	Predates    bool       `json:"predates_history" description:"截至日期早于变更记录的起点：当日状态无法还原"`
	Changed     int        `json:"changed" description:"截至日期之后有变更、已按变更记录还原的农户数"`
	Note        string     `json:"note" description:"给用户的说明"`
}

// Describe fills the notice a user reads with an as-of answer.
func Describe(d fupin.Date, historyFrom time.Time, changed int) Info {
	in := Info{Date: d, Cutoff: Cutoff(d), Changed: changed}
	if !historyFrom.IsZero() {
		t := historyFrom.UTC()
		in.HistoryFrom = &t
	}
	switch {
	case !historyFrom.IsZero() && !in.Cutoff.After(historyFrom):
		in.Predates = true
		in.Note = fmt.Sprintf("所选日期 %s 早于本系统变更记录的起点（%s）：此前的数据未在系统中登记，无法还原当日状态；以下只含当时已登记的记录。",
			d, fupin.DateOf(historyFrom.In(China)))
	default:
		in.Note = fmt.Sprintf("历史数据：截至 %s（北京时间当日 24 时）的状态，由当前数据撤回此后 %d 户的变更记录还原，不可修改。", d, changed)
	}
	return in
}

// HouseholdAsOf is a household as it stood at the end of a date.
type HouseholdAsOf struct {
	AsOf      Info             `json:"as_of"`
	Household *fupin.Household `json:"household"`
}
