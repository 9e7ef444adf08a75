package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// multipartBody is a form with one file field.
func multipartBody(name string, content io.Reader) (*bytes.Buffer, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	io.Copy(fw, content)
	mw.WriteField("area", "500236266")
	mw.Close()
	return &body, mw.FormDataContentType()
}

// An upload over the multipart parser's 32 MB memory bound is spooled to a temporary file;
// that file and the job's own copy are both gone once the job ends. The file (a CSV whose
// one line is 40 MB) is refused by the reader's bounds with a Chinese message.
func TestUploadLeavesNoTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		body, ctype := multipartBody("大文件.csv", strings.NewReader("姓名,证件号码\n"+strings.Repeat("x", 40<<20)+"\n"))
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/imports", body)
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out := decodeBody(t, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 202 {
			t.Fatalf("upload = %d %v", resp.StatusCode, out)
		}
		job := waitJob(t, admin, int(out["id"].(float64)))
		if job["state"] != "failed" || !strings.Contains(fmt.Sprint(job["message"]), "CSV 文件第 2 行过长（超过 1024 KB 上限）") {
			t.Errorf("job = %v", job)
		}
		left, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range left {
			if strings.HasPrefix(e.Name(), "multipart-") || strings.HasPrefix(e.Name(), "fupin-import-") {
				t.Errorf("temporary file %s left behind", e.Name())
			}
		}
	})
}

// At most two uploads or import jobs run at once: a third gets 429 with a Chinese message
// while two uploads are still being received, and goes through once they are over.
func TestConcurrentImportsBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		type pending struct {
			pw   *io.PipeWriter
			done chan int
		}
		var held []pending
		for range 2 {
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/imports", pr)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+adminToken)
			done := make(chan int, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					done <- 0
					return
				}
				resp.Body.Close()
				done <- resp.StatusCode
			}()
			fw, _ := mw.CreateFormFile("file", "慢.csv")
			// More than the socket buffers hold: once written, the handler is reading the
			// body, so it holds its slot.
			if _, err := fw.Write(bytes.Repeat([]byte("x"), 24<<20)); err != nil {
				t.Fatal(err)
			}
			held = append(held, pending{pw, done})
		}
		status, out := uploadStatus(t, srv, "台账.csv", "姓名\n张三\n")
		if status != 429 || !strings.Contains(fmt.Sprint(out), "系统同时最多处理 2 个导入") {
			t.Errorf("third upload = %d %v, want 429 with a Chinese message", status, out)
		}
		for _, p := range held {
			p.pw.CloseWithError(io.ErrUnexpectedEOF)
			<-p.done
		}
		// The client sees its request fail before the handler has returned: retry a while.
		for i := 0; i < 100; i++ {
			if status, out = uploadStatus(t, srv, "台账.csv", "姓名\n张三\n"); status != 429 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if status != 202 {
			t.Fatalf("upload after the others ended = %d %v", status, out)
		}
		waitJob(t, &client{t: t, srv: srv, token: adminToken}, int(out["id"].(float64)))
	})
}

func uploadStatus(t *testing.T, srv *httptest.Server, name, content string) (int, map[string]any) {
	t.Helper()
	body, ctype := multipartBody(name, strings.NewReader(content))
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/imports", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}
