package httpapi_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// Two servers on one database, each with its own connection pool and memory, as two
// `fupin serve` processes behind a load balancer: a write through one is in the other's
// dashboard at once (the dashboard memo is keyed on the database's change counter), a token
// made on one works on the other, and an account locked by failures on one is locked on the
// other (the lock-out is read from the database before each attempt).
func TestTwoInstancesOneDatabase(t *testing.T) {
	dbtest.EachPair(t, func(t *testing.T, a, b *sqlstore.DB) {
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		srvA := httptest.NewServer(httpapi.New(a, quiet, httpapi.Options{}))
		defer srvA.Close()
		srvB := httptest.NewServer(httpapi.New(b, quiet, httpapi.Options{}))
		defer srvB.Close()
		token := newToken(t, a, "双实例", "township", "500236266")
		ca := &client{t: t, srv: srvA, token: token}
		cb := &client{t: t, srv: srvB, token: token}

		households := func(c *client) float64 {
			t.Helper()
			s, body := c.do("GET", "/api/v1/dashboard?area=500236266", "")
			if s != 200 {
				t.Fatalf("dashboard: %d %v", s, body)
			}
			return body["total"].(map[string]any)["households"].(float64)
		}
		before := households(cb) // B has memoised its dashboard
		if s, body := ca.do("POST", "/api/v1/households", household(id("500236", "19700101", 1), id("500236", "19720101", 2), "500236266001")); s != 201 {
			t.Fatalf("create on A: %d %v", s, body)
		}
		if after := households(cb); after != before+1 {
			t.Errorf("B's dashboard after a write on A: %v households, want %v", after, before+1)
		}

		hash, err := auth.HashPassword("Pingan-2026-secure")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateUser(ctx(), fupin.SystemActor("test"), sqlstore.User{Username: "pingan", Role: "township", Areas: []string{"500236266"}}, hash); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			if s, _ := signInRaw(t, srvA, `{"username":"pingan","password":"wrong-password-`+string(rune('a'+i))+`"}`, nil); s != 401 {
				t.Fatalf("failure %d on A: %d", i+1, s)
			}
		}
		s, body := signInRaw(t, srvB, `{"username":"pingan","password":"Pingan-2026-secure"}`, nil)
		if s != 429 || !strings.Contains(body["error"].(map[string]any)["message"].(string), "锁定") {
			t.Errorf("right password on B while A locked the account: %d %v", s, body)
		}
	})
}
