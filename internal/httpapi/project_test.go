package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

func projectBody(village string, household int, version int) string {
	return fmt.Sprintf(`{"name":"通组公路硬化","type":"infrastructure","subtype":"road","area_code":%q,"year":2025,
		"planned_end":"2025-12-31","households":[%d],"budget":[{"source":"central","amount":80000},{"source":"east_west","amount":20000.5}],
		"version":%d}`, village, household, version)
}

// TestProjectAccessMatrix: every role against a project inside and outside
// its area: list, roll-up, detail and notice follow the area; creating,
// editing and paying are admin, county and township acts inside their
// areas; approval is the county's; the notice names the household by its
// head and village, never by ID number. State is checked afterwards.
func TestProjectAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				db.Now = func() time.Time { return time.Date(2025, 6, 16, 2, 0, 0, 0, time.UTC) }
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				village := map[bool]string{true: rc.village, false: outsideVillage(t)}
				hh, proj, head := map[bool]int{}, map[bool]int{}, map[bool]string{}
				for i, inside := range []bool{true, false} {
					head[inside] = id("512226", "19600101", 760+i)
					hh[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households",
						household(head[inside], id("512226", "19620202", 760+i), village[inside])))
					proj[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/projects", projectBody(village[inside], hh[inside], 0)))
				}
				me := &client{t: t, srv: srv, token: newToken(t, db, "project-"+string(rc.role), string(rc.role), rc.area)}
				wantItems := map[bool]int{true: 2, false: 1}[rc.role == auth.RoleAdmin]
				if st, body := me.do("GET", "/api/v1/projects", ""); st != 200 || lookup(body, "total") != float64(wantItems) ||
					lookup(body, "items.0.id") != float64(proj[rc.role != auth.RoleAdmin]) {
					t.Errorf("%s list = %d %v, want %d", rc.role, st, body, wantItems)
				}
				if st, body := me.do("GET", "/api/v1/projects/rollup?year=2025", ""); st != 200 || lookup(body, "projects") != float64(wantItems) ||
					lookup(body, "budget") != float64(100000.5*float64(wantItems)) {
					t.Errorf("%s rollup = %d %v", rc.role, st, body)
				}
				editor := rc.role == auth.RoleAdmin || rc.role == auth.RoleCounty || rc.role == auth.RoleTownship
				approver := rc.role == auth.RoleAdmin || rc.role == auth.RoleCounty
				for _, inside := range []bool{true, false} {
					visible := inside || rc.role == auth.RoleAdmin
					want := map[bool]int{true: 200, false: 404}[visible]
					base := fmt.Sprintf("/api/v1/projects/%d", proj[inside])
					if st, body := me.do("GET", base, ""); st != want {
						t.Errorf("%s detail inside=%v = %d %v, want %d", rc.role, inside, st, body, want)
					}
					st, body := me.do("GET", base+"/notice", "")
					if st != want {
						t.Errorf("%s notice inside=%v = %d, want %d", rc.role, inside, st, want)
					}
					if raw := fmt.Sprint(body); st == 200 && (lookup(body, "households.0.head_name") != "冉光荣" ||
						strings.Contains(raw, head[inside]) || strings.Contains(raw, head[inside][:6]+"*")) {
						t.Errorf("%s notice shows %v", rc.role, body)
					}
					wantCreate := 403
					if editor && (inside || rc.role == auth.RoleAdmin) {
						wantCreate = 201
					}
					if st, body := me.do("POST", "/api/v1/projects", projectBody(village[inside], hh[inside], 0)); st != wantCreate {
						t.Errorf("%s create inside=%v = %d %v, want %d", rc.role, inside, st, body, wantCreate)
					}
					wantPut := map[bool]int{true: 200, false: 403}[editor && visible]
					if st, body := me.do("PUT", base, projectBody(village[inside], hh[inside], 1)); st != wantPut {
						t.Errorf("%s update inside=%v = %d %v, want %d", rc.role, inside, st, body, wantPut)
					}
					version := lookup(mustDo(t, admin, 200, "GET", base, ""), "version")
					wantAct := map[bool]int{true: 200, false: 403}[approver]
					if !visible {
						wantAct = 404
					}
					if st, body := me.do("POST", base+"/actions", fmt.Sprintf(`{"kind":"approve","version":%v}`, version)); st != wantAct {
						t.Errorf("%s approve inside=%v = %d %v, want %d", rc.role, inside, st, body, wantAct)
					}
					after := mustDo(t, admin, 200, "GET", base, "")
					if approved := lookup(after, "status") == "approved"; approved != (wantAct == 200) || approved && lookup(after, "approved_by") != "token:project-"+string(rc.role) {
						t.Errorf("%s approve inside=%v left %v", rc.role, inside, after)
					}
					if wantAct != 200 {
						mustDo(t, admin, 200, "POST", base+"/actions", fmt.Sprintf(`{"kind":"approve","version":%v}`, lookup(after, "version")))
					}
					wantPay := map[bool]int{true: 201, false: 403}[editor]
					if editor && !visible {
						wantPay = 404
					}
					if st, body := me.do("POST", base+"/disbursements", `{"paid_on":"2025-06-16","amount":30000,"source":"central","note":"第一批"}`); st != wantPay {
						t.Errorf("%s pay inside=%v = %d %v, want %d", rc.role, inside, st, body, wantPay)
					}
					if spent := lookup(mustDo(t, admin, 200, "GET", base, ""), "spent"); spent != float64(map[bool]int{true: 30000, false: 0}[wantPay == 201]) {
						t.Errorf("%s pay inside=%v: spent %v", rc.role, inside, spent)
					}
				}
				if rc.role == auth.RoleAdmin {
					base := fmt.Sprintf("/api/v1/projects/%d", proj[true])
					if st, body := me.do("POST", base+"/disbursements", `{"paid_on":"2025-06-16","amount":50000.01,"source":"central"}`); st != 400 || lookup(body, "error.fields.amount") == nil {
						t.Errorf("over budget = %d %v", st, body)
					}
					if st, body := me.do("POST", "/api/v1/projects", `{"name":"","type":"bridge","area_code":"1","year":1,"budget":[]}`); st != 400 ||
						lookup(body, "error.fields.name") == nil || lookup(body, "error.fields.type") == nil || lookup(body, "error.fields.budget") == nil {
						t.Errorf("bad project = %d %v", st, body)
					}
					if st, body := me.do("GET", "/api/v1/projects?status=done", ""); st != 400 || lookup(body, "error.fields.status") == nil {
						t.Errorf("bad filter = %d %v", st, body)
					}
				}
			})
		})
	}
}

