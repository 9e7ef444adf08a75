package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

func TestImportJobAndExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		head, spouse := id("512226", "19600101", 11), id("512226", "19620202", 22)
		if s, _ := admin.do("POST", "/api/v1/households", household(head, spouse, "500236266208")); s != 201 {
			t.Fatal("create")
		}
		// Export as an inspector: ID numbers masked in the file.
		insp := newToken(t, db, "督查", "inspector", "500236266")
		csvBody := get(t, srv, insp, "/api/v1/exports?area=500236266&format=csv")
		if strings.Contains(csvBody, head) || !strings.Contains(csvBody, head[:4]+"**********"+head[14:]) {
			t.Errorf("inspector export shows or lacks the masked ID:\n%.300s", csvBody)
		}
		full := get(t, srv, adminToken, "/api/v1/exports?area=500236266&format=csv")
		if !strings.Contains(full, head) {
			t.Fatal("admin export lacks the ID number")
		}
		// Upload the admin's export with one bad ID into the same registry.
		bad := strings.Replace(full, spouse, "5.00236E+17", 1)
		jobID := upload(t, srv, "台账.csv", bad)
		job := waitJob(t, admin, jobID)
		if job["state"] != "rejected" || job["invalid"] != float64(1) {
			t.Fatalf("job = %v", job)
		}
		s, errs := admin.do("GET", fmt.Sprintf("/api/v1/imports/%d/errors", jobID), "")
		items := errs["items"].([]any)
		if s != 200 || len(items) != 1 || items[0].(map[string]any)["column"] != "证件号码" {
			t.Errorf("errors = %d %v", s, errs)
		}
		if xl := get(t, srv, adminToken, fmt.Sprintf("/api/v1/imports/%d/errors?format=xlsx", jobID)); !strings.HasPrefix(xl, "PK") {
			t.Error("error report is not an xlsx")
		}
		// The unchanged file imports as no change.
		job = waitJob(t, admin, upload(t, srv, "台账.csv", full))
		if job["state"] != "done" || job["unchanged"] != float64(1) {
			t.Errorf("re-import = %v", job)
		}
	})
}

func get(t *testing.T, srv *httptest.Server, token, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

func upload(t *testing.T, srv *httptest.Server, name, content string) int {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	io.WriteString(fw, content)
	mw.WriteField("area", "500236266")
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/imports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := decodeBody(t, resp.Body)
	if resp.StatusCode != 202 {
		t.Fatalf("upload = %d %v", resp.StatusCode, out)
	}
	return int(out["id"].(float64))
}

func waitJob(t *testing.T, c *client, id int) map[string]any {
	t.Helper()
	for i := 0; i < 100; i++ {
		_, job := c.do("GET", fmt.Sprintf("/api/v1/imports/%d", id), "")
		if st := job["state"]; st != "queued" && st != "running" {
			return job
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("import did not finish")
	return nil
}

// An import job larger than the progress interval (1,000 rows) finishes:
// its progress is kept in memory while its load holds SQLite's only write
// connection (saving it there would make the job wait for itself).
func TestLargeImportJobFinishes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		var file bytes.Buffer
		if _, err := exchange.WriteHouseholds(&file, "csv", func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: 700, Seed: 3, Today: fupin.DateOf(time.Now())}, emit)
		}); err != nil {
			t.Fatal(err)
		}
		id := upload(t, srv, "县台账.csv", file.String())
		var job map[string]any
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			_, job = admin.do("GET", fmt.Sprintf("/api/v1/imports/%d", id), "")
			if st := job["state"]; st != "queued" && st != "running" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("import of 700 households still %v after 60 s", job["state"])
			}
		}
		if job["state"] != "done" || job["written"] != float64(700) || job["rows_read"].(float64) < 2000 {
			t.Fatalf("job = %v", job)
		}
		if s, page := admin.do("GET", "/api/v1/households?limit=1", ""); s != 200 || page["total"] != float64(700) {
			t.Errorf("households after import: %d %v", s, page["total"])
		}
	})
}

// TestUploadOverLimit: an upload larger than the limit is answered 413 with
// the limit named, not 400 "no file" (the multipart parse stops at the
// limit before the file part is complete).
func TestUploadOverLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		defer httpapi.SetMaxUpload(1 << 20)()
		srv := newServer(t, db)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "big.csv")
		io.WriteString(fw, strings.Repeat("户编号,姓名\n", 200_000))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/imports", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out := decodeBody(t, resp.Body)
		msg, _ := out["error"].(map[string]any)["message"].(string)
		if resp.StatusCode != 413 || !strings.Contains(msg, "超过 1 MB 上限") {
			t.Errorf("upload over the limit = %d %v, want 413 naming the limit", resp.StatusCode, out)
		}
	})
}
