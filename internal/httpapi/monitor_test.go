package httpapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// monitorSetup is what the admin creates inside the role's village and in
// another county: a household with a case (with a plan), a spare household
// without one, and a department alert.
type monitorSetup struct {
	household, spare, caseID, alert map[bool]int
	village                         map[bool]string
}

func uploadDept(t *testing.T, c *client, department, name, body string) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("department", department)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(body))
	mw.Close()
	req, _ := http.NewRequest("POST", c.srv.URL+"/api/v1/monitor/department-lists", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

func setupMonitor(t *testing.T, admin *client, village string, seq int) monitorSetup {
	t.Helper()
	s := monitorSetup{household: map[bool]int{}, spare: map[bool]int{}, caseID: map[bool]int{}, alert: map[bool]int{}, village: map[bool]string{}}
	csv := "身份证号,预警情况,日期\n"
	for _, inside := range []bool{true, false} {
		v := village
		if !inside {
			v = outsideVillage(t)
		}
		seq += 2
		s.village[inside] = v
		head := id("512226", "19600101", seq)
		s.household[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(head, id("512226", "19620202", seq), v)))
		s.spare[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", seq+1), id("512226", "19620202", seq+1), v)))
		c := mustDo(t, admin, 201, "POST", "/api/v1/monitor/cases",
			fmt.Sprintf(`{"household_id":%d,"path":"cadre","category":"unstable","risks":["illness"]}`, s.household[inside]))
		s.caseID[inside] = idOf(c)
		mustDo(t, admin, 201, "POST", fmt.Sprintf("/api/v1/monitor/cases/%d/measures", idOf(c)),
			fmt.Sprintf(`{"version":%v,"category":"health","content":"大病救助","responsible":"帮扶干部","starts_on":"2025-01-01"}`, c["version"]))
		csv += head + ",住院自付 3.2 万元,2025-01-02\n"
	}
	st, out := uploadDept(t, admin, "medical", "医保.csv", csv)
	if st != 200 || out["new_alerts"] != float64(2) {
		t.Fatalf("department list: %d %v", st, out)
	}
	alerts := mustDo(t, admin, 200, "GET", "/api/v1/monitor/alerts", "")["items"].([]any)
	for _, a := range alerts {
		m := a.(map[string]any)
		s.alert[int(m["household_id"].(float64)) == s.household[true]] = idOf(m)
	}
	return s
}

// TestMonitorAccessMatrix tries every monitoring route as every role on
// records inside its area and in another county.
func TestMonitorAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				s := setupMonitor(t, admin, rc.village, 300)
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				isAdmin := rc.role == auth.RoleAdmin
				for _, inside := range []bool{true, false} {
					checkMonitorReads(t, me, rc.role, s, inside || isAdmin, inside)
					checkMonitorWrites(t, admin, me, rc.role, s, inside)
				}
				checkMonitorLists(t, me, rc.role)
				checkMonitorLimits(t, admin, me, rc.role, s)
			})
		})
	}
}

