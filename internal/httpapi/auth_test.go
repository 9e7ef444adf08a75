package httpapi_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

// client sends requests as one caller: a Bearer token or a cookie jar.
type client struct {
	t     *testing.T
	srv   *httptest.Server
	token string
	http  *http.Client
	csrf  string
}

func (c *client) do(method, url, body string) (int, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.srv.URL+url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	hc := c.http
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(c.t, resp.Body)
}

func decodeBody(t *testing.T, r io.Reader) map[string]any {
	t.Helper()
	raw, _ := io.ReadAll(r)
	var out map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		if err := jsonUnmarshal(raw, &out); err != nil {
			t.Fatalf("bad JSON %q", raw)
		}
	}
	return out
}

// outsideVillage is a real village in another county (巫山县).
func outsideVillage(t *testing.T) string {
	t.Helper()
	towns, err := region.Children("500237")
	if err != nil || len(towns) == 0 {
		t.Fatalf("巫山县 townships: %v", err)
	}
	villages, err := region.Children(towns[0].Code)
	if err != nil || len(villages) == 0 {
		t.Fatalf("villages: %v", err)
	}
	return villages[0].Code
}

func version(t *testing.T, admin *client, id int) int {
	t.Helper()
	_, h := admin.do("GET", fmt.Sprintf("/api/v1/households/%d", id), "")
	return int(h["version"].(float64))
}

// TestAccessMatrix runs every route as every role, on a household inside
// the role's area and one in another county: reads outside answer 404,
// writes outside change nothing, roles without the right get 403.
func TestAccessMatrix(t *testing.T) {
	roles := []struct {
		role    auth.Role
		area    string
		village string // where the role's inside household is
	}{
		{auth.RoleAdmin, "", "500236266200"},
		{auth.RoleCounty, "500236", "500236266200"},
		{auth.RoleTownship, "500236266", "500236266200"},
		{auth.RoleVillage, "500236266200", "500236266200"},
		{auth.RoleAidUnit, "500236266208", "500236266208"},
		{auth.RoleInspector, "500236266", "500236266200"},
	}
	for _, rc := range roles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				out := outsideVillage(t)
				if s, _ := admin.do("POST", "/api/v1/households", household(id("512226", "19600101", 11), id("512226", "19620202", 22), rc.village)); s != 201 {
					t.Fatalf("create inside: %d", s)
				}
				if s, _ := admin.do("POST", "/api/v1/households", household(id("512226", "19610101", 11), id("512226", "19630202", 22), out)); s != 201 {
					t.Fatalf("create outside: %d", s)
				}
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				checkGlobal(t, me, rc.role, out)
				for hid, inside := range map[int]bool{1: true, 2: rc.role == auth.RoleAdmin} {
					checkHousehold(t, admin, me, rc.role, hid, inside)
				}
			})
		})
	}
}

func checkHousehold(t *testing.T, admin, me *client, role auth.Role, hid int, inside bool) {
	t.Helper()
	h := fmt.Sprintf("/api/v1/households/%d", hid)
	for _, path := range []string{h, h + "/history", h + "/members", h + "/incomes", h + "/assessment?year=2025"} {
		want := map[bool]int{true: 200, false: 404}[inside]
		if s, body := me.do("GET", path, ""); s != want {
			t.Errorf("%s GET %s = %d %v, want %d", role, path, s, body, want)
		}
	}
	before := version(t, admin, hid)
	newborn := id("500236", "20240509", 40+hid)
	writes := []struct {
		method, path, body string
		ok                 int
	}{
		{"PUT", h, `{"version":%d,"village_code":"%s","household_type":"ex_poor","poverty_attr":"dibao","address":"改"}`, 200},
		{"PUT", h + "/incomes/2025", `{"version":%d,"wage":1000}`, 200},
		{"POST", h + "/members", `{"version":%d,"member":{"name":"新生儿","id_number":"` + newborn + `","relation":"grandson","join_reason":"birth","joined_on":"2024-05-09"}}`, 201},
		{"PUT", h + fmt.Sprintf("/members/%d", 2*hid), `{"version":%d,"member":{"name":"改名","id_number":"%s","relation":"spouse"}}`, 200},
		{"POST", h + fmt.Sprintf("/members/%d/leave", 2*hid), `{"version":%d,"left_on":"2025-01-01","reason":"move_out"}`, 200},
		{"DELETE", h, `{"version":%d,"reason":"测试删除"}`, 200},
	}
	_, cur := admin.do("GET", h, "")
	village := cur["village_code"].(string)
	spouse := cur["members"].([]any)[1].(map[string]any)["id_number"].(string)
	for _, w := range writes {
		body := w.body
		switch {
		case strings.Contains(body, `"village_code":"%s"`):
			body = fmt.Sprintf(body, version(t, admin, hid), village)
		case strings.Contains(body, `"id_number":"%s"`):
			body = fmt.Sprintf(body, version(t, admin, hid), spouse)
		default:
			body = fmt.Sprintf(body, version(t, admin, hid))
		}
		want := w.ok
		switch {
		case !role.CanWrite():
			want = 403
		case !inside:
			want = 404
		}
		if s, resp := me.do(w.method, w.path, body); s != want {
			t.Errorf("%s %s %s = %d %v, want %d", role, w.method, w.path, s, resp, want)
		}
	}
	if after := version(t, admin, hid); (!inside || !role.CanWrite()) && after != before {
		t.Errorf("%s: household %d changed from version %d to %d", role, hid, before, after)
	}
}

