package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

func practiceBody(title, area string, version int) string {
	return fmt.Sprintf(`{"title":%q,"area_code":%q,"themes":["industry","assets"],"problem":"村集体无稳定收入，联系人 13987654321",
		"actions":"建设村级光伏电站，收益按劳分配","results":"村集体年增收 12 万元",
		"figures":[{"label":"受益户数","value":86,"unit":"户"}],"version":%d}`, title, area, version)
}

// TestPracticeAccessMatrix: every role against cases inside and outside
// its area. A proposed case is read only inside the caller's areas; a
// published county case is read by its townships and villages too, and
// another county's by nobody but the administrator. County, township and
// village offices propose, edit and attach documents inside their areas;
// the county publishes. Search by text and by pinyin initials; phone
// numbers in the text are masked like everywhere else; a case proposed
// from a finding needs it closed. State is checked afterwards.
func TestPracticeAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				village := map[bool]string{true: rc.village, false: outsideVillage(t)}
				county := map[bool]string{true: "500236", false: village[false][:6]}
				vcase, ccase := map[bool]int{}, map[bool]int{}
				for _, inside := range []bool{true, false} {
					vcase[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/practices", practiceBody("光伏扶贫电站收益分配", village[inside], 0)))
					ccase[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/practices", practiceBody("消费帮扶专柜", county[inside], 0)))
					mustDo(t, admin, 200, "POST", fmt.Sprintf("/api/v1/practices/%d/actions", ccase[inside]), `{"action":"publish","version":1}`)
				}
				me := &client{t: t, srv: srv, token: newToken(t, db, "practice-"+string(rc.role), string(rc.role), rc.area)}
				isAdmin := rc.role == auth.RoleAdmin
				proposer := isAdmin || rc.role == auth.RoleCounty || rc.role == auth.RoleTownship || rc.role == auth.RoleVillage
				reviewer := isAdmin || rc.role == auth.RoleCounty

				wantList := map[bool]int{true: 4, false: 2}[isAdmin]
				if st, body := me.do("GET", "/api/v1/practices", ""); st != 200 || lookup(body, "total") != float64(wantList) {
					t.Errorf("%s list = %d %v, want %d", rc.role, st, body, wantList)
				}
				for _, q := range []string{"GFFP", "gffpdz", "光伏扶贫", "收益分配"} {
					want := map[bool]int{true: 2, false: 1}[isAdmin]
					if st, body := me.do("GET", "/api/v1/practices?q="+q, ""); st != 200 || lookup(body, "total") != float64(want) ||
						lookup(body, "items.0.title") != "光伏扶贫电站收益分配" {
						t.Errorf("%s search %s = %d %v, want %d", rc.role, q, st, body, want)
					}
				}
				if st, body := me.do("GET", "/api/v1/practices?status=published&theme=assets", ""); st != 200 || lookup(body, "total") != float64(wantList/2) {
					t.Errorf("%s published list = %d %v", rc.role, st, body)
				}
				if st, body := me.do("GET", "/api/v1/practices?q="+strings.Repeat("长", 51), ""); st != 400 || lookup(body, "error.fields.q") == nil {
					t.Errorf("%s long search = %d %v", rc.role, st, body)
				}
				for _, inside := range []bool{true, false} {
					visible := inside || isAdmin
					want := map[bool]int{true: 200, false: 404}[visible]
					for _, id := range []int{vcase[inside], ccase[inside]} {
						st, body := me.do("GET", fmt.Sprintf("/api/v1/practices/%d", id), "")
						if st != want {
							t.Errorf("%s case %d inside=%v = %d %v, want %d", rc.role, id, inside, st, body, want)
						}
						if problem, _ := lookup(body, "problem").(string); st == 200 && strings.Contains(problem, "13987654321") != rc.role.SeesIdentity() {
							t.Errorf("%s sees problem %q", rc.role, problem)
						}
					}
					base := fmt.Sprintf("/api/v1/practices/%d", vcase[inside])
					wantWrite := map[bool]int{true: 403, false: 404}[visible]
					if proposer && visible {
						wantWrite = 200
					}
					if st, body := me.do("PUT", base, practiceBody("光伏扶贫电站收益分配（修订）", village[inside], 1)); st != wantWrite {
						t.Errorf("%s edit inside=%v = %d %v, want %d", rc.role, inside, st, body, wantWrite)
					}
					wantDoc := map[int]int{200: 201, 403: 403, 404: 404}[wantWrite]
					st, doc := uploadFile(t, me, fmt.Sprintf("/api/v1/practices/%d/documents", vcase[inside]), "现场照片.png", pngBytes())
					if st != wantDoc {
						t.Errorf("%s document inside=%v = %d %v, want %d", rc.role, inside, st, doc, wantDoc)
					}
					if st == 201 {
						if got, _, _ := download(t, me, fmt.Sprintf("/api/v1/practice-documents/%d", idOf(doc))); got != 200 {
							t.Errorf("%s download = %d", rc.role, got)
						}
					}
					after := mustDo(t, admin, 200, "GET", base, "")
					edited := wantWrite == 200
					if (lookup(after, "title") == "光伏扶贫电站收益分配（修订）") != edited || len(after["documents"].([]any)) != map[bool]int{true: 1, false: 0}[edited] {
						t.Errorf("%s inside=%v: case after writes %v (edited %v)", rc.role, inside, after, edited)
					}
					version := int(after["version"].(float64))
					wantPublish := map[bool]int{true: 403, false: 404}[visible]
					if reviewer && visible {
						wantPublish = 200
					}
					if st, body := me.do("POST", base+"/actions", fmt.Sprintf(`{"action":"publish","version":%d}`, version)); st != wantPublish {
						t.Errorf("%s publish inside=%v = %d %v, want %d", rc.role, inside, st, body, wantPublish)
					}
					if got := lookup(mustDo(t, admin, 200, "GET", base, ""), "status"); (got == "published") != (wantPublish == 200) {
						t.Errorf("%s inside=%v: status %v after publish %d", rc.role, inside, got, wantPublish)
					}
					wantCreate := 403
					if proposer && (inside || isAdmin) {
						wantCreate = 201
					}
					if st, body := me.do("POST", "/api/v1/practices", practiceBody("新案例", village[inside], 0)); st != wantCreate {
						t.Errorf("%s create inside=%v = %d %v, want %d", rc.role, inside, st, body, wantCreate)
					}
				}
				// A case from a finding that is not closed is refused, before
				// anything is written; one outside the area is not found.
				var finding int
				for _, inside := range []bool{true, false} {
					insp := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/inspections", fmt.Sprintf(`{"source":"self","title":"自查","area_code":%q}`, village[inside])))
					id := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/findings", findingBody(insp, "ZC-1", village[inside])))
					want := map[bool]int{true: 409, false: 404}[inside || isAdmin]
					if st, body := me.do("GET", fmt.Sprintf("/api/v1/practices/draft?source=finding&source_id=%d", id), ""); st != want {
						t.Errorf("%s draft from an open finding inside=%v = %d %v, want %d", rc.role, inside, st, body, want)
					}
					if inside {
						finding = id
					}
				}
				// A document of another county's case is not found.
				st, doc := uploadFile(t, admin, fmt.Sprintf("/api/v1/practices/%d/documents", ccase[false]), "材料.png", pngBytes())
				if st != 201 {
					t.Fatalf("admin document = %d %v", st, doc)
				}
				if got, _, _ := download(t, me, fmt.Sprintf("/api/v1/practice-documents/%d", idOf(doc))); got != map[bool]int{true: 200, false: 404}[isAdmin] {
					t.Errorf("%s download outside = %d", rc.role, got)
				}
				if proposer {
					before := lookup(mustDo(t, admin, 200, "GET", "/api/v1/practices", ""), "total")
					body := strings.Replace(practiceBody("整改经验", rc.village, 0), `"version"`, fmt.Sprintf(`"source":"finding","source_id":%d,"version"`, finding), 1)
					if st, resp := me.do("POST", "/api/v1/practices", body); st != 409 || lookup(resp, "error.fields.source_id") == nil {
						t.Errorf("%s case from an open finding = %d %v", rc.role, st, resp)
					}
					if after := lookup(mustDo(t, admin, 200, "GET", "/api/v1/practices", ""), "total"); after != before {
						t.Errorf("%s: a refused case was written (%v → %v)", rc.role, before, after)
					}
				}
			})
		})
	}
}