// checkMonitorLimits: every role reads the limits in force for its area;
// only the administrator sets them (inside or outside the role's area),
// and a refused write changes nothing; rows of other areas stay hidden.
func checkMonitorLimits(t *testing.T, admin, me *client, role auth.Role, s monitorSetup) {
	t.Helper()
	isAdmin := role == auth.RoleAdmin
	for _, inside := range []bool{true, false} {
		township := s.village[inside][:9]
		body := fmt.Sprintf(`{"area":%q,"key":"home_check","value":%d}`, township, map[bool]int{true: 2, false: 4}[inside])
		if st, out := me.do("PUT", "/api/v1/monitor/limits", body); st != map[bool]int{true: 200, false: 403}[isAdmin] {
			t.Errorf("%s PUT limits for %s = %d %v", role, township, st, out)
		}
		got := mustDo(t, admin, 200, "GET", "/api/v1/monitor/limits?area="+s.village[inside], "")
		want := map[bool]float64{true: 3, false: 3}[inside]
		if isAdmin {
			want = map[bool]float64{true: 2, false: 4}[inside]
		}
		if lookup(got, "effective.home_check") != want {
			t.Errorf("%s: home_check for %s is %v, want %v", role, s.village[inside], lookup(got, "effective.home_check"), want)
		}
	}
	mustDo(t, admin, 200, "PUT", "/api/v1/monitor/limits", fmt.Sprintf(`{"area":%q,"key":"review","value":7}`, s.village[false][:9]))
	mine := mustDo(t, me, 200, "GET", "/api/v1/monitor/limits?area="+s.village[true], "")
	rows := fmt.Sprint(mine["rows"])
	if strings.Contains(rows, s.village[false][:9]) != isAdmin {
		t.Errorf("%s sees rows %s (another county's row shown: %v)", role, rows, !isAdmin)
	}
	if st, out := admin.do("PUT", "/api/v1/monitor/limits", `{"area":"500236","key":"home_check","value":99}`); st != 400 || lookup(out, "error.fields.value") == nil {
		t.Errorf("out of range limit = %d %v, want 400 naming value", st, out)
	}
	// Object categories by area × period: the same rule.
	township := s.village[true][:9]
	body := fmt.Sprintf(`{"area":%q,"year":2026,"codes":["prevent","sudden"]}`, township)
	if st, out := me.do("PUT", "/api/v1/monitor/categories", body); st != map[bool]int{true: 200, false: 403}[isAdmin] {
		t.Errorf("%s PUT categories = %d %v", role, st, out)
	}
	got := mustDo(t, me, 200, "GET", "/api/v1/monitor/categories?year=2026&area="+s.village[true], "")
	want := map[bool]string{true: "[prevent sudden]", false: "[unstable marginal sudden]"}[isAdmin]
	var codes []string
	for _, it := range got["effective"].([]any) {
		codes = append(codes, it.(map[string]any)["code"].(string))
	}
	if fmt.Sprint(codes) != want {
		t.Errorf("%s: categories in force %v, want %s", role, codes, want)
	}
	if st, out := admin.do("PUT", "/api/v1/monitor/categories", fmt.Sprintf(`{"area":%q,"year":2025,"codes":["dibao"]}`, township)); st != 400 || lookup(out, "error.fields.codes[0]") == nil {
		t.Errorf("常态化 category in 2025 = %d %v, want 400 naming codes[0]", st, out)
	}
}

func checkMonitorReads(t *testing.T, me *client, role auth.Role, s monitorSetup, visible, in bool) {
	t.Helper()
	want := map[bool]int{true: 200, false: 404}[visible]
	for _, path := range []string{
		fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[in]),
		fmt.Sprintf("/api/v1/monitor/cases/%d/eligibility", s.caseID[in]),
		fmt.Sprintf("/api/v1/households/%d/measures", s.household[in]),
		"/api/v1/monitor/notice?village=" + s.village[in],
		"/api/v1/monitor/notice?format=xlsx&village=" + s.village[in],
	} {
		if st, body := me.do("GET", path, ""); st != want {
			t.Errorf("%s GET %s = %d %v, want %d", role, path, st, body, want)
		}
	}
}

// TestMonitorNoticeAPI checks the 公示 list: a household in 公示 is on its
// village's notice, without ID numbers, and bad input names the field.
func TestMonitorNoticeAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		s := setupMonitor(t, admin, "500236266200", 700)
		c := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[true]), "")
		for _, body := range []string{`{"action":"complete","version":%v}`, `{"action":"complete","version":%v}`,
			`{"action":"complete","version":%v,"participants":"村民代表","result":"同意"}`} {
			c = mustDo(t, admin, 200, "POST", fmt.Sprintf("/api/v1/monitor/cases/%d/actions", s.caseID[true]), fmt.Sprintf(body, c["version"]))
		}
		n := mustDo(t, admin, 200, "GET", "/api/v1/monitor/notice?village=500236266200", "")
		entries := n["entries"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["head_name"] != "冉光荣" || n["village_name"] != "天台村" {
			t.Errorf("notice %v", n)
		}
		if raw := fmt.Sprint(n); strings.Contains(raw, "512226") {
			t.Errorf("notice shows an ID number: %s", raw)
		}
		for _, q := range []string{"village=500236266", "village=abc", "village=500236266200&format=pdf"} {
			if st, body := admin.do("GET", "/api/v1/monitor/notice?"+q, ""); st != 400 || lookup(body, "error.fields") == nil {
				t.Errorf("notice?%s = %d %v, want 400 naming the field", q, st, body)
			}
		}
	})
}

