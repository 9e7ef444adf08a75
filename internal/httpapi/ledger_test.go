package httpapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// ledgerSetup is an inspection, a finding naming a household and the
// household, inside the role's village and outside its county.
type ledgerSetup struct {
	inspection, finding, household, task, cadre map[bool]int
	village                                     map[bool]string
}

func setupLedger(t *testing.T, admin *client, village string, seq int) ledgerSetup {
	t.Helper()
	s := ledgerSetup{inspection: map[bool]int{}, finding: map[bool]int{}, household: map[bool]int{}, task: map[bool]int{}, cadre: map[bool]int{},
		village: map[bool]string{}}
	for _, inside := range []bool{true, false} {
		v := village
		if !inside {
			v = outsideVillage(t)
		}
		seq++
		s.village[inside] = v
		s.household[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", seq), id("512226", "19620202", seq), v)))
		s.inspection[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/inspections",
			fmt.Sprintf(`{"source":"inspection","title":"市委巡视反馈","area_code":%q,"feedback_on":"2025-06-01"}`, v[:9])))
		// The finding's 责任人 is a cadre of its township.
		s.cadre[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/aid/cadres",
			fmt.Sprintf(`{"name":"责任干部%d","id_number":%q,"area_code":%q}`, seq, id("500103", "19800101", seq+50), v[:9])))
		body := strings.Replace(findingBody(s.inspection[inside], "1", v, s.household[inside]), `"lead_unit"`,
			fmt.Sprintf(`"responsible_cadre_id":%d,"lead_unit"`, s.cadre[inside]), 1)
		s.finding[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/findings", body))
		s.task[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/tasks", taskBody(v)))
	}
	return s
}

// checkLedgerSheets downloads the 三单 and counts the findings listed; the
// description carries a phone number that roles without identity see masked.
func checkLedgerSheets(t *testing.T, me *client, role auth.Role, want int) {
	t.Helper()
	req, _ := http.NewRequest("GET", me.srv.URL+"/api/v1/ledger/sheets", nil)
	req.Header.Set("Authorization", "Bearer "+me.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s sheets = %d", role, resp.StatusCode)
	}
	f, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range []string{"问题清单", "责任清单", "整改清单"} {
		if rows, _ := f.GetRows(sheet); len(rows) != want+1 {
			t.Errorf("%s %s: %d rows, want %d", role, sheet, len(rows)-1, want)
		}
	}
	desc, _ := f.GetCellValue("问题清单", "F2")
	if masked := !strings.Contains(desc, "13987654321"); masked == role.SeesIdentity() {
		t.Errorf("%s sees description %q", role, desc)
	}
}

func taskBody(village string) string {
	return fmt.Sprintf(`{"title":"饮水巩固提升","area_code":%q,"lead_unit":"乡水利站","deadline":"2030-12-31",
		"milestones":[{"title":"摸底","due_on":"2030-03-31"}]}`, village)
}

func findingBody(inspection int, number, village string, households ...int) string {
	hh := "[]"
	if len(households) > 0 {
		hh = fmt.Sprint(households)
		hh = "[" + hh[1:len(hh)-1] + "]"
	}
	return fmt.Sprintf(`{"inspection_id":%d,"number":%q,"category":"water","description":"饮水不稳定，联系人 13987654321","area_code":%q,
		"lead_unit":"乡水利站","kind":"deadline","deadline":"2030-06-30","household_ids":%s}`, inspection, number, village, hh)
}

func TestLedgerAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				s := setupLedger(t, admin, rc.village, 300)
				me := &client{t: t, srv: srv, token: newToken(t, db, "ledger-"+string(rc.role), string(rc.role), rc.area)}
				if st, body := me.do("GET", "/api/v1/ledger/tasks", ""); st != 200 || len(body["items"].([]any)) != map[bool]int{true: 2, false: 1}[rc.role == auth.RoleAdmin] {
					t.Errorf("%s tasks = %d %v", rc.role, st, body)
				}
				wantTotal := map[bool]float64{true: 2, false: 1}[rc.role == auth.RoleAdmin]
				if st, body := me.do("GET", "/api/v1/ledger/findings?status=open", ""); st != 200 || body["total"] != wantTotal {
					t.Errorf("%s list = %d total %v, want %v", rc.role, st, body["total"], wantTotal)
				}
				if st, body := me.do("GET", "/api/v1/ledger/inspections", ""); st != 200 || len(body["items"].([]any)) != int(wantTotal) {
					t.Errorf("%s inspections = %d %v", rc.role, st, body)
				}
				checkLedgerSheets(t, me, rc.role, int(wantTotal))
				if st, body := me.do("GET", "/api/v1/ledger/responsibility", ""); st != 200 || lookup(body, "units.0.findings_open") != wantTotal {
					t.Errorf("%s responsibility = %d %v", rc.role, st, body)
				}
				// One 责任人's findings: only those inside the caller's areas.
				for _, inside := range []bool{true, false} {
					want := map[bool]float64{true: 1, false: 0}[inside || rc.role == auth.RoleAdmin]
					if st, body := me.do("GET", fmt.Sprintf("/api/v1/ledger/findings?status=&cadre_id=%d", s.cadre[inside]), ""); st != 200 || body["total"] != want {
						t.Errorf("%s findings of cadre (inside %v) = %d total %v, want %v", rc.role, inside, st, body["total"], want)
					}
				}
				if st, body := me.do("GET", "/api/v1/ledger/findings?cadre_id=0", ""); st != 400 || lookup(body, "error.fields.cadre_id") == nil {
					t.Errorf("%s cadre_id=0 = %d %v", rc.role, st, body)
				}
				if st, body := me.do("GET", "/api/v1/ledger/findings?bucket=soon&limit=-1", ""); st != 400 || lookup(body, "error.fields.limit") == nil {
					t.Errorf("%s bad list query = %d %v", rc.role, st, body)
				}
				for _, inside := range []bool{true, false} {
					checkLedgerReads(t, me, rc.role, s, inside || rc.role == auth.RoleAdmin)
					checkLedgerWrites(t, me, rc.role, s, inside)
				}
			})
		})
	}
}

