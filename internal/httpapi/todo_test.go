package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// todoAreaCounts are the 待办 counts that depend only on the area, not on
// who asks.
var todoAreaCounts = []string{"uncovered", "unpaired", "overdue_visits", "terms_ending", "terms_overdue",
	"alerts_open", "alerts_overdue", "steps_overdue", "objections_open", "applications_open", "eligible", "findings_overdue", "findings_due", "measures_overdue", "measures_due"}

// setupTodo adds, inside the role's village and in another county, the
// records the panel counts besides those of setupAid, setupMonitor and
// setupLedger: a leave request waiting for approval and a finding waiting
// for review (applied for by the admin).
func setupTodo(t *testing.T, admin *client, village string, aid aidSetup, led ledgerSetup) {
	t.Helper()
	for _, inside := range []bool{true, false} {
		v := led.village[inside]
		mustDo(t, admin, 201, "POST", "/api/v1/aid/leaves",
			fmt.Sprintf(`{"cadre_id":%d,"area_code":%q,"from_on":"2025-03-01","to_on":"2025-03-03","reason":"看病"}`, aid.cadre[inside], v))
		path := fmt.Sprintf("/api/v1/ledger/findings/%d/actions", led.finding[inside])
		mustDo(t, admin, 200, "POST", path, `{"kind":"start","version":1}`)
		mustDo(t, admin, 200, "POST", path, `{"kind":"apply","text":"已通自来水","version":2}`)
	}
}

// TestTodoAccessMatrix asks GET /api/v1/todo as every role: the area counts
// equal the admin's counts narrowed to the role's area (records in another
// county are left out, and there are some), each count equals the total of
// the list it links to, and the approvals and confirmations count only for
// the roles that may give them.
func TestTodoAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				aid := setupAid(t, admin, rc.village, 100)
				setupMonitor(t, admin, rc.village, 300)
				led := setupLedger(t, admin, rc.village, 500)
				setupTodo(t, admin, rc.village, aid, led)
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				got := mustDo(t, me, 200, "GET", "/api/v1/todo", "")
				inside := mustDo(t, admin, 200, "GET", "/api/v1/todo?area="+rc.area, "")
				outside := mustDo(t, admin, 200, "GET", "/api/v1/todo?area="+led.village[false][:6], "")
				for _, k := range todoAreaCounts {
					if got[k] != inside[k] {
						t.Errorf("%s todo %s = %v, admin narrowed to %q sees %v", rc.role, k, got[k], rc.area, inside[k])
					}
				}
				for _, k := range []string{"unpaired", "alerts_open", "leaves_pending", "overdue_visits"} {
					if outside[k] == float64(0) {
						t.Errorf("outside county has no %s to leave out: %v", k, outside)
					}
				}
				checkOverduePages(t, admin)
				checkOverduePagesOf(t, me, rc.role, rc.area)
				checkTodoLinks(t, me, rc.role, got)
				checkTodoMine(t, rc.role, got)
				if st, body := me.do("GET", "/api/v1/todo?area=abc", ""); st != 400 || lookup(body, "error.fields.area") == nil {
					t.Errorf("%s todo?area=abc = %d %v, want 400 naming area", rc.role, st, body)
				}
			})
		})
	}
}

// checkTodoLinks compares counts with the lists the panel opens.
func checkTodoLinks(t *testing.T, me *client, role auth.Role, got map[string]any) {
	t.Helper()
	lists := map[string]string{
		"unpaired":  "/api/v1/aid/unpaired",
		"uncovered": "/api/v1/monitor/uncovered",
	}
	for k, path := range lists {
		if body := mustDo(t, me, 200, "GET", path, ""); body["total"] != got[k] {
			t.Errorf("%s todo %s = %v, %s total %v", role, k, got[k], path, body["total"])
		}
	}
	ov := mustDo(t, me, 200, "GET", "/api/v1/aid/overdue-visits", "")
	if n := float64(len(ov["items"].([]any))); n != got["overdue_visits"] || ov["total"] != got["overdue_visits"] {
		t.Errorf("%s todo overdue_visits = %v, list has %v of total %v", role, got["overdue_visits"], n, ov["total"])
	}
	if got["unpaired"] == float64(0) || got["alerts_open"] == float64(0) {
		t.Errorf("%s todo counts nothing inside: %v", role, got)
	}
}

