package httpapi_test

import "fupin/internal/auth"

// matrixRoles are the callers of the role × area tests (aid, monitoring,
// ledger): each role with an area of its level in 奉节县 平安乡, and the
// village whose records are "inside" for it (an aid unit's own village).
// Each test creates its "outside" records in another county.
var matrixRoles = []struct {
	role          auth.Role
	area, village string
}{
	{auth.RoleAdmin, "", "500236266200"},
	{auth.RoleCounty, "500236", "500236266200"},
	{auth.RoleTownship, "500236266", "500236266200"},
	{auth.RoleVillage, "500236266200", "500236266200"},
	{auth.RoleAidUnit, "500236266208", "500236266208"},
	{auth.RoleInspector, "500236266", "500236266200"},
}