func checkLedgerReads(t *testing.T, me *client, role auth.Role, s ledgerSetup, visible bool) {
	t.Helper()
	in := visible
	want := map[bool]int{true: 200, false: 404}[visible]
	for _, path := range []string{
		fmt.Sprintf("/api/v1/ledger/findings/%d", s.finding[in]),
		fmt.Sprintf("/api/v1/ledger/inspections/%d", s.inspection[in]),
		fmt.Sprintf("/api/v1/households/%d/findings", s.household[in]),
		fmt.Sprintf("/api/v1/ledger/tasks/%d", s.task[in]),
	} {
		if st, body := me.do("GET", path, ""); st != want {
			t.Errorf("%s GET %s = %d %v, want %d", role, path, st, body, want)
		}
	}
}

func checkLedgerWrites(t *testing.T, me *client, role auth.Role, s ledgerSetup, inside bool) {
	t.Helper()
	writer := role == auth.RoleAdmin || role == auth.RoleTownship || role == auth.RoleVillage
	want := map[bool]int{true: 201, false: 403}[writer && (inside || role == auth.RoleAdmin)]
	v := s.village[inside]
	if st, body := me.do("POST", "/api/v1/ledger/inspections", fmt.Sprintf(`{"source":"self","title":"自查","area_code":%q}`, v)); st != want {
		t.Errorf("%s create inspection inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	if st, body := me.do("POST", "/api/v1/ledger/findings", findingBody(s.inspection[inside], "x-"+string(role), v)); st != want {
		t.Errorf("%s create finding inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	if st, body := me.do("POST", "/api/v1/ledger/findings/from-problems", fmt.Sprintf(`{"inspection_id":%d,"area":%q,"year":2024,
		"item":"water","lead_unit":"乡水利站","deadline":"2030-06-30"}`, s.inspection[inside], v)); st != want {
		t.Errorf("%s from problems inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	if st, body := me.do("POST", "/api/v1/ledger/tasks", taskBody(v)); st != want {
		t.Errorf("%s create task inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	// Starting the rectification is the responsible unit's step.
	want = 403
	switch {
	case !inside && role != auth.RoleAdmin:
		want = 404
	case writer:
		want = 200
	}
	path := fmt.Sprintf("/api/v1/ledger/findings/%d/actions", s.finding[inside])
	if st, body := me.do("POST", path, `{"kind":"start","version":1}`); st != want {
		t.Errorf("%s start inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	// Reporting a milestone is a registry write: read-only roles get 403
	// before the task is looked up.
	want = 403
	if writer {
		want = map[bool]int{true: 200, false: 404}[inside || role == auth.RoleAdmin]
	}
	task := mustDo(t, me.admin(), 200, "GET", fmt.Sprintf("/api/v1/ledger/tasks/%d", s.task[inside]), "")
	mpath := fmt.Sprintf("/api/v1/ledger/tasks/%d/milestones/%d/done", s.task[inside], idOf(task["milestones"].([]any)[0].(map[string]any)))
	if st, body := me.do("POST", mpath, `{"note":"已完成","version":1}`); st != want {
		t.Errorf("%s milestone inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
}

// TestLedgerChainAPI runs the 销号 chain through distinct accounts:
// applicant (village), reviewer (lead unit, township) and closer (the
// county inspection office for a county-level finding).
func TestLedgerChainAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		village := "500236266200"
		insp := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/inspections", `{"source":"assessment","title":"成效考核反馈","area_code":"500236"}`))
		body := findingBody(insp, "1", village)
		body = body[:len(body)-1] + `,"county_level":true}`
		f := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/findings", body))
		cun := &client{t: t, srv: srv, token: newToken(t, db, "cun", "village", village)}
		town := &client{t: t, srv: srv, token: newToken(t, db, "town", "township", "500236266")}
		town2 := &client{t: t, srv: srv, token: newToken(t, db, "town2", "township", "500236266")}
		county := &client{t: t, srv: srv, token: newToken(t, db, "county", "county", "500236")}
		path := fmt.Sprintf("/api/v1/ledger/findings/%d/actions", f)
		steps := []struct {
			who        *client
			body       string
			want       int
			wantStatus string
		}{
			{cun, `{"kind":"start","version":1}`, 200, "in_progress"},
			{cun, `{"kind":"apply","version":2}`, 400, ""}, // evidence required
			{cun, `{"kind":"apply","text":"已通自来水，附照片","version":2}`, 200, "pending"},
			{cun, `{"kind":"review","version":3}`, 403, ""}, // village cannot review
			{county, `{"kind":"review","version":2}`, 409, ""},
			{town, `{"kind":"review","version":3}`, 200, "pending"},
			{town2, `{"kind":"close","version":4}`, 403, ""},              // county-level: the county closes
			{town, `{"kind":"reject","text":"不同意","version":4}`, 403, ""}, // only the closer rejects now
			{county, `{"kind":"reject","version":4}`, 400, ""},
			{county, `{"kind":"close","text":"同意销号","version":4}`, 200, "closed"},
		}
		for i, s := range steps {
			st, out := s.who.do("POST", path, s.body)
			if st != s.want {
				t.Fatalf("step %d %s = %d %v, want %d", i, s.body, st, out, s.want)
			}
			if s.wantStatus != "" && out["status"] != s.wantStatus {
				t.Errorf("step %d status %v, want %s", i, out["status"], s.wantStatus)
			}
		}
		got := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/ledger/findings/%d", f), "")
		if got["applied_by"] != "token:cun" || got["reviewed_by"] != "token:town" || got["closed_by"] != "token:county" || len(got["steps"].([]any)) != 4 {
			t.Errorf("closed finding %v", got)
		}
		if n := auditActions(t, db)["ledger.finding.close"]; n != 1 {
			t.Errorf("close audited %d times", n)
		}
		// 回头看: the county re-checks, the finding recurred.
		re := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/inspections", fmt.Sprintf(`{"source":"recheck","title":"回头看","area_code":"500236","recheck_of":%d}`, insp)))
		if st, out := cun.do("POST", fmt.Sprintf("/api/v1/ledger/findings/%d/recheck", f), fmt.Sprintf(`{"inspection_id":%d,"text":"x"}`, re)); st != 403 {
			t.Errorf("village recheck = %d %v", st, out)
		}
		out := mustDo(t, county, 200, "POST", fmt.Sprintf("/api/v1/ledger/findings/%d/recheck", f),
			fmt.Sprintf(`{"inspection_id":%d,"recurred":true,"text":"又断水","deadline":"2030-12-31"}`, re))
		if lookup(out, "recurrence.recurrence_of") != float64(f) {
			t.Errorf("recurrence %v", out)
		}
		rec := mustDo(t, town, 200, "GET", "/api/v1/ledger/recurrences", "")
		if lookup(rec, "items.0.count") != float64(1) {
			t.Errorf("recurrences %v", rec)
		}
	})
}

func TestLedgerConcurrentReviewAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		insp := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/inspections", `{"source":"supervision","title":"督查","area_code":"500236266"}`))
		f := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/findings", findingBody(insp, "1", "500236266200")))
		cun := &client{t: t, srv: srv, token: newToken(t, db, "cun", "village", "500236266200")}
		path := fmt.Sprintf("/api/v1/ledger/findings/%d/actions", f)
		mustDo(t, cun, 200, "POST", path, `{"kind":"start","version":1}`)
		mustDo(t, cun, 200, "POST", path, `{"kind":"apply","text":"完成","version":2}`)
		var reviewers []*client
		for i := 0; i < 4; i++ {
			reviewers = append(reviewers, &client{t: t, srv: srv, token: newToken(t, db, fmt.Sprint("town", i), "township", "500236266")})
		}
		var wg sync.WaitGroup
		codes := make([]int, len(reviewers))
		for i, c := range reviewers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], _ = c.do("POST", path, `{"kind":"review","version":3}`)
			}()
		}
		wg.Wait()
		n := map[int]int{}
		for _, c := range codes {
			n[c]++
		}
		if n[200] != 1 || n[409] != len(reviewers)-1 {
			t.Errorf("concurrent reviews: %v", codes)
		}
	})
}

// admin is a client with the admin token on the same server.
func (c *client) admin() *client { return &client{t: c.t, srv: c.srv, token: adminToken} }

func uploadFeedback(t *testing.T, c *client, inspection int, name, content string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/ledger/inspections/%d/feedback", c.srv.URL, inspection), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

func TestLedgerFeedbackUploadAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		insp := idOf(mustDo(t, admin, 201, "POST", "/api/v1/ledger/inspections", `{"source":"unannounced","title":"暗访","area_code":"500236266"}`))
		head := "序号,问题描述,所在村,牵头单位,整改时限\n"
		if st, out := uploadFeedback(t, admin, insp, "反馈.csv", head+"1,断水,天台村,乡水利站,2025-13-01\n"); st != 400 || lookup(out, "error.fields.!E2") == nil {
			t.Errorf("bad date = %d %v", st, out)
		}
		if st, out := uploadFeedback(t, admin, insp, "反馈.xlsx", "not a zip"); st != 400 || lookup(out, "error.fields.file") == nil {
			t.Errorf("not an xlsx = %d %v", st, out)
		}
		town := &client{t: t, srv: srv, token: newToken(t, db, "town", "township", "500236266")}
		if st, out := uploadFeedback(t, town, insp, "反馈.csv", head+"1,断水,天台村,乡水利站,2025-12-01\n2,作风,文昌村,乡纪委,2025-12-01\n"); st != 201 || out["created"] != float64(2) {
			t.Errorf("good file = %d %v", st, out)
		}
		cun := &client{t: t, srv: srv, token: newToken(t, db, "cun", "village", "500236266200")}
		if st, out := uploadFeedback(t, cun, insp, "反馈.csv", head+"3,断水,天台村,乡水利站,2025-12-01\n"); st != 403 {
			t.Errorf("village into a township inspection = %d %v", st, out)
		}
		insp2 := &client{t: t, srv: srv, token: newToken(t, db, "insp", "inspector", "500236266")}
		if st, out := uploadFeedback(t, insp2, insp, "反馈.csv", head+"3,断水,天台村,乡水利站,2025-12-01\n"); st != 403 {
			t.Errorf("inspector = %d %v", st, out)
		}
		if page := mustDo(t, admin, 200, "GET", "/api/v1/ledger/findings", ""); page["total"] != float64(2) {
			t.Errorf("findings after imports: %v", page["total"])
		}
	})
}
