package httpapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"sort"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

func publicPost(t *testing.T, url, body string, header map[string]string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/public/applications", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

func applyBody(village, name string) string {
	return fmt.Sprintf(`{"village":%q,"name":%q,"phone":"13800001234","content":"户主住院，医药费负担重"}`, village, name)
}

// TestPublicApplication checks the page's write without sign-in: a
// receipt only, the same answer for a registered head of household and a
// stranger, cross-site and oversized requests refused before anything is
// stored, the per-address cap, and the villages list.
func TestPublicApplication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		anon := &client{t: t, srv: srv}
		mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 801), id("512226", "19620202", 801), "500236266200"))
		v := mustDo(t, anon, 200, "GET", "/api/v1/public/villages?township=500236266", "")
		if v["township_name"] == "" || !strings.Contains(fmt.Sprint(v["villages"]), "500236266200") {
			t.Errorf("villages %v", v)
		}
		for _, q := range []string{"township=500236", "township=abc", "township=999999999", ""} {
			if st, _ := anon.do("GET", "/api/v1/public/villages?"+q, ""); st != 400 && st != 404 {
				t.Errorf("villages?%s = %d, want 400/404", q, st)
			}
		}
		// A real township without registered households is not served: its
		// page is not found and its applications are refused (storage stays
		// bounded by the townships the system serves).
		if st, out := anon.do("GET", "/api/v1/public/villages?township=500236001", ""); st != 404 || !strings.Contains(fmt.Sprint(out), "未开通") {
			t.Errorf("villages of a township not served = %d %v, want 404", st, out)
		}
		if st, out := publicPost(t, srv.URL, applyBody("500236001001", "甲"), nil); st != 400 || !strings.Contains(fmt.Sprint(out["error"]), "village") {
			t.Errorf("apply in a township not served = %d %v, want 400 naming village", st, out)
		}
		keys := func(m map[string]any) string {
			var k []string
			for key := range m {
				k = append(k, key)
			}
			sort.Strings(k)
			return strings.Join(k, ",")
		}
		// 冉光荣 is the registered head (household()); 无此人 is not.
		var shapes []string
		for _, name := range []string{"冉光荣", "无此人"} {
			st, out := publicPost(t, srv.URL, applyBody("500236266200", name), nil)
			if st != 201 || !strings.HasPrefix(fmt.Sprint(out["receipt"]), "SB-") || strings.Contains(fmt.Sprint(out), name) {
				t.Errorf("apply as %s = %d %v", name, st, out)
			}
			shapes = append(shapes, keys(out))
		}
		if shapes[0] != shapes[1] {
			t.Errorf("answers differ for a registered person and a stranger: %v", shapes)
		}
		for _, tc := range []struct {
			name   string
			body   string
			header map[string]string
			want   int
		}{
			{"other origin", applyBody("500236266200", "甲"), map[string]string{"Origin": "https://evil.example"}, 403},
			{"cross-site fetch", applyBody("500236266200", "甲"), map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"form post", applyBody("500236266200", "甲"), map[string]string{"Content-Type": "text/plain"}, 400},
			{"over 4 KiB", `{"village":"500236266200","name":"甲","phone":"13800001234","content":"` + strings.Repeat("a", 4<<10) + `"}`, nil, 413},
			{"unknown field", `{"village":"500236266200","name":"甲","phone":"13800001234","content":"x","id_number":"1"}`, nil, 400},
			{"long content", `{"village":"500236266200","name":"甲","phone":"13800001234","content":"` + strings.Repeat("难", 201) + `"}`, nil, 400},
		} {
			if st, out := publicPost(t, srv.URL, tc.body, tc.header); st != tc.want {
				t.Errorf("%s = %d %v, want %d", tc.name, st, out, tc.want)
			}
		}
		for i := 0; i < 3; i++ { // 5 a day per address: two used above
			if st, out := publicPost(t, srv.URL, applyBody("500236266200", "乙"), nil); st != 201 {
				t.Fatalf("application %d = %d %v", i+3, st, out)
			}
		}
		if st, out := publicPost(t, srv.URL, applyBody("500236266200", "乙"), nil); st != 429 {
			t.Errorf("sixth application = %d %v, want 429", st, out)
		}
		if page := mustDo(t, admin, 200, "GET", "/api/v1/monitor/applications", ""); page["total"] != float64(5) {
			t.Errorf("stored %v, want 5 (refused requests store nothing)", page["total"])
		}
	})
}

