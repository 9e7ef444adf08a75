package httpapi_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strings"
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
// role, about entries inside the role's county and in another county: a
// household's entries, an export of an area, a sign-in failure of an
// account and another record written by an account. Administrators read
// everything; county users read exactly the entries of their county (never
// another county's, whatever the filter); every other role, and the
// county for the chain check, is refused. The filters stay bounded.
func TestAuditAccessMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		hh := map[bool]int{}
		want := map[bool]map[string]bool{true: {}, false: {}} // "action entity_id" of the seeded entries
		hash, _ := auth.HashPassword("Pingan-2026-secure")
		for i, inside := range []bool{true, false} {
			v := "500236266200"
			if !inside {
				v = outsideVillage(t)
			}
			hh[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 40+i), id("512226", "19620202", 40+i), v)))
			want[inside][fmt.Sprintf("household.create %d", hh[inside])] = true
			clerk := fmt.Sprintf("clerk-%v", inside)
			if _, err := db.CreateUser(ctx(), fupin.SystemActor("test"), sqlstore.User{Username: clerk, Role: "township", Areas: []string{v[:9]}}, hash); err != nil {
				t.Fatal(err)
			}
			want[inside]["user.create "+clerk] = true
			for _, e := range []struct{ actor, action, entity, entityID string }{
				{"", "list.export", "area", v[:9]},
				{"", "auth.failure", "user", clerk},
				{clerk, "ledger.evidence.add", "ledger_evidence", fmt.Sprint(100 + i)},
			} {
				if err := db.AuditEvent(ctx(), e.actor, e.action, e.entity, e.entityID, nil); err != nil {
					t.Fatal(err)
				}
				want[inside][e.action+" "+e.entityID] = true
			}
		}
		for _, rc := range matrixRoles {
			me := &client{t: t, srv: srv, token: newToken(t, db, "audit-"+string(rc.role), string(rc.role), rc.area)}
			reads := rc.role == auth.RoleAdmin || rc.role == auth.RoleCounty
			for _, inside := range []bool{true, false} {
				byHousehold, byActor := fmt.Sprintf("/api/v1/audit?household_id=%d", hh[inside]), fmt.Sprintf("/api/v1/audit?actor=clerk-%v", inside)
				asked := map[string][]string{ // the seeded entries each filter selects
					byHousehold:               {fmt.Sprintf("household.create %d", hh[inside])},
					byActor:                   {fmt.Sprintf("ledger.evidence.add %d", 100+map[bool]int{true: 0, false: 1}[inside])},
					"/api/v1/audit?limit=200": slices.Collect(maps.Keys(want[inside])),
				}
				for _, path := range []string{byHousehold, byActor, "/api/v1/audit?limit=200", "/api/v1/audit/verify"} {
					st, body := me.do("GET", path, "")
					if !reads || path == "/api/v1/audit/verify" && rc.role != auth.RoleAdmin {
						if st != 403 || body["items"] != nil || body["checked"] != nil {
							t.Errorf("%s GET %s = %d %v, want 403 and nothing", rc.role, path, st, body)
						}
						continue
					}
					if st != 200 {
						t.Errorf("%s GET %s = %d %v", rc.role, path, st, body)
						continue
					}
					got := map[string]bool{}
					items, _ := body["items"].([]any)
					for _, it := range items {
						e := it.(map[string]any)
						got[fmt.Sprint(e["action"], " ", e["entity_id"])] = true
					}
					for _, k := range asked[path] {
						if visible := rc.role == auth.RoleAdmin || inside; got[k] != visible {
							t.Errorf("%s GET %s: entry %q (inside=%v) shown %v, want %v", rc.role, path, k, inside, got[k], visible)
						}
					}
					if rc.role == auth.RoleCounty {
						for k := range want[false] {
							if got[k] {
								t.Errorf("county GET %s shows %q of another county", path, k)
							}
						}
					}
				}
			}
		}
		county := &client{t: t, srv: srv, token: newToken(t, db, "audit-county-bounds", "county", "500236")}
		for _, q := range []string{"actor=" + strings.Repeat("a", 65), "action=" + strings.Repeat("a", 65), "household_id=0", "limit=201", "offset=-1", "from=2026-13-01", "from=2026-02-01&to=2026-01-01"} {
			if st, body := county.do("GET", "/api/v1/audit?"+q, ""); st != 400 {
				t.Errorf("county GET /api/v1/audit?%s = %d %v, want 400", q, st, body)
			}
		}
	})
}
