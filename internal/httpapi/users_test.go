package httpapi_test

import (
	"fmt"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// roleAreas are areas of each role's own level inside 平安乡's county.
var roleAreas = map[auth.Role]string{
	auth.RoleAdmin: "", auth.RoleCounty: "500236", auth.RoleTownship: "500236266",
	auth.RoleVillage: "500236266200", auth.RoleAidUnit: "500236266208", auth.RoleInspector: "500236266",
}

// TestUserManagementMatrix tries every role against every role: create an
// account of that role, change it, reset its password and disable it. Only
// an administrator manages every role; a county user manages aid units and
// inspectors of its county (the roles with no right it lacks); everyone
// else is refused. An administrator's account lies outside a county user's
// area, so it is not found.
func TestUserManagementMatrix(t *testing.T) {
	manages := map[auth.Role]map[auth.Role]bool{
		auth.RoleAdmin:  {auth.RoleAdmin: true, auth.RoleCounty: true, auth.RoleTownship: true, auth.RoleVillage: true, auth.RoleAidUnit: true, auth.RoleInspector: true},
		auth.RoleCounty: {auth.RoleAidUnit: true, auth.RoleInspector: true},
	}
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		for _, caller := range auth.Roles() {
			me := &client{t: t, srv: srv, token: newToken(t, db, "caller-"+string(caller), string(caller), roleAreas[caller])}
			for _, target := range auth.Roles() {
				name := fmt.Sprintf("t-%s-%s", caller, target)
				area := roleAreas[target]
				mustDo(t, admin, 201, "POST", "/api/v1/users", fmt.Sprintf(`{"username":%q,"role":%q,"areas":[%q],"password":"Pingan-2026-secure"}`, name, target, area))
				ok := manages[caller][target]
				want := map[bool]int{true: 201, false: 403}[ok]
				if s, body := me.do("POST", "/api/v1/users", fmt.Sprintf(`{"username":"n-%s","role":%q,"areas":[%q],"password":"Pingan-2026-secure"}`, name, target, area)); s != want {
					t.Errorf("%s creates %s = %d %v, want %d", caller, target, s, body, want)
				}
				want = map[bool]int{true: 204, false: 403}[ok]
				if caller == auth.RoleCounty && target == auth.RoleAdmin {
					want = 404
				}
				for _, change := range []string{fmt.Sprintf(`{"role":%q,"areas":[%q]}`, target, area), `{"password":"Another-2026-secret"}`, `{"disabled":true}`} {
					if s, body := me.do("PUT", "/api/v1/users/"+name, change); s != want {
						t.Errorf("%s PUT %s %s = %d %v, want %d", caller, target, change, s, body, want)
					}
				}
			}
		}
	})
}

// TestUserGrantsStayWithinRights covers the escalations the matrix cannot
// show: a county user binding an account to a whole county, or moving one
// out of its county or up to a writing role, and area levels.
func TestUserGrantsStayWithinRights(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		county := &client{t: t, srv: srv, token: newToken(t, db, "奉节", "county", "500236")}
		mustDo(t, county, 201, "POST", "/api/v1/users", `{"username":"insp","role":"inspector","areas":["500236266"],"password":"Pingan-2026-secure"}`)
		tests := []struct {
			who                *client
			method, path, body string
			want               int
			field              string
		}{
			{county, "POST", "/api/v1/users", `{"username":"x1","role":"township","areas":["500236"],"password":"Pingan-2026-secure"}`, 403, ""},
			{admin, "POST", "/api/v1/users", `{"username":"x2","role":"township","areas":["500236"],"password":"Pingan-2026-secure"}`, 400, "areas[0]"},
			{admin, "POST", "/api/v1/users", `{"username":"x3","role":"village","areas":["500236266"],"password":"Pingan-2026-secure"}`, 400, "areas[0]"},
			{admin, "POST", "/api/v1/users", `{"username":"x4","role":"county","areas":["500236266"],"password":"Pingan-2026-secure"}`, 400, "areas[0]"},
			{admin, "POST", "/api/v1/users", `{"username":"x5","role":"aid_unit","areas":[""],"password":"Pingan-2026-secure"}`, 400, "areas[0]"},
			{county, "POST", "/api/v1/users", `{"username":"x6","role":"inspector","areas":["500237"],"password":"Pingan-2026-secure"}`, 403, ""},
			{county, "PUT", "/api/v1/users/insp", `{"areas":["500237"]}`, 403, ""},
			{county, "PUT", "/api/v1/users/insp", `{"role":"township"}`, 403, ""},
			{county, "PUT", "/api/v1/users/insp", `{"role":"aid_unit"}`, 400, "areas[0]"},
			{admin, "POST", "/api/v1/tokens", `{"name":"t1","role":"township","areas":["500236"]}`, 400, "areas[0]"},
		}
		for _, tt := range tests {
			s, body := tt.who.do(tt.method, tt.path, tt.body)
			if s != tt.want {
				t.Errorf("%s %s %s = %d %v, want %d", tt.method, tt.path, tt.body, s, body, tt.want)
				continue
			}
			if tt.field != "" && lookup(body, "error.fields."+tt.field) == nil {
				t.Errorf("%s %s: no message for field %s in %v", tt.method, tt.path, tt.field, body)
			}
		}
		_, list := admin.do("GET", "/api/v1/users", "")
		for _, u := range list["items"].([]any) {
			if n := u.(map[string]any)["username"]; n != "insp" {
				t.Errorf("account %v was created", n)
			}
		}
	})
}

// TestPasswordResetEndsSessionsAndTellsUser: an administrator resets a
// township user's password; the user's session ends, the reset is audited,
// and the next sign-in (and that session's /me) says who reset it — once.
func TestPasswordResetEndsSessionsAndTellsUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{}, auth.RoleTownship, "500236266")
		admin := &client{t: t, srv: srv, token: newToken(t, db, "管理员", "admin", "")}
		c, s := signIn(t, srv, "Pingan-2026-secure")
		if s != 200 {
			t.Fatalf("sign in = %d", s)
		}
		if s, body := c.do("GET", "/api/v1/me", ""); s != 200 || body["password_reset_by"] != nil {
			t.Fatalf("me before reset = %d %v", s, body)
		}
		mustDo(t, admin, 204, "PUT", "/api/v1/users/pingan", `{"password":"Reset-by-admin-2026"}`)
		if s, _ := c.do("GET", "/api/v1/me", ""); s != 401 {
			t.Errorf("session after password reset = %d, want 401", s)
		}
		if n := auditActions(t, db); n["user.password"] != 1 || n["user.sessions_ended"] != 1 {
			t.Errorf("audit = %v, want user.password and user.sessions_ended", n)
		}
		c2, s := signIn(t, srv, "Reset-by-admin-2026")
		if s != 200 {
			t.Fatalf("sign in with the new password = %d", s)
		}
		if s, body := c2.do("GET", "/api/v1/me", ""); s != 200 || body["password_reset_by"] != "token:管理员" || body["password_reset_at"] == nil {
			t.Errorf("me after reset = %d %v, want password_reset_by", s, body)
		}
		c3, _ := signIn(t, srv, "Reset-by-admin-2026")
		if _, body := c3.do("GET", "/api/v1/me", ""); body["password_reset_by"] != nil {
			t.Errorf("the reset is still reported at a later sign-in: %v", body)
		}
	})
}
