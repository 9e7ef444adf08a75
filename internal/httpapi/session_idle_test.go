package httpapi_test

import (
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// TestShortIdleTimeoutKeepsActiveUsers: with an idle timeout under a
// minute (--session-idle 1s), a user who keeps working stays signed in;
// last-seen used to be refreshed only once a minute.
func TestShortIdleTimeoutKeepsActiveUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{IdleTimeout: time.Second, AbsoluteTimeout: time.Hour}, auth.RoleVillage, "500236266200")
		c, _ := signIn(t, srv, "Pingan-2026-secure")
		for i := 0; i < 8; i++ {
			time.Sleep(300 * time.Millisecond)
			if s, _ := c.do("GET", "/api/v1/me", ""); s != 200 {
				t.Fatalf("request %d, %v after sign-in, every 300 ms: %d, want 200", i+1, time.Duration(i+1)*300*time.Millisecond, s)
			}
		}
	})
}
