package auth

import (
	"errors"
	"testing"
)

func TestParseRole(t *testing.T) {
	tests := []struct {
		in      string
		want    Role
		wantErr bool
	}{
		{"admin", RoleAdmin, false},
		{"county", RoleCounty, false},
		{"township", RoleTownship, false},
		{"village", RoleVillage, false},
		{"aid_unit", RoleAidUnit, false},
		{"inspector", RoleInspector, false},
		{" Admin\t", RoleAdmin, false},
		{"AID_UNIT", RoleAidUnit, false},
		{"", "", true},
		{"root", "", true},
		{"aid-unit", "", true},
		{"系统管理员", "", true},
	}
	for _, tt := range tests {
		got, err := ParseRole(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Field != "role" || e.Message == "" {
				t.Errorf("ParseRole(%q) error = %#v, want *Error for field role", tt.in, err)
			}
		}
	}
}

func TestRolesRoundTrip(t *testing.T) {
	got := Roles()
	if len(got) != 6 {
		t.Fatalf("len(Roles()) = %d, want 6", len(got))
	}
	got[0] = "mutated"
	if Roles()[0] != RoleAdmin {
		t.Errorf("Roles() shares its backing array with the caller")
	}
	seen := map[string]bool{}
	for _, r := range Roles() {
		p, err := ParseRole(r.String())
		if err != nil || p != r {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", r, p, err, r)
		}
		if !r.Valid() {
			t.Errorf("%q.Valid() = false", r)
		}
		if l := r.Label(); l == "未知角色" || seen[l] {
			t.Errorf("%q.Label() = %q, want a unique known label", r, l)
		}
		seen[r.Label()] = true
	}
}

func TestRoleCapabilities(t *testing.T) {
	type caps struct {
		label                                       string
		write, manageUsers, seesIdentity, setPolicy bool
	}
	tests := []struct {
		role Role
		want caps
	}{
		{RoleAdmin, caps{"系统管理员", true, true, true, true}},
		{RoleCounty, caps{"县级用户", false, true, false, false}},
		{RoleTownship, caps{"乡镇指挥部办公室", true, false, true, false}},
		{RoleVillage, caps{"村级干部", true, false, true, false}},
		{RoleAidUnit, caps{"帮扶单位", false, false, false, false}},
		{RoleInspector, caps{"督查评估", false, false, false, false}},
		{Role("bogus"), caps{"未知角色", false, false, false, false}},
		{Role(""), caps{"未知角色", false, false, false, false}},
	}
	for _, tt := range tests {
		r := tt.role
		got := caps{r.Label(), r.CanWrite(), r.CanManageUsers(), r.SeesIdentity(), r.CanSetPolicy()}
		if got != tt.want {
			t.Errorf("role %q: got %+v, want %+v", r, got, tt.want)
		}
	}
}
