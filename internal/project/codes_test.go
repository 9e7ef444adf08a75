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
		if err := l.Check(); err != nil {
			t.Error(err)
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
