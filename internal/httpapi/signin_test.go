package httpapi_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// signInRaw posts a sign-in body with the given headers.
func signInRaw(t *testing.T, srv *httptest.Server, body string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/session", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

// TestSignInBoundsWhatStrangersWrite: oversized user names and passwords
// are refused before anything is looked up or written, and a flood of
// refused attempts from one address writes one audit row per window
// (it wrote one row per attempt, with the whole user name).
func TestSignInBoundsWhatStrangersWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{}, auth.RoleTownship, "500236266")
		before := auditActions(t, db)
		huge := strings.Repeat("a", 1<<20)
		for i := 0; i < 5; i++ {
			if s, _ := signInRaw(t, srv, `{"username":"`+huge+`","password":"x"}`, nil); s != 413 {
				t.Errorf("1 MiB user name = %d, want 413", s)
			}
		}
		s, body := signInRaw(t, srv, `{"username":"`+strings.Repeat("用", 22)+`","password":"x"}`, nil)
		if s != 400 || lookup(body, "error.fields.username") != "用户名不能超过 64 字节" {
			t.Errorf("66-byte user name = %d %v, want 400 naming username", s, body)
		}
		s, body = signInRaw(t, srv, `{"username":"pingan","password":"`+strings.Repeat("p", 257)+`"}`, nil)
		if s != 400 || lookup(body, "error.fields.password") == nil {
			t.Errorf("257-byte password = %d %v, want 400 naming password", s, body)
		}
		if after := auditActions(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("oversized attempts were audited: %v → %v", before, after)
		}
		// 20 attempts use up the address's allowance; 200 more are refused.
		for i := 0; i < 20; i++ {
			name := fmt.Sprintf("%064d", i)
			if s, _ := signInRaw(t, srv, `{"username":"`+name+`","password":"wrong-password"}`, nil); s != 401 {
				t.Fatalf("attempt %d = %d, want 401", i, s)
			}
		}
		for i := 0; i < 200; i++ {
			if s, _ := signInRaw(t, srv, fmt.Sprintf(`{"username":"%064d","password":"wrong"}`, i), nil); s != 429 {
				t.Fatalf("refused attempt %d = %d, want 429", i, s)
			}
		}
		got := auditActions(t, db)
		if got["auth.failure"] != 20 || got["auth.rejected"] != 1 {
			t.Errorf("audit after 20 failures and 200 refusals = %v, want 20 auth.failure and 1 auth.rejected", got)
		}
	})
}

// TestLockoutSurvivesRestart: a lock set before a restart still holds
// after it (the limiter lived in memory only).
func TestLockoutSurvivesRestart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{}, auth.RoleVillage, "500236266200")
		for i := 0; i < 5; i++ {
			if _, s := signIn(t, srv, "wrong-password"); s != 401 {
				t.Fatalf("bad password %d = %d", i, s)
			}
		}
		restarted := httptest.NewServer(httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{}))
		defer restarted.Close()
		if _, s := signIn(t, restarted, "Pingan-2026-secure"); s != 429 {
			t.Errorf("right password after a restart while locked = %d, want 429", s)
		}
	})
}

// TestSignInRefusesOtherSites: login CSRF — a sign-in must be JSON and,
// when the browser says where it comes from, come from this site.
func TestSignInRefusesOtherSites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{}, auth.RoleVillage, "500236266200")
		body := `{"username":"pingan","password":"Pingan-2026-secure"}`
		self := strings.TrimPrefix(srv.URL, "http://")
		tests := []struct {
			name    string
			headers map[string]string
			want    int
		}{
			{"text/plain", map[string]string{"Content-Type": "text/plain"}, 400},
			{"form", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 400},
			{"other origin", map[string]string{"Origin": "http://evil.example"}, 403},
			{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"same-site fetch", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
			{"this origin", map[string]string{"Origin": "http://" + self, "Sec-Fetch-Site": "same-origin"}, 200},
			{"json with charset", map[string]string{"Content-Type": "application/json; charset=utf-8"}, 200},
		}
		for _, tt := range tests {
			if s, resp := signInRaw(t, srv, body, tt.headers); s != tt.want {
				t.Errorf("%s: sign in = %d %v, want %d", tt.name, s, resp, tt.want)
			}
		}
	})
}
