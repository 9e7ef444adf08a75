package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// uploadEvidence posts an evidence file as multipart/form-data and
// answers the status and body.
func uploadEvidence(t *testing.T, c *client, finding int, name string, data []byte) (int, map[string]any) {
	t.Helper()
	return uploadFile(t, c, fmt.Sprintf("/api/v1/ledger/findings/%d/evidence", finding), name, data)
}

// uploadFile posts data as the multipart field file named name to path
// and answers the status and body.
func uploadFile(t *testing.T, c *client, path, name string, data []byte) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

// download fetches a file route and answers the status, type and bytes.
func download(t *testing.T, c *client, path string) (int, string, []byte) {
	t.Helper()
	resp, data := fetch(t, c, path)
	return resp.StatusCode, resp.Header.Get("Content-Type"), data
}

// fetch GETs path with the client's token and answers the response (its
// body read and closed) and the body's bytes.
func fetch(t *testing.T, c *client, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", c.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

var testPDF = []byte("%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// TestLedgerEvidenceMatrix uploads and downloads evidence files as every
// role, on findings inside the role's village and in another county:
// writers upload inside (read-only roles get 403, outside answers 404 and
// stores nothing), and a file is served only inside the caller's areas.
func TestLedgerEvidenceMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				s := setupLedger(t, admin, rc.village, 400)
				me := &client{t: t, srv: srv, token: newToken(t, db, "evidence-"+string(rc.role), string(rc.role), rc.area)}
				writer := rc.role == auth.RoleAdmin || rc.role == auth.RoleTownship || rc.role == auth.RoleVillage
				for _, inside := range []bool{true, false} {
					st, body := uploadEvidence(t, admin, s.finding[inside], "admin.pdf", testPDF)
					if st != 201 {
						t.Fatalf("admin upload = %d %v", st, body)
					}
					adminFile := idOf(body)
					want := 403
					switch {
					case !writer:
					case inside || rc.role == auth.RoleAdmin:
						want = 201
					default:
						want = 404
					}
					if st, body := uploadEvidence(t, me, s.finding[inside], "照片.png", pngBytes()); st != want {
						t.Errorf("%s upload inside=%v = %d %v, want %d", rc.role, inside, st, body, want)
					}
					visible := inside || rc.role == auth.RoleAdmin
					st, ct, data := download(t, me, fmt.Sprintf("/api/v1/ledger/evidence/%d", adminFile))
					if visible && (st != 200 || ct != "application/pdf" || !bytes.Equal(data, testPDF)) {
						t.Errorf("%s download inside=%v = %d %s %d bytes", rc.role, inside, st, ct, len(data))
					}
					if !visible && st != 404 {
						t.Errorf("%s download outside = %d, want 404", rc.role, st)
					}
					// What was stored: the admin's file, and the role's own when allowed.
					d := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/ledger/findings/%d", s.finding[inside]), "")
					if n, wantN := len(d["evidence_files"].([]any)), map[bool]int{true: 2, false: 1}[want == 201]; n != wantN {
						t.Errorf("%s inside=%v: %d files stored, want %d", rc.role, inside, n, wantN)
					}
					// The role's view of the finding lists files only inside its areas.
					if visible {
						d := mustDo(t, me, 200, "GET", fmt.Sprintf("/api/v1/ledger/findings/%d", s.finding[inside]), "")
						if len(d["evidence_files"].([]any)) == 0 {
							t.Errorf("%s sees no evidence files on its finding", rc.role)
						}
					}
				}
			})
		})
	}
}

// TestLedgerEvidenceChecks: wrong types, truncated PDFs, oversized files
// and a full finding are refused with a Chinese message on field file;
// an image is stored re-encoded (bytes appended to it are gone).
func TestLedgerEvidenceChecks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		s := setupLedger(t, admin, "500236266200", 500)
		f := s.finding[true]
		for name, data := range map[string][]byte{
			"page.html":     []byte("<html><script>alert(1)</script></html>"),
			"truncated.pdf": testPDF[:40],
			"big.pdf":       append(append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...), "%%EOF"...),
			"big.png":       append(pngBytes(), make([]byte, 6<<20)...),
		} {
			st, body := uploadEvidence(t, admin, f, name, data)
			if st != 400 && st != 413 {
				t.Errorf("%s = %d %v, want 400 or 413", name, st, body)
			} else if msg, _ := lookup(body, "error.message").(string); !strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("%s message %q", name, msg)
			}
		}
		// A PNG with bytes after it is stored as the picture alone.
		st, body := uploadEvidence(t, admin, f, "photo.png", append(pngBytes(), "<script>x</script>"...))
		if st != 201 {
			t.Fatalf("png = %d %v", st, body)
		}
		_, ct, data := download(t, admin, fmt.Sprintf("/api/v1/ledger/evidence/%d", idOf(body)))
		if ct != "image/png" || bytes.Contains(data, []byte("<script>")) {
			t.Errorf("stored image %s keeps the appended bytes", ct)
		}
		if d := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/ledger/findings/%d", f), ""); len(d["evidence_files"].([]any)) != 1 {
			t.Errorf("files after the refusals: %v", d["evidence_files"])
		}
		for i := 1; i < 20; i++ {
			if st, body := uploadEvidence(t, admin, f, "p.pdf", testPDF); st != 201 {
				t.Fatalf("file %d = %d %v", i+1, st, body)
			}
		}
		if st, body := uploadEvidence(t, admin, f, "p.pdf", testPDF); st != 409 {
			t.Errorf("21st file = %d %v, want 409", st, body)
		}
		if st, body := uploadEvidence(t, admin, 999999, "p.pdf", testPDF); st != 404 {
			t.Errorf("missing finding = %d %v", st, body)
		}
	})
}