func checkGlobal(t *testing.T, me *client, role auth.Role, outside string) {
	t.Helper()
	admin := role == auth.RoleAdmin
	tests := []struct {
		method, path, body string
		want               int
		field              string
		value              any
	}{
		{"GET", "/api/v1/me", "", 200, "role", string(role)},
		{"GET", "/api/v1/codes", "", 200, "", nil},
		{"GET", "/api/v1/regions/500236", "", 200, "name", "奉节县"},
		{"GET", "/api/v1/regions?q=平安&within=500236", "", 200, "", nil},
		{"GET", "/api/v1/households?area=" + outside, "", 200, "total", map[bool]float64{true: 1, false: 0}[admin]},
		{"GET", "/api/v1/assessments/summary?area=500237&year=2025", "", 200, "", nil},
		{"GET", "/api/v1/assessments/problems?area=500237&year=2025&status=unknown", "", 200, "total", map[bool]float64{true: 1, false: 0}[admin]},
		{"GET", "/api/v1/policy/params?year=2025", "", 200, "", nil},
		{"PUT", "/api/v1/policy/params", `{"area":"500236","year":2025,"key":"water_min_lpd","value":"40"}`, map[bool]int{true: 200, false: 403}[role.CanSetPolicy()], "", nil},
		{"POST", "/api/v1/households", household(id("512226", "19700101", 11), id("512226", "19720202", 22), outside),
			map[bool]int{true: 201, false: 403}[admin], "", nil},
		{"GET", "/api/v1/users", "", map[bool]int{true: 200, false: 403}[role.CanManageUsers()], "", nil},
		{"POST", "/api/v1/users", `{"username":"newbie","role":"inspector","areas":["500236266"],"password":"Pingan-2026-secure"}`,
			map[bool]int{true: 201, false: 403}[role.CanManageUsers()], "", nil},
		{"GET", "/api/v1/tokens", "", map[bool]int{true: 200, false: 403}[admin], "", nil},
		{"GET", "/api/v1/imports", "", 200, "", nil},
		{"GET", "/api/v1/imports/999", "", 404, "", nil},
		{"GET", "/api/v1/imports/999/errors", "", 404, "", nil},
		{"POST", "/api/v1/imports", "", map[bool]int{true: 400, false: 403}[role.CanWrite()], "", nil},
		{"POST", "/api/v1/tokens", `{"name":"x","role":"inspector","areas":["500236"]}`, map[bool]int{true: 201, false: 403}[admin], "", nil},
	}
	exported := get(t, me.srv, me.token, "/api/v1/exports?format=csv&area="+outside[:6])
	if strings.Contains(exported, outside) != admin {
		t.Errorf("%s: export of another county contains its village: %v", role, strings.Contains(exported, outside))
	}
	for _, tt := range tests {
		s, body := me.do(tt.method, tt.path, tt.body)
		if s != tt.want {
			t.Errorf("%s %s %s = %d %v, want %d", role, tt.method, tt.path, s, body, tt.want)
			continue
		}
		if tt.field != "" && fmt.Sprint(lookup(body, tt.field)) != fmt.Sprint(tt.value) {
			t.Errorf("%s %s %s: %s = %v, want %v", role, tt.method, tt.path, tt.field, lookup(body, tt.field), tt.value)
		}
	}
}