// checkTodoMine checks the counts that depend on who asks: the leave
// requests their township approves, the rotations they may confirm and the
// findings whose review waits for them.
func checkTodoMine(t *testing.T, role auth.Role, got map[string]any) {
	t.Helper()
	want := map[auth.Role][3]float64{ // leaves, rotations, findings
		auth.RoleAdmin:     {2, 2, 2},
		auth.RoleCounty:    {0, 0, 1}, // the county reviews findings but writes no aid records
		auth.RoleTownship:  {1, 1, 1},
		auth.RoleVillage:   {0, 1, 0}, // a village confirms its cadres, approves no leave
		auth.RoleAidUnit:   {0, 0, 0},
		auth.RoleInspector: {0, 0, 0},
	}[role]
	for i, k := range []string{"leaves_pending", "rotations_to_confirm", "findings_to_approve"} {
		if got[k] != want[i] {
			t.Errorf("%s todo %s = %v, want %v", role, k, got[k], want[i])
		}
	}
}

// TestTodoFollowsWrites checks that the memoised area counts follow the
// writes: pairing a helper (an aid write, which the dashboard's counter
// ignores) and verifying an alert (a monitoring write) change the panel at
// once.
func TestTodoFollowsWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		aid := setupAid(t, admin, "500236266200", 100)
		mon := setupMonitor(t, admin, "500236266200", 300)
		todo := func(k string) float64 {
			return mustDo(t, admin, 200, "GET", "/api/v1/todo?area=500236", "")[k].(float64)
		}
		unpaired := todo("unpaired")
		mustDo(t, admin, 200, "PUT", fmt.Sprintf("/api/v1/households/%d/helper", mon.spare[true]), fmt.Sprintf(`{"cadre_id":%d}`, aid.spare))
		if got := todo("unpaired"); got != unpaired-1 {
			t.Errorf("unpaired after pairing: %v → %v", unpaired, got)
		}
		open := todo("alerts_open")
		a := mustDo(t, admin, 200, "GET", "/api/v1/monitor/alerts?area=500236", "")["items"].([]any)[0].(map[string]any)
		mustDo(t, admin, 200, "POST", fmt.Sprintf("/api/v1/monitor/alerts/%d/verify", idOf(a)),
			fmt.Sprintf(`{"version":%v,"outcome":"exclude","reason":"已核实，费用已报销"}`, a["version"]))
		if got := todo("alerts_open"); got != open-1 {
			t.Errorf("alerts_open after verifying: %v → %v", open, got)
		}
	})
}

// checkOverduePages pages the overdue-visit list: a page is the same slice
// of the whole list (longest overdue first) and every page says the total.
func checkOverduePages(t *testing.T, admin *client) {
	t.Helper()
	all := mustDo(t, admin, 200, "GET", "/api/v1/aid/overdue-visits", "")
	items := all["items"].([]any)
	if len(items) < 2 || all["total"] != float64(len(items)) {
		t.Fatalf("overdue list: %d items, total %v; want at least 2, all on the first page", len(items), all["total"])
	}
	page := mustDo(t, admin, 200, "GET", "/api/v1/aid/overdue-visits?limit=1&offset=1", "")
	if got := page["items"].([]any); len(got) != 1 || lookup(got[0].(map[string]any), "household_id") != lookup(items[1].(map[string]any), "household_id") || page["total"] != all["total"] {
		t.Errorf("overdue page 2 of 1 = %v, want the second of %v", page, items)
	}
	past := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/aid/overdue-visits?offset=%d", len(items)), "")
	if len(past["items"].([]any)) != 0 || past["total"] != all["total"] {
		t.Errorf("overdue page past the end = %v", past)
	}
	if st, body := admin.do("GET", "/api/v1/aid/overdue-visits?limit=501", ""); st != 400 || lookup(body, "error.fields.limit") == nil {
		t.Errorf("overdue-visits?limit=501 = %d %v, want 400 naming limit", st, body)
	}
}

// checkOverduePagesOf pages the overdue list one household at a time as
// one role: each page is the household at that place of the whole list,
// none outside the role's area.
func checkOverduePagesOf(t *testing.T, me *client, role auth.Role, area string) {
	t.Helper()
	all := mustDo(t, me, 200, "GET", "/api/v1/aid/overdue-visits?limit=500", "")
	items := all["items"].([]any)
	if len(items) == 0 || all["total"] != float64(len(items)) {
		t.Fatalf("%s overdue list: %d items, total %v", role, len(items), all["total"])
	}
	for i, want := range items {
		if v, _ := lookup(want.(map[string]any), "village_code").(string); !strings.HasPrefix(v, area) {
			t.Errorf("%s (area %q) sees an overdue household of %q", role, area, v)
		}
		page := mustDo(t, me, 200, "GET", fmt.Sprintf("/api/v1/aid/overdue-visits?limit=1&offset=%d", i), "")
		got := page["items"].([]any)
		if len(got) != 1 || lookup(got[0].(map[string]any), "household_id") != lookup(want.(map[string]any), "household_id") || page["total"] != all["total"] {
			t.Errorf("%s overdue page %d of 1 = %v, want %v", role, i, page, want)
		}
	}
}
