package httpapi_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// aidSetup is what the admin creates before a role is tried: a group,
// cadres, a posting, a paired household, a visit and a planned rotation
// inside the role's village, and the same outside the county.
type aidSetup struct {
	group, cadre, household, visit, photo, rotation map[bool]int
	spare                                           int // an inside cadre the role may pair
}

func mustDo(t *testing.T, c *client, want int, method, path, body string) map[string]any {
	t.Helper()
	s, out := c.do(method, path, body)
	if s != want {
		t.Fatalf("%s %s = %d %v, want %d", method, path, s, out, want)
	}
	return out
}

func idOf(m map[string]any) int { return int(m["id"].(float64)) }

func setupAid(t *testing.T, admin *client, village string, seq int) aidSetup {
	t.Helper()
	s := aidSetup{group: map[bool]int{}, cadre: map[bool]int{}, household: map[bool]int{}, visit: map[bool]int{}, photo: map[bool]int{}, rotation: map[bool]int{}}
	out := outsideVillage(t)
	for _, inside := range []bool{true, false} {
		v := village
		if !inside {
			v = out
		}
		town := v[:9]
		s.group[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/aid/groups", fmt.Sprintf(`{"name":"帮扶集团","area_code":%q,"lead_unit":"市政府办公厅"}`, town)))
		var cadres []int
		for k := 0; k < 3; k++ {
			seq++
			cadres = append(cadres, idOf(mustDo(t, admin, 201, "POST", "/api/v1/aid/cadres",
				fmt.Sprintf(`{"name":"干部%d","id_number":%q,"phone":"13900001111","area_code":%q}`, seq, id("500103", "19800101", seq), town))))
		}
		s.cadre[inside] = cadres[0]
		mustDo(t, admin, 201, "POST", "/api/v1/aid/postings", fmt.Sprintf(`{"cadre_id":%d,"role":"first_secretary","area_code":%q,"started_on":"2024-01-01"}`, cadres[0], v))
		mustDo(t, admin, 201, "POST", "/api/v1/aid/postings", fmt.Sprintf(`{"cadre_id":%d,"role":"helper","area_code":%q,"started_on":"2024-01-01"}`, cadres[1], v))
		if inside {
			s.spare = cadres[1]
		}
		seq++
		h := idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", seq), id("512226", "19620202", seq), v)))
		s.household[inside] = h
		mustDo(t, admin, 200, "PUT", fmt.Sprintf("/api/v1/households/%d/helper", h), fmt.Sprintf(`{"cadre_id":%d}`, cadres[0]))
		s.visit[inside] = idOf(mustDo(t, admin, 201, "POST", fmt.Sprintf("/api/v1/households/%d/visits", h),
			fmt.Sprintf(`{"cadre_id":%d,"visited_on":"2025-01-05","kind":"home","findings":"正常"}`, cadres[0])))
		s.photo[inside] = idOf(uploadPhoto(t, admin, s.visit[inside], "a.png", pngBytes(), 201))
		s.rotation[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/aid/rotations",
			fmt.Sprintf(`{"area_code":%q,"title":"轮换","items":[{"posting_id":%d,"incoming_cadre_id":%d}]}`, town, postingOf(t, admin, cadres[0]), cadres[2])))
	}
	return s
}

func postingOf(t *testing.T, admin *client, cadre int) int {
	t.Helper()
	c := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/aid/cadres/%d", cadre), "")
	return idOf(c["postings"].([]any)[0].(map[string]any))
}

// pngBytes is a small PNG as Fupin stores it (decoded and encoded again at the best speed).
func pngBytes() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(40 * i)
	}
	var b bytes.Buffer
	(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img)
	return b.Bytes()
}

// uploadPhoto posts a photo as multipart/form-data.
func uploadPhoto(t *testing.T, c *client, visit int, name string, data []byte, want int) map[string]any {
	t.Helper()
	st, out := uploadFile(t, c, fmt.Sprintf("/api/v1/aid/visits/%d/photos", visit), name, data)
	if st != want {
		t.Fatalf("upload %s = %d %v, want %d", name, st, out, want)
	}
	return out
}