func checkMonitorWrites(t *testing.T, admin, me *client, role auth.Role, s monitorSetup, inside bool) {
	t.Helper()
	visible := inside || role == auth.RoleAdmin
	writer := func(code int) int {
		switch {
		case !role.CanWrite():
			return 403
		case !visible:
			return 404
		}
		return code
	}
	c := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[inside]), "")
	a := mustDo(t, admin, 200, "GET", "/api/v1/monitor/alerts", "")
	var alertVersion any = 1
	for _, it := range a["items"].([]any) {
		if idOf(it.(map[string]any)) == s.alert[inside] {
			alertVersion = it.(map[string]any)["version"]
		}
	}
	// 入户核查 is village or township work: the county and readers are
	// refused by stage (403) where they can see the case.
	act := map[bool]int{true: 200, false: 403}[role == auth.RoleAdmin || role == auth.RoleTownship || role == auth.RoleVillage]
	if !visible {
		act = 404
	}
	writes := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/api/v1/monitor/cases", fmt.Sprintf(`{"household_id":%d,"path":"self_report","category":"unstable","risks":["disability"]}`, s.spare[inside]), writer(201)},
		{"POST", fmt.Sprintf("/api/v1/monitor/cases/%d/measures", s.caseID[inside]),
			fmt.Sprintf(`{"version":%v,"category":"employment","content":"公益岗位","responsible":"村干部","starts_on":"2025-02-01"}`, c["version"]), writer(201)},
		// Objections only during 公示: a writer who sees the case gets 409.
		{"POST", fmt.Sprintf("/api/v1/monitor/cases/%d/objections", s.caseID[inside]), `{"version":99,"raised_by":"村民","content":"有异议"}`, writer(409)},
		{"POST", fmt.Sprintf("/api/v1/monitor/alerts/%d/verify", s.alert[inside]), fmt.Sprintf(`{"version":%v,"outcome":"exclude","reason":"已核实，费用已报销"}`, alertVersion), writer(200)},
		// A stale version is a conflict for every role that works on cases
		// (checked before the stage); readers are refused outright.
		{"POST", fmt.Sprintf("/api/v1/monitor/cases/%d/actions", s.caseID[inside]), `{"action":"complete","version":99}`,
			map[bool]int{true: 409, false: act}[visible && role != auth.RoleAidUnit && role != auth.RoleInspector]},
	}
	for _, w := range writes {
		if st, body := me.do(w.method, w.path, w.body); st != w.want {
			t.Errorf("%s inside=%v %s %s = %d %v, want %d", role, inside, w.method, w.path, st, body, w.want)
		}
	}
	checkMeasureUpdate(t, admin, me, role, s.caseID[inside], writer(200))
	before := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[inside]), "")
	st, body := me.do("POST", fmt.Sprintf("/api/v1/monitor/cases/%d/actions", s.caseID[inside]), fmt.Sprintf(`{"action":"complete","version":%v}`, before["version"]))
	if st != act {
		t.Errorf("%s inside=%v complete 入户核查 = %d %v, want %d", role, inside, st, body, act)
	}
	after := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[inside]), "")
	if moved := after["stage"] != before["stage"]; moved != (act == 200) {
		t.Errorf("%s inside=%v: stage %v → %v", role, inside, before["stage"], after["stage"])
	}
}

// checkMeasureUpdate ends the case's first measure as role and checks the
// answer, the stored measure, and the actions the case answer offers.
func checkMeasureUpdate(t *testing.T, admin, me *client, role auth.Role, caseID, want int) {
	t.Helper()
	c := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", caseID), "")
	m := c["measures"].([]any)[0].(map[string]any)
	path := fmt.Sprintf("/api/v1/monitor/cases/%d/measures/%v", caseID, m["id"])
	body := fmt.Sprintf(`{"version":%v,"category":"health","content":"大病救助","responsible":"帮扶干部","starts_on":"2025-01-01",
		"ends_on":"2025-06-30","status":"done","outcome":"医疗费用已报销"}`, c["version"])
	st, out := me.do("PUT", path, body)
	if st != want {
		t.Fatalf("%s PUT %s = %d %v, want %d", role, path, st, out, want)
	}
	after := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", caseID), "")
	got := after["measures"].([]any)[0].(map[string]any)
	if ended := got["status"] == "done" && got["outcome"] == "医疗费用已报销"; ended != (want == 200) {
		t.Errorf("%s: measure after PUT %d: %v", role, st, got)
	}
	if want != 200 {
		return
	}
	wantActs := map[auth.Role]string{auth.RoleAdmin: "[complete reject]", auth.RoleTownship: "[complete reject]", auth.RoleVillage: "[complete reject]", auth.RoleCounty: "[]"}[role]
	if acts := fmt.Sprint(out["actions"]); acts != wantActs && !(wantActs == "[]" && out["actions"] == nil) {
		t.Errorf("%s: actions at 入户核查 = %s, want %s", role, acts, wantActs)
	}
	// A measure of another case is not found through this one.
	fresh := strings.Replace(body, fmt.Sprintf(`"version":%v`, c["version"]), fmt.Sprintf(`"version":%v`, after["version"]), 1)
	if st, _ := me.do("PUT", fmt.Sprintf("/api/v1/monitor/cases/%d/measures/%d", caseID, 999999), fresh); st != 404 {
		t.Errorf("%s: PUT of an unknown measure = %d, want 404", role, st)
	}
}

