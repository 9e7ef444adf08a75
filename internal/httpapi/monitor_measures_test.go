package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// TestDueMeasuresMatrix asks GET /api/v1/monitor/measures (JSON and xlsx)
// as every role, with an overdue and a soon-due measure in the role's village
// and in another county: each role sees exactly those of its area (another
// county's only for the administrator), the 待办 counts equal the list's
// totals, ending the overdue measure inside takes it off the list for the
// writers who may end it and changes nothing for the others, and bad
// filters answer 400 naming the field.
func TestDueMeasuresMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				db.Now = func() time.Time { return time.Date(2025, 6, 16, 2, 0, 0, 0, time.UTC) }
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				s := setupMonitor(t, admin, rc.village, 300)
				overdue := map[bool]int{}
				for _, inside := range []bool{true, false} {
					path := fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[inside])
					for _, m := range []struct{ content, ends string }{{"临时救助", "2025-06-01"}, {"公益岗位", "2025-07-01"}} {
						c := mustDo(t, admin, 200, "GET", path, "")
						c = mustDo(t, admin, 201, "POST", path+"/measures", fmt.Sprintf(
							`{"version":%v,"category":"employment","content":%q,"responsible":"帮扶干部","starts_on":"2025-01-01","ends_on":%q,"status":"active"}`,
							c["version"], m.content, m.ends))
						for _, it := range asList(c["measures"]) {
							if x := it.(map[string]any); x["content"] == "临时救助" {
								overdue[inside] = idOf(x)
							}
						}
					}
				}
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				isAdmin := rc.role == auth.RoleAdmin
				seen := map[bool]float64{true: 2, false: 1}[isAdmin]
				total := func(c *client, q string) any {
					return mustDo(t, c, 200, "GET", "/api/v1/monitor/measures?"+q, "")["total"]
				}
				for q, want := range map[string]float64{"": 2 * seen, "due=overdue": seen, "due=soon": seen, "due=all&limit=1": 2 * seen,
					"area=" + s.village[true]: 2, "area=" + s.village[false]: map[bool]float64{true: 2, false: 0}[isAdmin]} {
					if got := total(me, q); got != want {
						t.Errorf("%s measures?%s total %v, want %v", rc.role, q, got, want)
					}
				}
				page := mustDo(t, me, 200, "GET", "/api/v1/monitor/measures?due=overdue", "")
				for _, it := range asList(page["items"]) {
					m := it.(map[string]any)
					if m["due"] != "overdue" || m["head_name"] == "" || m["ends_on"] != "2025-06-01" || (!isAdmin && m["village_code"] != s.village[true]) {
						t.Errorf("%s overdue item %v", rc.role, m)
					}
				}
				todo := mustDo(t, me, 200, "GET", "/api/v1/todo", "")
				if todo["measures_overdue"] != seen || todo["measures_due"] != seen {
					t.Errorf("%s todo measures %v overdue, %v due; lists %v each", rc.role, todo["measures_overdue"], todo["measures_due"], seen)
				}
				if st, _, rows := downloadList(t, me, "/api/v1/monitor/measures?area="+s.village[false]); st != 200 || len(rows) != 1+map[bool]int{true: 2, false: 0}[isAdmin] {
					t.Errorf("%s xlsx of another county = %d, rows %v", rc.role, st, rows)
				}
				if st, _, rows := downloadList(t, me, "/api/v1/monitor/measures?due=overdue"); st != 200 || len(rows) != 1+int(seen) || rows[1][0] != "已到期" {
					t.Errorf("%s xlsx overdue = %d, rows %v", rc.role, st, rows)
				}

				// Ending the overdue measure: writers inside their area.
				for _, inside := range []bool{true, false} {
					path := fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[inside])
					c := mustDo(t, admin, 200, "GET", path, "")
					before := total(admin, "due=overdue&area="+s.village[inside])
					st, body := me.do("PUT", fmt.Sprintf("%s/measures/%d", path, overdue[inside]), fmt.Sprintf(
						`{"version":%v,"category":"employment","content":"临时救助","responsible":"帮扶干部","starts_on":"2025-01-01","ends_on":"2025-06-01","status":"done","outcome":"已发放"}`,
						c["version"]))
					allowed := rc.role.CanWrite() && (inside || isAdmin)
					wantSt := map[bool]int{true: 200, false: 403}[rc.role.CanWrite()]
					if rc.role.CanWrite() && !allowed {
						wantSt = 404
					}
					if st != wantSt {
						t.Errorf("%s end measure (inside %v) = %d %v, want %d", rc.role, inside, st, body, wantSt)
					}
					want := before.(float64)
					if allowed {
						want--
					}
					if got := total(admin, "due=overdue&area="+s.village[inside]); got != want {
						t.Errorf("%s ended measure (inside %v): overdue %v → %v, want %v", rc.role, inside, before, got, want)
					}
				}
				todo = mustDo(t, me, 200, "GET", "/api/v1/todo", "")
				if after := total(me, "due=overdue"); todo["measures_overdue"] != after {
					t.Errorf("%s after ending: todo %v, list %v", rc.role, todo["measures_overdue"], after)
				}

				for _, q := range []string{"due=late", "cadre_id=-1", "limit=501", "area=abc", "offset=-1"} {
					field := map[string]string{"due=late": "due", "cadre_id=-1": "cadre_id", "limit=501": "limit", "area=abc": "area", "offset=-1": "offset"}[q]
					if st, body := me.do("GET", "/api/v1/monitor/measures?"+q, ""); st != 400 || lookup(body, "error.fields."+field) == nil {
						t.Errorf("%s measures?%s = %d %v, want 400 naming %s", rc.role, q, st, body, field)
					}
				}
			})
		})
	}
}