// sessionServer starts the API with short session limits and one user.
func sessionServer(t *testing.T, db *sqlstore.DB, opts httpapi.Options, role auth.Role, area string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), opts))
	t.Cleanup(srv.Close)
	hash, err := auth.HashPassword("Pingan-2026-secure")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx(), fupin.SystemActor("test"), sqlstore.User{Username: "pingan", Role: string(role), Areas: []string{area}}, hash); err != nil {
		t.Fatal(err)
	}
	return srv
}

func signIn(t *testing.T, srv *httptest.Server, password string) (*client, int) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, srv: srv, http: &http.Client{Jar: jar}}
	s, body := c.do("POST", "/api/v1/session", `{"username":"pingan","password":"`+password+`"}`)
	if s == 200 {
		c.csrf = body["csrf_token"].(string)
	}
	return c, s
}

func TestSessionsAndCSRF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{IdleTimeout: time.Hour, AbsoluteTimeout: time.Hour}, auth.RoleTownship, "500236266")
		c, s := signIn(t, srv, "Pingan-2026-secure")
		if s != 200 || c.csrf == "" {
			t.Fatalf("sign in: %d", s)
		}
		cookie1 := c.http.Jar.Cookies(mustURL(srv.URL))[0].Value
		if s, body := c.do("GET", "/api/v1/me", ""); s != 200 || body["role_label"] != "乡镇指挥部办公室" {
			t.Errorf("me = %d %v", s, body)
		}
		create := household(id("512226", "19600101", 11), id("512226", "19620202", 22), "500236266200")
		csrf := c.csrf
		c.csrf = ""
		if s, body := c.do("POST", "/api/v1/households", create); s != 403 || !strings.Contains(fmt.Sprint(body), "CSRF") {
			t.Errorf("write without CSRF token = %d %v, want 403", s, body)
		}
		c.csrf = "wrong"
		if s, _ := c.do("POST", "/api/v1/households", create); s != 403 {
			t.Errorf("write with a wrong CSRF token = %d, want 403", s)
		}
		c.csrf = csrf
		if s, _ := c.do("POST", "/api/v1/households", create); s != 201 {
			t.Errorf("write with the CSRF token = %d, want 201", s)
		}
		// Signing in again renews the session id; the old one is dead.
		if s, _ := c.do("POST", "/api/v1/session", `{"username":"pingan","password":"Pingan-2026-secure"}`); s != 200 {
			t.Fatalf("second sign in: %d", s)
		}
		if cookie2 := c.http.Jar.Cookies(mustURL(srv.URL))[0].Value; cookie2 == cookie1 {
			t.Error("session id not renewed at sign-in")
		}
		old := &client{t: t, srv: srv, http: &http.Client{}}
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
		req.AddCookie(&http.Cookie{Name: "fupin_session", Value: cookie1})
		if resp, err := old.http.Do(req); err != nil {
			t.Errorf("old session after renewal: %v", err)
		} else if resp.Body.Close(); resp.StatusCode != 401 {
			t.Errorf("old session after renewal = %d, want 401", resp.StatusCode)
		}
		// Signing out ends the session.
		_, body := c.do("GET", "/api/v1/me", "")
		c.csrf = body["csrf_token"].(string)
		if s, _ := c.do("DELETE", "/api/v1/session", ""); s != 204 {
			t.Errorf("sign out = %d", s)
		}
		if s, _ := c.do("GET", "/api/v1/me", ""); s != 401 {
			t.Errorf("after sign out = %d, want 401", s)
		}
	})
}