// TestProjectAssetAccessMatrix: every role against an asset inside and
// outside its area: the register and the detail follow the area;
// registering, editing and the yearly check are admin, county and township
// acts inside their areas; the check is stored and totalled.
func TestProjectAssetAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				village := map[bool]string{true: rc.village, false: outsideVillage(t)}
				proj, asset := map[bool]int{}, map[bool]int{}
				assetBody := func(inside bool, version int) string {
					return fmt.Sprintf(`{"project_id":%d,"name":"光伏电站","kind":"operating","owner":"collective","village_code":%q,
						"value":300000,"operator":"股份经济合作社","status":"operating","version":%d}`, proj[inside], village[inside], version)
				}
				for _, inside := range []bool{true, false} {
					body := mustDo(t, admin, 201, "POST", "/api/v1/projects", strings.Replace(projectBody(village[inside], 0, 0), `"households":[0],`, "", 1))
					proj[inside] = idOf(body)
					for _, kind := range []string{"approve", "start", "accept"} {
						body = mustDo(t, admin, 200, "POST", fmt.Sprintf("/api/v1/projects/%d/actions", proj[inside]),
							fmt.Sprintf(`{"kind":%q,"opinion":"合格","version":%v}`, kind, lookup(body, "version")))
					}
					asset[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/project-assets", assetBody(inside, 0)))
				}
				me := &client{t: t, srv: srv, token: newToken(t, db, "asset-"+string(rc.role), string(rc.role), rc.area)}
				wantItems := map[bool]int{true: 2, false: 1}[rc.role == auth.RoleAdmin]
				if st, body := me.do("GET", "/api/v1/project-assets?year=2025", ""); st != 200 || len(body["items"].([]any)) != wantItems || lookup(body, "unchecked") != float64(wantItems) {
					t.Errorf("%s register = %d %v, want %d", rc.role, st, body, wantItems)
				}
				editor := rc.role == auth.RoleAdmin || rc.role == auth.RoleCounty || rc.role == auth.RoleTownship
				for _, inside := range []bool{true, false} {
					visible := inside || rc.role == auth.RoleAdmin
					base := fmt.Sprintf("/api/v1/project-assets/%d", asset[inside])
					if st, body := me.do("GET", base, ""); st != map[bool]int{true: 200, false: 404}[visible] {
						t.Errorf("%s detail inside=%v = %d %v", rc.role, inside, st, body)
					}
					wantCreate := map[bool]int{true: 201, false: 403}[editor && visible]
					if st, body := me.do("POST", "/api/v1/project-assets", assetBody(inside, 0)); st != wantCreate {
						t.Errorf("%s create inside=%v = %d %v, want %d", rc.role, inside, st, body, wantCreate)
					}
					if st, body := me.do("PUT", base, assetBody(inside, 1)); st != map[bool]int{true: 200, false: 403}[editor && visible] {
						t.Errorf("%s update inside=%v = %d %v", rc.role, inside, st, body)
					}
					wantCheck := map[bool]int{true: 200, false: 403}[editor]
					if editor && !visible {
						wantCheck = 404
					}
					if st, body := me.do("PUT", base+"/checks/2025", `{"income":12000,"shared":8000,"households":30,"status":"operating"}`); st != wantCheck {
						t.Errorf("%s check inside=%v = %d %v, want %d", rc.role, inside, st, body, wantCheck)
					}
				}
				_, reg := admin.do("GET", "/api/v1/project-assets?year=2025&area="+rc.village, "")
				if checked := lookup(reg, "shared") == float64(8000); checked != editor {
					t.Errorf("%s: register after the check %v", rc.role, reg)
				}
				if rc.role == auth.RoleAdmin {
					if st, body := me.do("PUT", fmt.Sprintf("/api/v1/project-assets/%d/checks/2025", asset[true]), `{"income":1,"shared":2,"households":1,"status":"x"}`); st != 400 ||
						lookup(body, "error.fields.shared") == nil || lookup(body, "error.fields.status") == nil {
						t.Errorf("bad check = %d %v", st, body)
					}
				}
			})
		})
	}
}