// TestApplicationQueueMatrix tries the queue as every role on applications
// inside its area and in another county: lists, accept, decline.
func TestApplicationQueueMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				isAdmin := rc.role == auth.RoleAdmin
				villages := map[bool]string{true: rc.village, false: outsideVillage(t)}
				hh := map[bool]int{}
				for i, inside := range []bool{true, false} {
					hh[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households",
						household(id("512226", "19600101", 810+i), id("512226", "19620202", 810+i), villages[inside])))
					for j := 0; j < 2; j++ {
						if st, out := publicPost(t, srv.URL, applyBody(villages[inside], "申报人"), nil); st != 201 {
							t.Fatalf("apply = %d %v", st, out)
						}
					}
				}
				apps := map[bool][]map[string]any{}
				for _, it := range mustDo(t, admin, 200, "GET", "/api/v1/monitor/applications", "")["items"].([]any) {
					m := it.(map[string]any)
					inside := m["village_code"] == villages[true]
					apps[inside] = append(apps[inside], m)
				}
				mine := mustDo(t, me, 200, "GET", "/api/v1/monitor/applications", "")
				wantN := map[bool]float64{true: 4, false: 2}[isAdmin]
				if mine["total"] != wantN {
					t.Errorf("%s lists %v applications, want %v", rc.role, mine["total"], wantN)
				}
				for _, inside := range []bool{true, false} {
					want := 200
					switch {
					case !rc.role.CanWrite():
						want = 403
					case !inside && !isAdmin:
						want = 404
					}
					acc := fmt.Sprintf(`{"version":1,"outcome":"accept","household_id":%d,"category":"unstable","risks":["illness"]}`, hh[inside])
					if st, out := me.do("POST", fmt.Sprintf("/api/v1/monitor/applications/%d/decide", idOf(apps[inside][0])), acc); st != want {
						t.Errorf("%s accept (inside %v) = %d %v, want %d", rc.role, inside, st, out, want)
					}
					dec := `{"version":1,"outcome":"decline","reason":"经核实家庭收入稳定"}`
					if st, out := me.do("POST", fmt.Sprintf("/api/v1/monitor/applications/%d/decide", idOf(apps[inside][1])), dec); st != want {
						t.Errorf("%s decline (inside %v) = %d %v, want %d", rc.role, inside, st, out, want)
					}
				}
				checkRecordApplication(t, admin, me, rc.role, hh)
				open := mustDo(t, admin, 200, "GET", "/api/v1/monitor/applications?open=true", "")["total"]
				// The recorded applications join the queue open.
				recorded := map[bool]float64{true: 2, false: 1}[isAdmin]
				if !rc.role.CanWrite() {
					recorded = 0
				}
				wantOpen := 4.0 + recorded
				if rc.role.CanWrite() {
					wantOpen = map[bool]float64{true: 0, false: 2}[isAdmin] + recorded
				}
				if open != wantOpen {
					t.Errorf("%s: %v applications still open, want %v", rc.role, open, wantOpen)
				}
			})
		})
	}
}

func recordApplication(t *testing.T, c *client, household int, file []byte) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("household_id", fmt.Sprint(household))
	mw.WriteField("phone", "13800001234")
	mw.WriteField("content", "户主住院，申请纳入监测")
	fw, _ := mw.CreateFormFile("file", "承诺授权书.pdf")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", c.srv.URL+"/api/v1/monitor/applications", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

// checkRecordApplication: a writer records an application with the
// 承诺授权书 for a household in its area (not outside it); readers are
// refused; the file is downloadable only inside the area.
func checkRecordApplication(t *testing.T, admin, me *client, role auth.Role, hh map[bool]int) {
	t.Helper()
	isAdmin := role == auth.RoleAdmin
	for _, inside := range []bool{true, false} {
		want := 201
		switch {
		case !role.CanWrite():
			want = 403
		case !inside && !isAdmin:
			want = 404
		}
		st, out := recordApplication(t, me, hh[inside], testPDF)
		if st != want {
			t.Errorf("%s records for a household (inside %v) = %d %v, want %d", role, inside, st, out, want)
			continue
		}
		if st != 201 {
			continue
		}
		if out["has_authorization"] != true || out["recorded_by"] == "" {
			t.Errorf("recorded application %v", out)
		}
		path := fmt.Sprintf("/api/v1/monitor/applications/%d/authorization", idOf(out))
		if st, _ := admin.do("GET", path, ""); st != 200 {
			t.Errorf("admin GET %s = %d", path, st)
		}
		if st, _ := me.do("GET", path, ""); st != map[bool]int{true: 200, false: 404}[inside || isAdmin] {
			t.Errorf("%s GET %s = %d", role, path, st)
		}
	}
	if role.CanWrite() {
		if st, out := recordApplication(t, me, hh[true], []byte("not a document")); st != 400 || lookup(out, "error.fields.file") == nil {
			t.Errorf("not a PDF = %d %v, want 400 naming file", st, out)
		}
	}
}