func checkMonitorLists(t *testing.T, me *client, role auth.Role) {
	t.Helper()
	want := map[bool]float64{true: 2, false: 1}[role == auth.RoleAdmin]
	if role == auth.RoleAidUnit {
		want = 1 // its village is 茨竹村: the setup put the inside records there
	}
	cases := map[bool]float64{true: 1, false: 0}[role.CanWrite()] // a writer opened one more case inside
	if role == auth.RoleAdmin {
		cases = 2 // and the admin one outside too
	}
	for path, n := range map[string]float64{"/api/v1/monitor/cases": want + cases, "/api/v1/monitor/alerts": want} {
		st, body := me.do("GET", path, "")
		if st != 200 || body["total"] != n {
			t.Errorf("%s GET %s = %d total %v, want %v", role, path, st, body["total"], n)
		}
	}
	for _, path := range []string{"/api/v1/monitor/uncovered", "/api/v1/monitor/unmatched", "/api/v1/monitor/calendar", "/api/v1/monitor/codes", "/api/v1/monitor/todo"} {
		if st, body := me.do("GET", path, ""); st != 200 {
			t.Errorf("%s GET %s = %d %v", role, path, st, body)
		}
	}
	// The overview counts the same cases and the alerts the role verified.
	st, stats := me.do("GET", "/api/v1/monitor/stats", "")
	sum := 0.0
	for _, it := range asList(stats["by_stage"]) {
		sum += it.(map[string]any)["count"].(float64)
	}
	verified := map[bool]float64{true: want, false: 0}[role.CanWrite()]
	if st != 200 || sum != want+cases || stats["alerts_verified"] != verified || stats["year"] == nil {
		t.Errorf("%s stats = %d %v, want %v cases, %v alerts verified", role, st, stats, want+cases, verified)
	}
	if st, body := me.do("GET", "/api/v1/monitor/stats?area=abc", ""); st != 400 || lookup(body, "error.fields.area") == nil {
		t.Errorf("%s stats?area=abc = %d %v, want 400 naming area", role, st, body)
	}
	// Writers verified every alert they see; readers see one open.
	if st, body := me.do("GET", "/api/v1/monitor/todo", ""); body["alerts_open"] != map[bool]float64{true: 0, false: 1}[role.CanWrite()] {
		t.Errorf("%s todo = %d %v", role, st, body)
	}
	if st, _ := me.do("GET", "/api/v1/monitor/cases?limit=501", ""); st != 400 {
		t.Errorf("%s limit 501 = %d, want 400", role, st)
	}
	year := `{"year":2027,"notice":"国务院办公厅关于2027年部分节假日安排的通知（测试）","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-01","make_up":[]}]}`
	want2 := map[bool]int{true: 200, false: 403}[role == auth.RoleAdmin]
	if st, body := me.do("PUT", "/api/v1/monitor/calendar/2027", year); st != want2 {
		t.Errorf("%s PUT calendar = %d %v, want %d", role, st, body, want2)
	}
	st, _ = uploadDept(t, me, "civil", "民政.csv", "身份证号,情况\n"+id("500236", "19700101", 901)+",新增低保\n")
	if want := map[bool]int{true: 200, false: 403}[role.CanWrite()]; st != want {
		t.Errorf("%s department list = %d, want %d", role, st, want)
	}
}

// TestMonitorConcurrentActionsAPI sends two actions on one case with the
// same version at once: exactly one wins, the other gets 409.
func TestMonitorConcurrentActionsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		s := setupMonitor(t, admin, "500236266200", 500)
		c := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[true]), "")
		village := &client{t: t, srv: srv, token: newToken(t, db, "村", "village", "500236266200")}
		town := &client{t: t, srv: srv, token: newToken(t, db, "乡", "township", "500236266")}
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, req := range []struct {
			c    *client
			body string
		}{{village, fmt.Sprintf(`{"action":"complete","version":%v}`, c["version"])},
			{town, fmt.Sprintf(`{"action":"reject","reason":"不符合条件","version":%v}`, c["version"])}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], _ = req.c.do("POST", fmt.Sprintf("/api/v1/monitor/cases/%d/actions", s.caseID[true]), req.body)
			}()
		}
		wg.Wait()
		if codes[0]+codes[1] != 200+409 {
			t.Errorf("racing actions answered %v, want one 200 and one 409", codes)
		}
		after := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/monitor/cases/%d", s.caseID[true]), "")
		if len(after["steps"].([]any)) != 2 {
			t.Errorf("timeline has %d entries, want 2", len(after["steps"].([]any)))
		}
	})
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
