package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

// downloadList GETs path with ?format=xlsx added and returns the status, the
// file name of Content-Disposition's filename* and the first sheet's rows.
func downloadList(t *testing.T, c *client, path string) (int, string, [][]string) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	resp, body := fetch(t, c, path+sep+"format=xlsx")
	if resp.StatusCode != 200 {
		return resp.StatusCode, string(body), nil
	}
	if cd := resp.Header.Get("Content-Disposition"); strings.Contains(cd, `filename="list--`) {
		t.Errorf("%s: the ASCII file name lacks the area: %q", path, cd)
	}
	_, enc, _ := strings.Cut(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''")
	name, err := url.PathUnescape(enc)
	if err != nil {
		t.Fatalf("%s: Content-Disposition %q", path, resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not an .xlsx: %v", path, err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return 200, name, rows
}

// TestListExports downloads 农户台账, 问题清单, 走访记录, 结对帮扶 and 考勤月报 as
// every role, with records inside its area and in another county: the file
// holds exactly the rows of the same list's JSON (all pages), never a record
// outside the area, is named 区域_清单_日期.xlsx, and carries no full phone
// number, ID number or birth date for roles that see identities masked.
func TestListExports(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				s := setupAid(t, admin, rc.village, 300)
				headID := id("512226", "19600101", 301)
				mustDo(t, admin, 201, "POST", fmt.Sprintf("/api/v1/households/%d/visits", s.household[true]),
					fmt.Sprintf(`{"cadre_id":%d,"visited_on":"2025-01-09","kind":"phone","findings":"核对户主身份证 %s，电话 13912345678"}`, s.cadre[true], headID))
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				inName, outName := villageName(t, rc.village), villageName(t, outsideVillage(t))
				areaName := "全部"
				if rc.area != "" {
					areaName = villageName(t, rc.area)
				}
				lists := []struct{ list, path, count string }{
					{"农户台账", "/api/v1/households?sort=-updated_at", "total"},
					{"问题清单", "/api/v1/assessments/problems?area=" + rc.area + "&status=unknown&year=2024", "total"},
					{"走访记录", "/api/v1/aid/visits?area=" + rc.area, "total"},
					{"结对帮扶", "/api/v1/aid/pairings?area=" + rc.area, "total"},
					{"考勤月报2025-01", "/api/v1/aid/attendance?month=2025-01&area=" + rc.area, "teams"},
				}
				for _, l := range lists {
					_, page := me.do("GET", l.path, "")
					want := jsonRows(page, l.count)
					status, name, rows := downloadList(t, me, l.path)
					if status != 200 {
						t.Fatalf("%s: %d %s", l.list, status, name)
					}
					if !regexp.MustCompile(`^` + areaName + `_` + l.list + `_\d{4}-\d{2}-\d{2}\.xlsx$`).MatchString(name) {
						t.Errorf("%s: file name %q, want %s_%s_<date>.xlsx", l.list, name, areaName, l.list)
					}
					if len(rows)-1 != want || want == 0 && l.list != "问题清单" {
						t.Errorf("%s: %d data rows, the list has %d", l.list, len(rows)-1, want)
					}
					text := fmt.Sprint(rows)
					if rc.role != auth.RoleAdmin && strings.Contains(text, outName) {
						t.Errorf("%s: a record of %s (outside the area) is in the export", l.list, outName)
					}
					if want > 0 && l.list != "考勤月报2025-01" && !strings.Contains(text, inName) {
						t.Errorf("%s: no row of %s: %v", l.list, inName, rows)
					}
					full := []string{"13987654321", "13912345678", headID, "1960-01-01", "19600101"}
					for _, f := range full {
						if !rc.role.SeesIdentity() && strings.Contains(text, f) {
							t.Errorf("%s as %s: %q unmasked in the export", l.list, rc.role, f)
						}
					}
					if rc.role.SeesIdentity() && l.list == "走访记录" && !strings.Contains(text, headID) {
						t.Errorf("%s as %s: the ID number in the findings is masked for a role that may see it", l.list, rc.role)
					}
				}
			})
		})
	}
}

// jsonRows is the row count of a list's JSON: total, or the cadres of all teams.
func jsonRows(page map[string]any, count string) int {
	if count == "total" {
		n, _ := page["total"].(float64)
		return int(n)
	}
	n := 0
	teams, _ := page["teams"].([]any)
	for _, t := range teams {
		cadres, _ := t.(map[string]any)["cadres"].([]any)
		n += len(cadres)
	}
	return n
}

func villageName(t *testing.T, code string) string {
	t.Helper()
	r, err := region.Lookup(code)
	if err != nil {
		t.Fatal(err)
	}
	return r.Name
}

// TestListExportBound: a list longer than the bound is refused with a
// Chinese message naming the bound, and no file is sent.
func TestListExportBound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := httptest.NewServer(httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{ListExportMax: 2}))
		t.Cleanup(srv.Close)
		admin := &client{t: t, srv: srv, token: newToken(t, db, "测试", "admin", "")}
		for i := 0; i < 3; i++ {
			mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 400+i), id("512226", "19620202", 400+i), "500236266200"))
		}
		status, body, _ := downloadList(t, admin, "/api/v1/households?area=500236266")
		if status != 400 || !strings.Contains(body, "超过导出上限 2 行") {
			t.Errorf("3 rows with a bound of 2 = %d %s, want 400 naming the bound", status, body)
		}
		status, _, rows := downloadList(t, admin, "/api/v1/households?area=500236266&q=冉光荣&limit=1")
		if status != 400 {
			t.Errorf("the page's limit must not cut the export: %d, %d rows", status, len(rows))
		}
	})
}

// downloadBook GETs path and returns the status, the file name of
// Content-Disposition's filename* (or the error body) and every sheet's rows.
func downloadBook(t *testing.T, c *client, path string) (int, string, map[string][][]string) {
	t.Helper()
	resp, body := fetch(t, c, path)
	if resp.StatusCode != 200 {
		return resp.StatusCode, string(body), nil
	}
	_, enc, _ := strings.Cut(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''")
	name, err := url.PathUnescape(enc)
	if err != nil {
		t.Fatalf("%s: Content-Disposition %q", path, resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not an .xlsx: %v", path, err)
	}
	defer f.Close()
	sheets := map[string][][]string{}
	for _, sh := range f.GetSheetList() {
		if sheets[sh], err = f.GetRows(sh); err != nil {
			t.Fatal(err)
		}
	}
	return 200, name, sheets
}
