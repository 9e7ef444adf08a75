package httpapi_test

import (
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// isParamError reports whether body is the binder's answer (400 naming the
// parameter) rather than one from the handler or the store.
func isParamError(status int, body map[string]any, name string) bool {
	msg, _ := lookup(body, "error.message").(string)
	return status == 400 && strings.HasPrefix(msg, "查询参数有误") && lookup(body, "error.fields."+name) != nil
}

// TestRouteTableParams walks the route table: every documented query
// parameter is accepted with a value its tags allow, an undocumented one is
// refused with the binder's 400 on every route (before any handler runs, so
// writes are untouched), and the shared limit/offset rules hold on every list.
func TestRouteTableParams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		withParams := 0
		for _, rt := range httpapi.RouteQueries() {
			path := strings.NewReplacer("{id}", "1", "{member_id}", "1", "{unit_id}", "1", "{objection_id}", "1",
				"{milestone_id}", "1", "{year}", "2025", "{code}", "500236", "{username}", "nobody").Replace(rt.Path)
			if status, body := call(t, srv, rt.Method, path+"?no_such_param=1", ""); !isParamError(status, body, "no_such_param") {
				t.Errorf("%s %s?no_such_param=1 = %d %v, want the binder's 400 naming no_such_param", rt.Method, rt.Path, status, body)
			}
			if rt.Method != "GET" || len(rt.Params) == 0 {
				continue
			}
			withParams++
			for _, p := range rt.Params {
				url := path + "?" + p.Name + "=" + p.Valid
				if status, body := call(t, srv, "GET", url, ""); isParamError(status, body, p.Name) || status >= 500 {
					t.Errorf("GET %s = %d %v, want %s accepted", url, status, body, p.Name)
				}
				if status, body := call(t, srv, "GET", url+"&"+p.Name+"="+p.Valid, ""); !isParamError(status, body, p.Name) {
					t.Errorf("GET %s twice = %d %v, want 400 naming %s", url, status, body, p.Name)
				}
				var bad []string
				switch p.Name {
				case "limit":
					bad = []string{"-1", "100000", "ten"}
				case "offset":
					bad = []string{"-5", "x"}
				case "from", "to":
					bad = []string{"bad-date", "2025-02-30"}
				case "month":
					bad = []string{"2025-13", "abc"}
				case "area":
					// The export checks its area against the division codes
					// itself (its own message, tested in disposition_test.go).
					if rt.Path != "/api/v1/exports" {
						bad = []string{"50023x", "5002362662081"}
					}
				case "year":
					bad = []string{"abc", "1999"}
				}
				for _, v := range bad {
					if status, body := call(t, srv, "GET", path+"?"+p.Name+"="+v, ""); !isParamError(status, body, p.Name) {
						t.Errorf("GET %s?%s=%s = %d %v, want the binder's 400 naming %s", rt.Path, p.Name, v, status, body, p.Name)
					}
				}
			}
		}
		if withParams < 30 {
			t.Errorf("only %d GET routes document query parameters; the walk found too few", withParams)
		}
	})
}