// TestSessionTimeouts moves the store's clock (the one clock of sessions
// and the sign-in limiter) instead of waiting for real time to pass.
func TestSessionTimeouts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var mu sync.Mutex
		clock := time.Now().UTC()
		db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }

		srv := sessionServer(t, db, httpapi.Options{IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 2 * time.Hour}, auth.RoleVillage, "500236266200")
		c, _ := signIn(t, srv, "Pingan-2026-secure")
		advance(29 * time.Minute)
		if s, _ := c.do("GET", "/api/v1/me", ""); s != 200 {
			t.Errorf("session used within the idle limit = %d, want 200", s)
		}
		advance(31 * time.Minute)
		if s, body := c.do("GET", "/api/v1/me", ""); s != 401 || errorMessage(body) != "登录已过期，请重新登录" {
			t.Errorf("idle session = %d %v, want 401", s, body)
		}

		c2, _ := signIn(t, srv, "Pingan-2026-secure")
		for range 4 { // used every 25 minutes, never idle
			advance(25 * time.Minute)
			if s, _ := c2.do("GET", "/api/v1/me", ""); s != 200 {
				t.Fatalf("busy session = %d, want 200", s)
			}
		}
		advance(25 * time.Minute) // 125 minutes after signing in
		if s, _ := c2.do("GET", "/api/v1/me", ""); s != 401 {
			t.Errorf("session past its absolute limit = %d, want 401", s)
		}

		// The limiter's lockout runs on the same clock.
		for i := range 5 {
			if _, s := signIn(t, srv, "wrong-password"); s != 401 {
				t.Fatalf("bad password %d = %d, want 401", i, s)
			}
		}
		if _, s := signIn(t, srv, "Pingan-2026-secure"); s != 429 {
			t.Errorf("right password while locked = %d, want 429", s)
		}
		advance(16 * time.Minute)
		if _, s := signIn(t, srv, "Pingan-2026-secure"); s != 200 {
			t.Errorf("right password after the lockout = %d, want 200", s)
		}
	})
}

// errorMessage is the message of an error answer, "" for any other body.
func errorMessage(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}

func TestLockoutAndTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := sessionServer(t, db, httpapi.Options{}, auth.RoleAdmin, "")
		for i := 0; i < 5; i++ {
			if _, s := signIn(t, srv, "wrong-password"); s != 401 {
				t.Fatalf("bad password %d = %d, want 401", i, s)
			}
		}
		if _, s := signIn(t, srv, "Pingan-2026-secure"); s != 429 {
			t.Errorf("right password while locked = %d, want 429", s)
		}
		hist := auditActions(t, db)
		if hist["auth.failure"] != 5 || hist["auth.lockout"] != 1 || hist["auth.rejected"] != 1 {
			t.Errorf("audit actions = %v", hist)
		}
		// Tokens: created by an admin, usable, then revoked.
		admin := &client{t: t, srv: srv, token: newToken(t, db, "admin", "admin", "")}
		s, body := admin.do("POST", "/api/v1/tokens", `{"name":"省平台对接","role":"inspector","areas":["500236"]}`)
		if s != 201 || !strings.HasPrefix(body["token"].(string), "fpt_") {
			t.Fatalf("create token = %d %v", s, body)
		}
		integ := &client{t: t, srv: srv, token: body["token"].(string)}
		if s, _ := integ.do("GET", "/api/v1/households", ""); s != 200 {
			t.Errorf("token use = %d", s)
		}
		if s, _ := admin.do("DELETE", fmt.Sprintf("/api/v1/tokens/%v", body["id"]), ""); s != 204 {
			t.Errorf("revoke = %d", s)
		}
		if s, _ := integ.do("GET", "/api/v1/households", ""); s != 401 {
			t.Errorf("revoked token = %d, want 401", s)
		}
		if s, _ := (&client{t: t, srv: srv}).do("GET", "/api/v1/households", ""); s != 401 {
			t.Errorf("no credentials = %d, want 401", s)
		}
	})
}

func TestIdentityMasking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		head := id("512226", "19600101", 11)
		admin.do("POST", "/api/v1/households", household(head, id("512226", "19620202", 22), "500236266200"))
		insp := &client{t: t, srv: srv, token: newToken(t, db, "督查", "inspector", "500236266")}
		_, h := insp.do("GET", "/api/v1/households/1", "")
		m := h["members"].([]any)[0].(map[string]any)
		if m["id_number"] != head[:4]+"**********"+head[14:] || h["phone"] != "139****4321" {
			t.Errorf("inspector sees id %v phone %v", m["id_number"], h["phone"])
		}
		_, hist := insp.do("GET", "/api/v1/households/1/history", "")
		if strings.Contains(fmt.Sprint(hist), head) {
			t.Error("history shows an unmasked ID number to an inspector")
		}
		_, h = admin.do("GET", "/api/v1/households/1", "")
		if h["members"].([]any)[0].(map[string]any)["id_number"] != head {
			t.Error("admin does not see the ID number")
		}
		if n := auditActions(t, db)["person.view"]; n != 1 {
			t.Errorf("unmasked views audited: %d, want 1", n)
		}
	})
}
