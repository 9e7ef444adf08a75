package httpapi_test

import (
	"fmt"
	"net/http"
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
		keys := func(m map[string]any) string {
			var k []string
			for key := range m {
				k = append(k, key)
			}
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
				open := mustDo(t, admin, 200, "GET", "/api/v1/monitor/applications?open=true", "")["total"]
				wantOpen := 4.0
				if rc.role.CanWrite() {
					wantOpen = map[bool]float64{true: 0, false: 2}[isAdmin]
				}
				if open != wantOpen {
					t.Errorf("%s: %v applications still open, want %v", rc.role, open, wantOpen)
				}
			})
		})
	}
}
