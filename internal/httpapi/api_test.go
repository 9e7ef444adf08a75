package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/idcard"
	"fupin/internal/sqlstore"
)

func id(region, birth string, seq int) string {
	s := fmt.Sprintf("%s%s%03d", region, birth, seq)
	return s + string(idcard.CheckChar(s))
}

// newServer starts the API and makes an admin token that call sends.
func newServer(t *testing.T, db *sqlstore.DB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{}))
	t.Cleanup(srv.Close)
	adminToken = newToken(t, db, "测试", "admin", "")
	return srv
}

// adminToken is the Bearer token call sends (set by newServer).
var adminToken string

// newToken creates an API token directly in the store.
func newToken(t *testing.T, db *sqlstore.DB, name, role string, areas ...string) string {
	t.Helper()
	plain, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(context.Background(), fupin.SystemActor("test"), sqlstore.APIToken{Name: name, Role: role, Areas: areas}, auth.HashToken(plain)); err != nil {
		t.Fatal(err)
	}
	return plain
}

// call sends a request and decodes the JSON answer into a generic map.
func call(t *testing.T, srv *httptest.Server, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: bad JSON %q", method, url, raw)
		}
	}
	return resp.StatusCode, out
}

// lookup follows a dotted path such as "error.fields.members[0].id_number"
// (field keys may contain dots and brackets, so keys are tried longest first).
func lookup(v any, path string) any {
	if path == "" {
		return v
	}
	if list, ok := v.([]any); ok {
		head, rest, _ := strings.Cut(path, ".")
		i, err := strconv.Atoi(head)
		if err != nil || i >= len(list) {
			return nil
		}
		return lookup(list[i], rest)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if x, ok := m[path]; ok {
		return x
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] == '.' {
			if x, ok := m[path[:i]]; ok {
				return lookup(x, path[i+1:])
			}
		}
	}
	return nil
}

func household(headID, spouseID, village string) string {
	return fmt.Sprintf(`{"village_code":%q,"household_type":"ex_poor","poverty_attr":"dibao",
	 "identified_on":"2015-04-01","exited_on":"2019-11-20","phone":"139 8765 4321",
	 "housing":{"grade":"B","area_m2":96.5},"water":{"supply":"centralized","litres_per_day":60,"tap_at_home":true},
	 "members":[{"name":"冉光荣","id_number":%q,"relation":"head","ethnicity":"土家族","medical_insurance":"resident"},
	            {"name":"周桂英","id_number":%q,"relation":"spouse","health":"chronic"}]}`, village, headID, spouseID)
}

type scenario struct {
	name, method, url, body string
	wantStatus              int
	want                    map[string]any // path → expected value (JSON-decoded form)
}

func run(t *testing.T, srv *httptest.Server, tests []scenario) {
	t.Helper()
	for _, tt := range tests {
		status, got := call(t, srv, tt.method, tt.url, tt.body)
		if status != tt.wantStatus {
			t.Errorf("%s: %s %s = %d %v, want %d", tt.name, tt.method, tt.url, status, got, tt.wantStatus)
			continue
		}
		for path, want := range tt.want {
			if g := lookup(got, path); fmt.Sprint(g) != fmt.Sprint(want) {
				t.Errorf("%s: %s = %v, want %v", tt.name, path, g, want)
			}
		}
	}
}

func TestHouseholdAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		head, spouse := id("512226", "19600101", 11), id("512226", "19620202", 22)
		// A 15-digit number of the same person upgrades to the 18-digit one.
		old15 := "512226620202022"
		run(t, srv, []scenario{
			{"create", "POST", "/api/v1/households", household(head, strings.ToLower(spouse), "500236266208"), 201,
				map[string]any{"id": 1, "version": 1, "head_name": "冉光荣", "size": 2, "phone": "13987654321",
					"members.0.sex": "male", "members.1.id_number": spouse, "village_code": "500236266208"}},
			{"same person again via 15 digits", "POST", "/api/v1/households", household(id("500236", "19900101", 33), old15, "500236266202"), 409,
				map[string]any{"error.code": "conflict"}},
			{"bad ID named", "POST", "/api/v1/households", household(head[:17]+"0", id("500236", "19900101", 35), "500236266202"), 400,
				map[string]any{"error.code": "invalid", "error.fields.members[0].id_number": "校验位错误：末位应为 7，实为 0"}},
			{"unknown field", "POST", "/api/v1/households", `{"village_code":"500236266208","nonsense":1}`, 400,
				map[string]any{"error.fields.nonsense": "未知字段"}},
			{"malformed JSON", "POST", "/api/v1/households", `{"village_code":`, 400, map[string]any{"error.code": "invalid"}},
			{"wrong type", "POST", "/api/v1/households", `{"village_code":12}`, 400, map[string]any{"error.code": "invalid"}},
			{"oversized body", "POST", "/api/v1/households", `{"address":"` + strings.Repeat("x", 1<<20) + `"}`, 413,
				map[string]any{"error.code": "too_large"}},
			{"read", "GET", "/api/v1/households/1", "", 200, map[string]any{"members.1.birth_date": "1962-02-02", "members.1.sex": "female"}},
			{"missing", "GET", "/api/v1/households/999", "", 404, map[string]any{"error.code": "not_found"}},
			{"list by village", "GET", "/api/v1/households?area=500236266208&household_type=ex_poor", "", 200, map[string]any{"total": 1}},
			{"list other village", "GET", "/api/v1/households?area=500236266202", "", 200, map[string]any{"total": 0}},
			{"search by ID prefix", "GET", "/api/v1/households?q=" + spouse[:14], "", 200, map[string]any{"total": 1}},
			{"search by name", "GET", "/api/v1/households?q=光荣", "", 200, map[string]any{"total": 1, "items.0.head_name": "冉光荣"}},
			{"bad filter", "GET", "/api/v1/households?household_type=rich&limit=x", "", 400,
				map[string]any{"error.fields.limit": "应为整数"}},
			{"update", "PUT", "/api/v1/households/1", `{"version":1,"village_code":"500236266208","household_type":"ex_poor","poverty_attr":"dibao","address":"茨竹村4组"}`, 200,
				map[string]any{"version": 2, "address": "茨竹村4组", "size": 2}},
			{"stale update", "PUT", "/api/v1/households/1", `{"version":1,"village_code":"500236266208","household_type":"ordinary"}`, 409,
				map[string]any{"error.fields.version": "版本已过期"}},
			{"income", "PUT", "/api/v1/households/1/incomes/2025", `{"version":2,"wage":12000,"transfer":3000.5,"business_expense":1000}`, 200,
				map[string]any{"net": 14000.5, "size": 2, "per_capita_net": 7000.25}},
			{"typed net rejected", "PUT", "/api/v1/households/1/incomes/2025", `{"version":3,"net":99999}`, 400,
				map[string]any{"error.fields.net": "未知字段"}},
			{"add member", "POST", "/api/v1/households/1/members", fmt.Sprintf(`{"version":3,"member":{"name":"冉小雨","id_number":%q,"relation":"granddaughter","join_reason":"birth","joined_on":"2024-05-09"}}`, id("500236", "20240509", 44)), 201,
				map[string]any{"size": 3, "version": 4}},
			{"leave without new head", "POST", "/api/v1/households/1/members/1/leave", `{"version":4,"left_on":"2025-01-10","reason":"death"}`, 400,
				map[string]any{"error.fields.new_head_id": "请选择新户主"}},
			{"head dies", "POST", "/api/v1/households/1/members/1/leave", `{"version":4,"left_on":"2025-01-10","reason":"death","new_head_id":2}`, 200,
				map[string]any{"size": 2, "head_name": "周桂英"}},
			{"income per head follows the year", "GET", "/api/v1/households/1/incomes", "", 200,
				map[string]any{"items.0.size": 2}},
			{"history", "GET", "/api/v1/households/1/history", "", 200, map[string]any{"items.0.action": "member.leave", "items.0.actor": "token:测试"}},
			{"delete needs reason", "DELETE", "/api/v1/households/1", `{"version":5,"reason":""}`, 400, map[string]any{"error.code": "invalid"}},
			{"delete", "DELETE", "/api/v1/households/1", `{"version":5,"reason":"重复建档"}`, 200, map[string]any{"delete_reason": "重复建档"}},
			{"gone from list", "GET", "/api/v1/households", "", 200, map[string]any{"total": 0}},
			{"listed as deleted", "GET", "/api/v1/households?deleted=true", "", 200, map[string]any{"total": 1}},
			{"region", "GET", "/api/v1/regions/500236266", "", 200, map[string]any{"name": "平安乡", "level": "township", "parent_code": "500236"}},
			{"region padded", "GET", "/api/v1/regions/500236266000", "", 200, map[string]any{"code": "500236266"}},
			{"region missing", "GET", "/api/v1/regions/500236266999", "", 404, map[string]any{"error.code": "not_found"}},
			{"region search", "GET", "/api/v1/regions?q=茨竹&within=500236", "", 200, map[string]any{"items.0.code": "500236266208"}},
			{"no such route", "GET", "/api/v1/nothing", "", 404, map[string]any{"error.code": "not_found"}},
			{"health", "GET", "/healthz", "", 200, map[string]any{"status": "ok"}},
		})
	})
}

