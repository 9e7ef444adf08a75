package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Import jobs and their error reports are scoped by the importing
// principal's id and areas, never by its name: a village token named like
// the township account that ran an import cannot read it (it read the
// township's errors with full ID numbers); the township's area and the
// job's own principal can.
func TestImportJobsScopedByPrincipalAndArea(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		township := fupin.Actor{Name: "乡镇导入", Areas: []string{"500236266"}}
		job, err := db.CreateImport(ctx, township, sqlstore.Import{FileName: "乡镇.csv", Principal: "token:999999"})
		if err != nil {
			t.Fatal(err)
		}
		job.State, job.Message = "rejected", "有错误"
		if err := db.FinishImport(ctx, job, []sqlstore.ImportError{{Row: 2, Column: "证件号码", Value: id("512226", "19600101", 11), Reason: "x"}}); err != nil {
			t.Fatal(err)
		}
		village := &client{t: t, srv: srv, token: newToken(t, db, "乡镇导入", "village", "500236266200")}
		other := &client{t: t, srv: srv, token: newToken(t, db, "另一乡镇", "township", "500236265")}
		for _, c := range []*client{village, other} {
			for _, path := range []string{fmt.Sprintf("/api/v1/imports/%d", job.ID), fmt.Sprintf("/api/v1/imports/%d/errors", job.ID)} {
				if s, body := c.do("GET", path, ""); s != 404 {
					t.Errorf("GET %s by another principal outside the job's area = %d %v", path, s, body)
				}
			}
			if s, body := c.do("GET", "/api/v1/imports", ""); s != 200 || len(body["items"].([]any)) != 0 {
				t.Errorf("list by another principal = %d %v", s, body)
			}
		}
		inArea := &client{t: t, srv: srv, token: newToken(t, db, "乡镇同事", "township", "500236266")}
		admin := &client{t: t, srv: srv, token: adminToken}
		for _, c := range []*client{inArea, admin} {
			if s, body := c.do("GET", fmt.Sprintf("/api/v1/imports/%d/errors", job.ID), ""); s != 200 || len(body["items"].([]any)) != 1 {
				t.Errorf("errors for a reader covering the job's area = %d %v", s, body)
			}
		}
	})
}

// An uploaded file's households show the import in their history; a bad
// income_year is refused with the field named.
func TestImportHistoryAndIncomeYearOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		head, spouse := id("512226", "19600101", 11), id("512226", "19620202", 22)
		if s, _ := admin.do("POST", "/api/v1/households", household(head, spouse, "500236266208")); s != 201 {
			t.Fatal("create")
		}
		full := get(t, srv, adminToken, "/api/v1/exports?area=500236266&format=csv")
		changed := strings.Replace(full, "之子", "之女", 1)
		if changed == full {
			changed = strings.Replace(full, "配偶", "其他", 1)
		}
		jobID := upload(t, srv, "台账.csv", changed)
		if job := waitJob(t, admin, jobID); job["state"] != "done" || job["updated"] != float64(1) {
			t.Fatalf("job = %v", job)
		}
		_, page := admin.do("GET", "/api/v1/households?limit=1", "")
		hid := int(page["items"].([]any)[0].(map[string]any)["id"].(float64))
		s, hist := admin.do("GET", fmt.Sprintf("/api/v1/households/%d/history", hid), "")
		items := hist["items"].([]any)
		want := fmt.Sprintf("由导入任务 #%d 更新（台账.csv，第 2 行）", jobID)
		if s != 200 || len(items) < 2 || items[0].(map[string]any)["summary"] != want {
			t.Errorf("history = %d %v, want first %q", s, hist, want)
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "a.csv")
		io.WriteString(fw, full)
		mw.WriteField("income_year", "1999")
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/imports", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out := decodeBody(t, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(fmt.Sprint(out), "income_year") {
			t.Errorf("income_year=1999: %d %v", resp.StatusCode, out)
		}
	})
}