// TestAidAccessMatrix tries the aid routes as every role, on records inside
// the role's area and in another county: reads outside answer 404 (lists
// leave them out), writes outside change nothing, roles without the right
// get 403.
func TestAidAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				s := setupAid(t, admin, rc.village, 100)
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				for _, inside := range []bool{true, false} {
					checkAidReads(t, me, rc.role, s, inside || rc.role == auth.RoleAdmin)
					checkAidWrites(t, admin, me, rc.role, s, inside, rc.village)
				}
				checkAidGlobal(t, me, rc.role, rc.village)
			})
		})
	}
}

func checkAidReads(t *testing.T, me *client, role auth.Role, s aidSetup, visible bool) {
	t.Helper()
	in := visible
	want := map[bool]int{true: 200, false: 404}[visible]
	for _, path := range []string{
		fmt.Sprintf("/api/v1/aid/groups/%d", s.group[in]), fmt.Sprintf("/api/v1/aid/cadres/%d", s.cadre[in]),
		fmt.Sprintf("/api/v1/households/%d/pairings", s.household[in]), fmt.Sprintf("/api/v1/aid/visits/%d", s.visit[in]),
		fmt.Sprintf("/api/v1/aid/photos/%d", s.photo[in]), fmt.Sprintf("/api/v1/aid/rotations/%d", s.rotation[in]),
		fmt.Sprintf("/api/v1/aid/rotations/%d/sheet", s.rotation[in]),
	} {
		if st, body := me.do("GET", path, ""); st != want {
			t.Errorf("%s GET %s = %d %v, want %d", role, path, st, body, want)
		}
	}
	if st, body := me.do("GET", fmt.Sprintf("/api/v1/aid/cadres/%d", s.cadre[true]), ""); st == 200 && !role.SeesIdentity() &&
		strings.Contains(fmt.Sprint(body["id_number"]), "19800101") {
		t.Errorf("%s sees a cadre's ID number unmasked: %v", role, body["id_number"])
	}
}

func checkAidWrites(t *testing.T, admin, me *client, role auth.Role, s aidSetup, inside bool, village string) {
	t.Helper()
	ok := func(code int) int {
		switch {
		case !role.CanWrite():
			return 403
		case !inside && role != auth.RoleAdmin:
			return 404
		}
		return code
	}
	h := s.household[inside]
	rot := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/aid/rotations/%d", s.rotation[inside]), "")
	writes := []struct {
		method, path, body string
		want               int
	}{
		// The confirmation goes first: the helper change below rebuilds the
		// rotation's list (its outgoing cadre hands the household over).
		{"POST", fmt.Sprintf("/api/v1/aid/rotations/%d/confirm", s.rotation[inside]), fmt.Sprintf(`{"version":%v,"party":"outgoing","item_id":%v}`,
			rot["version"], rot["items"].([]any)[0].(map[string]any)["id"]), ok(200)},
		{"PUT", fmt.Sprintf("/api/v1/households/%d/helper", h), fmt.Sprintf(`{"cadre_id":%d}`, s.spare), ok(200)},
		{"POST", fmt.Sprintf("/api/v1/households/%d/visits", h), fmt.Sprintf(`{"cadre_id":%d,"visited_on":"2025-02-01","kind":"phone"}`, s.cadre[true]), ok(201)},
		{"PUT", fmt.Sprintf("/api/v1/aid/groups/%d", s.group[inside]), `{"name":"改名","lead_unit":"市政府办公厅","version":1}`,
			map[bool]int{true: 403, false: ok(200)}[role == auth.RoleVillage && inside]},
	}
	before := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/households/%d/pairings", h), "")
	for _, w := range writes {
		if st, body := me.do(w.method, w.path, w.body); st != w.want {
			t.Errorf("%s %s %s = %d %v, want %d", role, w.method, w.path, st, body, w.want)
		}
	}
	after := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/households/%d/pairings", h), "")
	changed := len(after["items"].([]any)) != len(before["items"].([]any))
	if changed != (role.CanWrite() && (inside || role == auth.RoleAdmin)) {
		t.Errorf("%s inside=%v: pairing changed = %v", role, inside, changed)
	}
	if !inside {
		// A check-in in another county's village is refused before anything else.
		want := map[bool]int{true: 403, false: 201}[role != auth.RoleAdmin]
		st, body := me.do("POST", "/api/v1/aid/checkins", fmt.Sprintf(`{"cadre_id":%d,"area_code":%q,"day":"2025-03-01"}`, s.cadre[false], outsideVillage(t)))
		if st != want {
			t.Errorf("%s check-in outside = %d %v, want %d", role, st, body, want)
		}
	}
}

