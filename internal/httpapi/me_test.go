package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// TestMeCapabilities: sign-in and /me name the caller's capabilities, so
// the console can leave out buttons the server would refuse (a village
// user plans no rotation).
func TestMeCapabilities(t *testing.T) {
	for _, tc := range []struct {
		role auth.Role
		area string
		want string
	}{
		{auth.RoleTownship, "500236266", "[write township_write identity]"},
		{auth.RoleVillage, "500236266200", "[write identity]"},
		{auth.RoleCounty, "500236", "[users audit]"},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := sessionServer(t, db, httpapi.Options{IdleTimeout: time.Hour, AbsoluteTimeout: time.Hour}, tc.role, tc.area)
				c, s := signIn(t, srv, "Pingan-2026-secure")
				if s != 200 {
					t.Fatalf("%s: sign in %d", tc.role, s)
				}
				s, body := c.do("GET", "/api/v1/me", "")
				if got := fmt.Sprint(body["capabilities"]); s != 200 || got != tc.want {
					t.Errorf("%s /me: %d capabilities %s, want %s", tc.role, s, got, tc.want)
				}
			})
		})
	}
}
