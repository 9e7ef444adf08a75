package auth

import (
	"slices"
	"testing"
)

func TestCapabilities(t *testing.T) {
	for _, tc := range []struct {
		role  Role
		areas []string
		want  []Capability
	}{
		{RoleAdmin, []string{""}, []Capability{CapWrite, CapTownshipWrite, CapUsers, CapPolicy, CapAdmin, CapAudit, CapIdentity}},
		{RoleCounty, []string{"500236"}, []Capability{CapUsers, CapAudit}},
		{RoleTownship, []string{"500236266"}, []Capability{CapWrite, CapTownshipWrite, CapIdentity}},
		{RoleVillage, []string{"500236266200"}, []Capability{CapWrite, CapIdentity}},
		{RoleVillage, []string{"500236266200", "500236266201"}, []Capability{CapWrite, CapIdentity}},
		{RoleAidUnit, []string{"500236266"}, []Capability{}},
		{RoleInspector, []string{"500236"}, []Capability{}},
	} {
		if got := tc.role.Capabilities(tc.areas); !slices.Equal(got, tc.want) {
			t.Errorf("%s %v: %v, want %v", tc.role, tc.areas, got, tc.want)
		}
	}
}