func checkAidGlobal(t *testing.T, me *client, role auth.Role, village string) {
	t.Helper()
	admin := role == auth.RoleAdmin
	lists := []struct {
		path  string
		total int // items expected for the admin / for the others
		other int
	}{
		{"/api/v1/aid/groups?area=500237", 1, 0},
		{"/api/v1/aid/postings?area=500237", 2, 0},
		{"/api/v1/aid/pairings?area=500237", 1, 0},
		{"/api/v1/aid/visits?area=500237", 2, 0}, // the admin added one in checkAidWrites
		{"/api/v1/aid/rotations?area=500237", 1, 0},
		{"/api/v1/aid/teams?area=500237", 1, 0},
		{"/api/v1/aid/cadres?area=500237", 3, 0},
	}
	for _, l := range lists {
		st, body := me.do("GET", l.path, "")
		want := l.other
		if admin {
			want = l.total
		}
		n := -1
		if items, ok := body["items"].([]any); ok {
			n = len(items)
		}
		if st != 200 || n != want {
			t.Errorf("%s GET %s = %d, %d items, want %d", role, l.path, st, n, want)
		}
	}
	if st, body := me.do("GET", "/api/v1/aid/unpaired?area="+village, ""); st != 200 || body["total"] != float64(0) {
		t.Errorf("%s unpaired = %d %v", role, st, body)
	}
	if st, _ := me.do("PUT", "/api/v1/aid/settings", `{"area":"500236","key":"attendance_min_days","value":22}`); st != map[bool]int{true: 200, false: 403}[admin] {
		t.Errorf("%s sets aid settings: %d", role, st)
	}
	want := map[bool]int{true: 201, false: 403}[role == auth.RoleAdmin || role == auth.RoleTownship]
	if st, body := me.do("POST", "/api/v1/aid/groups", `{"name":"新集团","area_code":"500236266","lead_unit":"某单位"}`); st != want {
		t.Errorf("%s creates a group in 平安乡: %d %v, want %d", role, st, body, want)
	}
}

