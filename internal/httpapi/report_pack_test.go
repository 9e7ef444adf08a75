package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// TestReportPackAccessMatrix: every role asks for the pack of a village
// inside and outside its area, as JSON and as .xlsx. Inside, the numbers
// are the area's (one household, one finding); outside it is not found
// (the administrator sees the other county's). The source must be chosen;
// a snapshot must be of the year and hold the area.
func TestReportPackAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				village := map[bool]string{true: rc.village, false: outsideVillage(t)}
				for i, inside := range []bool{true, false} {
					mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 780+i), id("512226", "19620202", 780+i), village[inside]))
					insp := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/inspections", fmt.Sprintf(`{"source":"self","title":"自查","area_code":%q}`, village[inside])))
					mustDo(t, admin, 201, "POST", "/api/v1/ledger/findings", findingBody(insp, "ZC-1", village[inside]))
				}
				snap := idOf(mustDo(t, admin, 201, "POST", "/api/v1/appraisal/snapshots", fmt.Sprintf(`{"year":2025,"area_code":%q}`, rc.village)))
				me := &client{t: t, srv: srv, token: newToken(t, db, "pack-"+string(rc.role), string(rc.role), rc.area)}
				for _, inside := range []bool{true, false} {
					visible := inside || rc.role == auth.RoleAdmin
					path := fmt.Sprintf("/api/v1/report-pack?area=%s&year=2025&source=live", village[inside])
					st, body := me.do("GET", path, "")
					if st != map[bool]int{true: 200, false: 404}[visible] {
						t.Fatalf("%s pack inside=%v = %d %v", rc.role, inside, st, body)
					}
					if !visible {
						if st, name, _ := downloadBook(t, me, path+"&format=xlsx"); st != 404 {
							t.Errorf("%s pack .xlsx outside = %d %s", rc.role, st, name)
						}
						continue
					}
					if lookup(body, "sheets.1.rows.0.1") != "1" || lookup(body, "sheets.5.rows.0.1") != "1" || !strings.Contains(lookup(body, "source").(string), "实时数据") {
						t.Errorf("%s pack inside=%v: 总览 %v, 问题整改 %v", rc.role, inside, lookup(body, "sheets.1.rows.0"), lookup(body, "sheets.5.rows.0"))
					}
					st, name, book := downloadBook(t, me, path+"&format=xlsx")
					if st != 200 || len(book) != 8 || book["总览"][1][1] != "1" || book["核查比率"][1][1] != "错退户数 ÷ 抽查的已退出户数" || !strings.Contains(name, "2025年度成效材料") {
						t.Errorf("%s pack .xlsx = %d %s %v", rc.role, st, name, book["总览"])
					}
				}
				if st, body := me.do("GET", fmt.Sprintf("/api/v1/report-pack?area=%s&year=2025&source=snapshot&snapshot_id=%d", rc.village, snap), ""); st != 200 ||
					lookup(body, "sheets.1.rows.0.0") != "全部农户" || lookup(body, "sheets.1.rows.0.1") != "1" {
					// A village or aid-unit user sees the snapshot of its own village.
					t.Errorf("%s pack from the snapshot = %d %v", rc.role, st, lookup(body, "sheets.1"))
				}
				for _, bad := range []struct{ query, field string }{
					{"area=" + rc.village + "&year=2025", "source"},
					{"area=" + rc.village + "&year=2025&source=snapshot", "source"},
					{fmt.Sprintf("area=%s&year=2024&source=snapshot&snapshot_id=%d", rc.village, snap), "snapshot_id"},
					{"area=5002&year=2025&source=live", "area"},
				} {
					if st, body := me.do("GET", "/api/v1/report-pack?"+bad.query, ""); st != 400 || lookup(body, "error.fields."+bad.field) == nil {
						t.Errorf("%s pack?%s = %d %v, want 400 on %s", rc.role, bad.query, st, body, bad.field)
					}
				}
			})
		})
	}
}
