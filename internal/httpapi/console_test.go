package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// TestSessionState: the console's first request answers 200 whether or
// not the browser is signed in (no 401 logged on the sign-in page).
func TestSessionState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{IdleTimeout: time.Hour, AbsoluteTimeout: time.Hour}, auth.RoleTownship, "500236266")
		anon := &client{t: t, srv: srv}
		if s, body := anon.do("GET", "/api/v1/session", ""); s != 200 || body["signed_in"] != false || body["me"] != nil {
			t.Errorf("signed out: %d %v", s, body)
		}
		c, s := signIn(t, srv, "Pingan-2026-secure")
		if s != 200 {
			t.Fatalf("sign in %d", s)
		}
		s, body := c.do("GET", "/api/v1/session", "")
		me, _ := body["me"].(map[string]any)
		if s != 200 || body["signed_in"] != true || me["username"] != "pingan" || me["csrf_token"] != c.csrf {
			t.Errorf("signed in: %d %v", s, body)
		}
	})
}

// TestChangeOwnPassword: the current password is required, the policy
// applies, the change is audited and ends the user's other sessions but
// not the one that made it.
func TestChangeOwnPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		const old, next = "Pingan-2026-secure", "Shuangqiao-River-42"
		srv := sessionServer(t, db, httpapi.Options{IdleTimeout: time.Hour, AbsoluteTimeout: time.Hour}, auth.RoleVillage, "500236266200")
		c, s := signIn(t, srv, old)
		other, s2 := signIn(t, srv, old)
		if s != 200 || s2 != 200 {
			t.Fatalf("sign in %d %d", s, s2)
		}
		body := func(cur, nw string) string {
			return fmt.Sprintf(`{"current_password":%q,"new_password":%q}`, cur, nw)
		}
		for _, tc := range []struct {
			name, body string
			status     int
			field      string
		}{
			{"wrong current password", body("not-my-password", next), 400, "current_password"},
			{"same as before", body(old, old), 400, "new_password"},
			{"too short", body(old, "short"), 400, "new_password"},
			{"unknown field", `{"current_password":"x","new_password":"y","id":1}`, 400, ""},
		} {
			s, b := c.do("PUT", "/api/v1/me/password", tc.body)
			fields, _ := b["error"].(map[string]any)["fields"].(map[string]any)
			if s != tc.status || (tc.field != "" && fields[tc.field] == nil) {
				t.Errorf("%s: %d %v, want %d with field %q", tc.name, s, b, tc.status, tc.field)
			}
		}
		if s, b := c.do("PUT", "/api/v1/me/password", body(old, next)); s != 204 {
			t.Fatalf("change: %d %v", s, b)
		}
		if s, _ := c.do("GET", "/api/v1/me", ""); s != 200 {
			t.Errorf("the session that changed the password answers %d", s)
		}
		if s, _ := other.do("GET", "/api/v1/me", ""); s != 401 {
			t.Errorf("the user's other session answers %d after the change, want 401", s)
		}
		if _, s := signIn(t, srv, old); s != 401 {
			t.Errorf("the old password signs in: %d", s)
		}
		if _, s := signIn(t, srv, next); s != 200 {
			t.Errorf("the new password does not sign in: %d", s)
		}
		counts, err := db.AuditActionCounts(ctx())
		if err != nil || counts["user.password.self"] != 1 {
			t.Errorf("audit user.password.self = %d (%v)", counts["user.password.self"], err)
		}
	})
}

// TestCSPAllowsBlobImages: the visit form previews photos from blob: URLs
// before they are uploaded; the page's own policy must not block them.
func TestCSPAllowsBlobImages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{}, auth.RoleTownship, "500236266")
		resp, err := http.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "img-src 'self' data: blob:") || !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("Content-Security-Policy %q does not allow blob: images (or lost default-src 'self')", csp)
		}
	})
}