// TestAidFlow walks the pages' main paths through the API as the
// township office: pairing, a visit with a photo, attendance, and a
// rotation from plan to printed handover sheet.
func TestAidFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		s := setupAid(t, admin, "500236266200", 200)
		town := &client{t: t, srv: srv, token: newToken(t, db, "平安乡", "township", "500236266")}
		uploadPhoto(t, town, s.visit[true], "x.gif", []byte("GIF89a......"), 400)
		uploadPhoto(t, town, s.visit[true], "big.jpg", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, sqlstore.MaxPhotoBytes)...), 413)
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/aid/photos/%d", srv.URL, s.photo[true]), nil)
		req.Header.Set("Authorization", "Bearer "+town.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(data, pngBytes()) {
			t.Errorf("photo = %s, %d bytes", resp.Header.Get("Content-Type"), len(data))
		}
		// Food insecurity seen on a visit reaches the household and its verdict.
		h := s.household[true]
		mustDo(t, town, 201, "POST", fmt.Sprintf("/api/v1/households/%d/visits", h),
			fmt.Sprintf(`{"cadre_id":%d,"visited_on":"2025-03-01","kind":"home","food_secure":false,"findings":"缺粮"}`, s.cadre[true]))
		hh := mustDo(t, town, 200, "GET", fmt.Sprintf("/api/v1/households/%d", h), "")
		if lookup(hh, "basics.food_secure") != false {
			t.Errorf("household basics after visit: %v", hh["basics"])
		}
		mustDo(t, town, 201, "POST", "/api/v1/aid/checkins", fmt.Sprintf(`{"cadre_id":%d,"area_code":"500236266200","day":"2025-03-03"}`, s.cadre[true]))
		rep := mustDo(t, town, 200, "GET", "/api/v1/aid/attendance?area=500236266&month=2025-03", "")
		if lookup(rep, "teams.0.cadres.0.present") != float64(1) {
			t.Errorf("attendance report = %v", rep)
		}
		// Rotation: a line added (with the version seen), three confirmations
		// from three accounts, completion, sheet.
		rid := s.rotation[true]
		r := mustDo(t, town, 200, "GET", fmt.Sprintf("/api/v1/aid/rotations/%d", rid), "")
		item := lookup(r, "items.0.id")
		entry := fmt.Sprintf("/api/v1/aid/rotations/%d/entries", rid)
		if st, body := town.do("POST", entry, `{"kind":"document","title":"档案 3 盒","version":0}`); st != 409 || lookup(body, "error.fields.version") == nil {
			t.Errorf("entry with a stale version = %d %v", st, body)
		}
		r = mustDo(t, town, 201, "POST", entry, fmt.Sprintf(`{"kind":"document","title":"档案 3 盒","version":%v}`, r["version"]))
		parties := map[string]*client{
			"outgoing": {t: t, srv: srv, token: newToken(t, db, "天台村甲", "village", "500236266200")},
			"incoming": {t: t, srv: srv, token: newToken(t, db, "天台村乙", "village", "500236266200")},
			"office":   town,
		}
		if st, body := town.do("POST", fmt.Sprintf("/api/v1/aid/rotations/%d/confirm", rid), fmt.Sprintf(`{"version":%v,"party":"office"}`, r["version"])); st != 200 {
			t.Fatalf("office confirms = %d %v", st, body)
		} else if st, body := town.do("POST", fmt.Sprintf("/api/v1/aid/rotations/%d/confirm", rid), fmt.Sprintf(`{"version":%v,"party":"incoming","item_id":%v}`, body["version"], item)); st != 409 || lookup(body, "error.fields.party") == nil {
			t.Errorf("the office's account confirms for the incoming cadre = %d %v", st, body)
		}
		r = mustDo(t, town, 200, "GET", fmt.Sprintf("/api/v1/aid/rotations/%d", rid), "")
		for _, party := range []string{"outgoing", "incoming"} {
			r = mustDo(t, parties[party], 200, "POST", fmt.Sprintf("/api/v1/aid/rotations/%d/confirm", rid), fmt.Sprintf(`{"version":%v,"party":%q,"item_id":%v}`, r["version"], party, item))
		}
		if lookup(r, "items.0.outgoing_confirmed_by") != "token:天台村甲" || lookup(r, "items.0.incoming_confirmed_by") != "token:天台村乙" || r["office_confirmed_by"] != "token:平安乡" {
			t.Errorf("confirmations = %v", r)
		}
		r = mustDo(t, town, 200, "POST", fmt.Sprintf("/api/v1/aid/rotations/%d/complete", rid), fmt.Sprintf(`{"version":%v}`, r["version"]))
		if r["status"] != "completed" {
			t.Errorf("rotation = %v", r)
		}
		if up := mustDo(t, town, 200, "GET", "/api/v1/aid/summary?area=500236266", ""); up["unpaired"] != float64(0) || up["need_helper"] != float64(1) {
			t.Errorf("summary = %v", up)
		}
		sheet := get(t, srv, town.token, fmt.Sprintf("/api/v1/aid/rotations/%d/sheet", rid))
		f, err := excelize.OpenReader(strings.NewReader(sheet))
		if err != nil {
			t.Fatalf("handover sheet: %v", err)
		}
		rows, _ := f.GetRows("交接清单")
		if !strings.Contains(fmt.Sprint(rows), "结对农户") || !strings.Contains(fmt.Sprint(rows), "已完成") {
			t.Errorf("handover sheet rows = %v", rows)
		}
	})
}
