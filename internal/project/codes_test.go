package project

import (
	"testing"

	"fupin/internal/fupin"
)

// TestCodeLists checks the project and asset code lists: each is named and
// its codes and labels are unique; the type and status constants are in
// their lists, and Validate refuses what is not.
func TestCodeLists(t *testing.T) {
	for _, l := range []fupin.CodeList{Types, Subtypes, Sources, Statuses, AssetKinds, AssetOwners, AssetStatuses} {
		if l.Name == "" || l.Label == "" || len(l.Items) == 0 {
			t.Errorf("list %+v lacks a name, a label or items", l)
		}
		seen := map[string]bool{}
		for _, it := range l.Items {
			if it.Code == "" || it.Label == "" || seen["c"+it.Code] || seen["l"+it.Label] {
				t.Errorf("%s: item %+v is empty or repeats a code or label", l.Name, it)
			}
			seen["c"+it.Code], seen["l"+it.Label] = true, true
		}
	}
	for _, c := range []string{TypeInfrastructure, TypeIndustry, TypeEmployment, TypeOther} {
		if !Types.Has(c) {
			t.Errorf("type %s is not in Types", c)
		}
	}
	for _, c := range []string{StatusPlan, StatusApproved, StatusBuilding, StatusAccepted} {
		if !Statuses.Has(c) {
			t.Errorf("status %s is not in Statuses", c)
		}
	}
	if got := Statuses.LabelOf(StatusBuilding); got != "实施中" {
		t.Errorf("label of %s = %s", StatusBuilding, got)
	}
	if got := Sources.LabelOf("nowhere"); got != "nowhere" {
		t.Errorf("label of an unknown source = %s, want the code itself", got)
	}
}