func TestOpenAPIDocument(t *testing.T) {
	srv := newServer(t, dbtest.SQLite(t))
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	for _, p := range []string{"/api/v1/households", "/api/v1/households/{id}", "/api/v1/regions/{code}", "/api/v1/households/{id}/incomes/{year}"} {
		if doc.Paths[p] == nil {
			t.Errorf("path %s missing from the document", p)
		}
	}
	for _, field := range []string{`"id_number"`, `"per_capita_net"`, `"household_type"`} {
		if !bytes.Contains(raw, []byte(field)) {
			t.Errorf("schema lacks %s", field)
		}
	}
}

func TestAssessmentAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		head, spouse := id("512226", "19600101", 11), id("512226", "19620202", 22)
		status, h := call(t, srv, "POST", "/api/v1/households", household(head, spouse, "500236266208"))
		if status != 201 {
			t.Fatalf("create: %d %v", status, h)
		}
		// The new household's water is 60 L, tap at home, quality unknown:
		// water is "unknown", and the spouse has no insurance recorded.
		run(t, srv, []scenario{
			{"assessment", "GET", "/api/v1/households/1/assessment?year=2025", "", 200,
				map[string]any{"verdict.year": 2025, "verdict.items.4.item": "housing", "verdict.items.4.status": "pass"}},
			{"bad year", "GET", "/api/v1/households/1/assessment?year=abc", "", 400, map[string]any{"error.code": "invalid"}},
			{"summary", "GET", "/api/v1/assessments/summary?area=500236266&year=2025", "", 200,
				map[string]any{"total.households": 1, "children.0.code": "500236266208", "children.0.name": "茨竹村"}},
			{"summary bad area", "GET", "/api/v1/assessments/summary?area=5002362&year=2025", "", 400, map[string]any{"error.fields.area": "格式不正确"}},
			{"unknown medical listed", "GET", "/api/v1/assessments/problems?area=500236&year=2025&item=medical&status=unknown", "", 200,
				map[string]any{"total": 1, "items.0.head_name": "冉光荣", "items.0.statuses.medical": "unknown"}},
			{"bad item", "GET", "/api/v1/assessments/problems?area=500236&item=wifi", "", 400, map[string]any{"error.fields.item": "应为以下之一：food、clothing、education、medical、housing、water、standard、income"}},
			{"policy view", "GET", "/api/v1/policy/params?area=500236266&year=2025", "", 200, map[string]any{"area": "500236266"}},
			{"policy bad value", "PUT", "/api/v1/policy/params", `{"area":"500236266","year":2025,"key":"water_min_lpd","value":"很多"}`, 400,
				map[string]any{"error.code": "invalid"}},
			{"policy unknown key", "PUT", "/api/v1/policy/params", `{"area":"500236266","year":2025,"key":"nope","value":"1"}`, 400,
				map[string]any{"error.code": "invalid"}},
			{"policy set", "PUT", "/api/v1/policy/params", `{"area":"500236266","year":2025,"key":"water_min_lpd","value":"80"}`, 200,
				map[string]any{"rows.0.value": "80", "rows.0.updated_by": "token:测试"}},
		})
		_, body := call(t, srv, "GET", "/api/v1/policy/params?area=500236266208&year=2026", "")
		found := false
		for _, u := range body["resolved"].([]any) {
			m := u.(map[string]any)
			found = found || (m["key"] == "water_min_lpd" && m["value"] == "80" && m["area"] == "500236266")
		}
		if !found {
			t.Errorf("2026 in a village of the township does not inherit the 2025 township value: %v", body["resolved"])
		}
	})
}
