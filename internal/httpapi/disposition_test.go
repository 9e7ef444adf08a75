package httpapi_test

import (
	"mime"
	"net/http"
	"net/url"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// The export area is checked against the division codes, and no request text reaches the
// Content-Disposition header unencoded.
func TestExportAreaAndFileName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		for _, area := range []string{`x"; filename="evil.exe`, "500236266999", "5002362", "abc", "500236266208\r\nX-Evil: 1"} {
			status, body := call(t, srv, "GET", "/api/v1/exports?format=csv&area="+url.QueryEscape(area), "")
			if status != 400 || lookup(body, "error.fields.area") == nil || lookup(body, "error.message") != "导出区域不是有效的统计用区划代码" {
				t.Errorf("export area %q = %d %v, want 400 naming area", area, status, body)
			}
		}
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/exports?format=csv&area=500236266000", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cd := resp.Header.Get("Content-Disposition")
		_, params, err := mime.ParseMediaType(cd)
		if resp.StatusCode != 200 || err != nil || params["filename"] != "农户台账-500236266.csv" {
			t.Errorf("export = %d, Content-Disposition %q (%v, %v)", resp.StatusCode, cd, params, err)
		}
		// mime decodes filename* (RFC 2231) into filename, as browsers prefer it.
		want := `attachment; filename="registry-500236266.csv"; filename*=UTF-8''%E5%86%9C%E6%88%B7%E5%8F%B0%E8%B4%A6-500236266.csv`
		if cd != want {
			t.Errorf("Content-Disposition = %q, want %q", cd, want)
		}
	})
}
