package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// TestAuditLogRoute: administrators read the audit log filtered by account,
// action (or prefix), household and date, with display names, and the
// chain check; anyone else gets 403. The household history names the
// actor too.
func TestAuditLogRoute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{IdleTimeout: time.Hour, AbsoluteTimeout: time.Hour}, auth.RoleAdmin, "")
		hash, _ := auth.HashPassword("Pingan-2026-secure")
		if _, err := db.CreateUser(ctx(), fupin.SystemActor("test"), sqlstore.User{Username: "xiaowang", DisplayName: "王小平",
			Role: "township", Areas: []string{"500236266"}}, hash); err != nil {
			t.Fatal(err)
		}
		admin, s := signIn(t, srv, "Pingan-2026-secure")
		if s != 200 {
			t.Fatalf("sign in %d", s)
		}
		jar, _ := cookiejar.New(nil)
		clerk := &client{t: t, srv: srv, http: &http.Client{Jar: jar}}
		s, body := clerk.do("POST", "/api/v1/session", `{"username":"xiaowang","password":"Pingan-2026-secure"}`)
		if s != 200 {
			t.Fatalf("clerk sign in %d", s)
		}
		clerk.csrf = body["csrf_token"].(string)
		s, body = clerk.do("POST", "/api/v1/households", household(id("500236", "19600101", 11), id("500236", "19620202", 22), "500236266200"))
		if s != 201 {
			t.Fatalf("create: %d %v", s, body)
		}
		hid := int64(body["id"].(float64))

		today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
		for _, tc := range []struct {
			name, query string
			status      int
			want        int // entries, -1: at least one
		}{
			{"by account", "?actor=xiaowang&action=household.create", 200, 1},
			{"by prefix", "?actor=xiaowang&action=household.", 200, 1},
			{"by household", fmt.Sprintf("?household_id=%d", hid), 200, 1},
			{"today", "?actor=xiaowang&from=" + today + "&to=" + today, 200, -1},
			{"before today", "?actor=xiaowang&to=2000-01-01", 200, 0},
			{"bad date", "?from=2026-13-01", 400, 0},
			{"bad range", "?from=2026-02-01&to=2026-01-01", 400, 0},
		} {
			s, body := admin.do("GET", "/api/v1/audit"+tc.query, "")
			items, _ := body["items"].([]any)
			if s != tc.status || (s == 200 && (tc.want >= 0 && len(items) != tc.want || tc.want < 0 && len(items) == 0)) {
				t.Errorf("%s: %d with %d entries, want %d with %d (%v)", tc.name, s, len(items), tc.status, tc.want, body)
				continue
			}
			if tc.name == "by account" && items[0].(map[string]any)["actor_name"] != "王小平" {
				t.Errorf("actor_name %v, want 王小平", items[0])
			}
		}
		if s, body := admin.do("GET", "/api/v1/audit/verify", ""); s != 200 || body["checked"].(float64) < 2 || body["problem"] != nil {
			t.Errorf("verify: %d %v", s, body)
		}
		if s, _ := clerk.do("GET", "/api/v1/audit", ""); s != 403 {
			t.Errorf("a township user reads the audit log: %d", s)
		}
		s, body = clerk.do("GET", fmt.Sprintf("/api/v1/households/%d/history", hid), "")
		items, _ := body["items"].([]any)
		if s != 200 || len(items) != 1 || items[0].(map[string]any)["actor_name"] != "王小平" {
			t.Errorf("history: %d %v", s, body)
		}
	})
}

// TestAuditAccessMatrix asks GET /api/v1/audit and /audit/verify as every
// role, for entries about a household inside the role's area and one in
// another county: the audit log is the administrator's (it holds every
// area's before/after documents, ID numbers included), so every other role,
// the county too, is refused both routes whatever the filter.
func TestAuditAccessMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		hh := map[bool]int{}
		for i, inside := range []bool{true, false} {
			v := "500236266200"
			if !inside {
				v = outsideVillage(t)
			}
			hh[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 40+i), id("512226", "19620202", 40+i), v)))
		}
		for _, rc := range matrixRoles {
			me := &client{t: t, srv: srv, token: newToken(t, db, "audit-"+string(rc.role), string(rc.role), rc.area)}
			for _, inside := range []bool{true, false} {
				for _, path := range []string{fmt.Sprintf("/api/v1/audit?household_id=%d", hh[inside]), "/api/v1/audit", "/api/v1/audit/verify"} {
					st, body := me.do("GET", path, "")
					if rc.role != auth.RoleAdmin {
						if st != 403 || body["items"] != nil || body["checked"] != nil {
							t.Errorf("%s GET %s = %d %v, want 403 and nothing", rc.role, path, st, body)
						}
						continue
					}
					if st != 200 {
						t.Errorf("admin GET %s = %d %v", path, st, body)
					}
					if items, ok := body["items"].([]any); ok && len(items) == 0 {
						t.Errorf("admin GET %s: no entries (inside=%v)", path, inside)
					}
				}
			}
		}
	})
}
