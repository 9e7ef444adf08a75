package appraisal

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/fupin"
)

func entry(id int64, typ, monitor string, pass bool, income string) Entry {
	e := Entry{HouseholdID: id, HouseholdType: typ, MonitorType: monitor, HasVerdict: true, Pass: pass}
	for i := range e.Statuses {
		e.Statuses[i] = "pass"
	}
	e.Statuses[7] = income
	if income != "pass" {
		e.Reasons = map[string]string{"income": "人均纯收入低于监测线"}
	}
	return e
}

func TestCompareCountsMovesAndVerdicts(t *testing.T) {
	from := []Entry{
		entry(1, "ex_poor", "", true, "pass"),
		entry(2, "ex_poor", "unstable", true, "fail"),
		entry(3, "ordinary", "", true, "pass"),
	}
	to := []Entry{
		entry(1, "ex_poor", "marginal", true, "fail"), // became monitored, income fell
		{HouseholdID: 2, HouseholdType: "ex_poor", MonitorType: "unstable", Eliminated: true, HasVerdict: true, Pass: true,
			Statuses: [8]string{"pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass"}},
		entry(4, "ordinary", "", false, "pass"), // new; 3 deleted
	}
	c := Compare(7, 8, from, to)
	got := map[string][4]int{}
	for _, cc := range c.Categories {
		got[cc.Code] = [4]int{cc.Before, cc.After, cc.In, cc.Out}
		if cc.After-cc.Before != cc.In-cc.Out {
			t.Errorf("%s: after − before ≠ in − out: %+v", cc.Code, cc)
		}
	}
	want := map[string][4]int{
		"all": {3, 3, 1, 1}, "ex_poor": {2, 2, 0, 0}, "ordinary": {1, 1, 1, 1},
		"monitored": {1, 1, 1, 1}, "monitor_unstable": {1, 0, 0, 1}, "monitor_marginal": {0, 1, 1, 0},
		"monitor_sudden": {0, 0, 0, 0}, "eliminated": {0, 1, 1, 0},
		"verdict_pass": {3, 2, 0, 1}, "verdict_fail": {0, 1, 1, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("categories (-want +got):\n%s", diff)
	}
	if c.VerdictChangeCount != 2 || c.VerdictChanges[0].HouseholdID != 1 || c.VerdictChanges[1].HouseholdID != 2 {
		t.Fatalf("verdict changes %+v", c.VerdictChanges)
	}
	want1 := []ItemChange{{Item: "income", Name: "收入", Before: "pass", After: "fail", ReasonAfter: "人均纯收入低于监测线"}}
	if diff := cmp.Diff(want1, c.VerdictChanges[0].Items); diff != "" {
		t.Fatalf("household 1 (-want +got):\n%s", diff)
	}
	if r := c.VerdictChanges[1].Items[0]; r.ReasonBefore == "" || r.ReasonAfter != "" {
		t.Fatalf("household 2 keeps the earlier reason: %+v", r)
	}
}

func TestCompareListsAreBounded(t *testing.T) {
	var to []Entry
	for i := range MaxListed + 50 {
		to = append(to, entry(int64(i+1), "ex_poor", "", true, "pass"))
	}
	c := Compare(1, 2, nil, to)
	all := c.Categories[0]
	if all.In != MaxListed+50 || len(all.InIDs) != MaxListed {
		t.Fatalf("in %d listed %d", all.In, len(all.InIDs))
	}
}

func TestSnapshotNormalize(t *testing.T) {
	today := fupin.NewDate(2026, 3, 2)
	s := Snapshot{Year: 2025, AreaCode: "500236266"}
	if err := s.Normalize(today); err != nil || s.AsOf != today || s.Name != "2025 年度快照（2026-03-02）" {
		t.Fatalf("defaults: %v %+v", err, s)
	}
	bad := Snapshot{Name: strings.Repeat("名", 101), Year: 2012, AreaCode: "5002a", AsOf: fupin.NewDate(2026, 3, 3)}
	err := bad.Normalize(today)
	var fe *fupin.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v", err)
	}
	fields := fe.Fields
	for _, f := range []string{"name", "year", "area_code", "as_of"} {
		if fields[f] == "" {
			t.Errorf("no error on %s: %v", f, err)
		}
	}
}

// TestCountCategories counts only the area's entries, each in every
// category it belongs to.
func TestCountCategories(t *testing.T) {
	es := []Entry{
		{HouseholdID: 1, VillageCode: "500236266200", HouseholdType: "ex_poor", HasVerdict: true, Pass: true},
		{HouseholdID: 2, VillageCode: "500236266201", HouseholdType: "ordinary", HasVerdict: true},
		{HouseholdID: 3, VillageCode: "500236267200", HouseholdType: "ex_poor"},
	}
	got := map[string]int{}
	for _, c := range CountCategories(es, "500236266") {
		got[c.Code] = c.Households
	}
	want := map[string]int{"all": 2, "ex_poor": 1, "ordinary": 1, "verdict_pass": 1, "verdict_fail": 1}
	for code, n := range want {
		if got[code] != n {
			t.Errorf("%s = %d, want %d (all: %v)", code, got[code], n, got)
		}
	}
}
