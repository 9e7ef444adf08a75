package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// TestAppraisalAccessMatrix: every role against snapshots inside and
// outside its area. Snapshots are taken by administrators and county users
// inside their areas; a snapshot is seen by callers whose areas hold its
// area (the township snapshot is hidden from village and aid-unit users);
// frozen households are masked like live ones.
func TestAppraisalAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				village := map[bool]string{true: rc.village, false: outsideVillage(t)}
				hh, snap := map[bool]int{}, map[bool]int{}
				head := map[bool]string{}
				for i, inside := range []bool{true, false} {
					head[inside] = id("512226", "19600101", 700+i)
					hh[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/households",
						household(head[inside], id("512226", "19620202", 700+i), village[inside])))
					snap[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/appraisal/snapshots",
						fmt.Sprintf(`{"year":2025,"area_code":%q}`, village[inside])))
				}
				round := map[bool]int{}
				for _, inside := range []bool{true, false} {
					round[inside] = idOf(mustDo(t, admin, 201, "POST", "/api/v1/appraisal/rounds",
						fmt.Sprintf(`{"year":2025,"area_code":%q,"rule":{"villages":2,"registered":20,"others":5,"seed":7}}`, village[inside])))
				}
				for _, inside := range []bool{true, false} {
					mustDo(t, admin, 200, "PUT", fmt.Sprintf("/api/v1/appraisal/rounds/%d/survey", round[inside]), surveyBody)
				}
				township := idOf(mustDo(t, admin, 201, "POST", "/api/v1/appraisal/snapshots", `{"year":2025,"area_code":"500236266","name":"乡快照"}`))
				me := &client{t: t, srv: srv, token: newToken(t, db, "appraisal-"+string(rc.role), string(rc.role), rc.area)}

				wantList := map[auth.Role]int{auth.RoleAdmin: 3, auth.RoleCounty: 2, auth.RoleTownship: 2, auth.RoleInspector: 2,
					auth.RoleVillage: 1, auth.RoleAidUnit: 1}[rc.role]
				if st, body := me.do("GET", "/api/v1/appraisal/snapshots", ""); st != 200 || len(body["items"].([]any)) != wantList {
					t.Errorf("%s list = %d %v, want %d items", rc.role, st, body, wantList)
				}
				// Rounds: one per village; village and aid-unit users see their own.
				wantRounds := map[auth.Role]int{auth.RoleAdmin: 2, auth.RoleCounty: 1, auth.RoleTownship: 1, auth.RoleInspector: 1,
					auth.RoleVillage: 1, auth.RoleAidUnit: 1}[rc.role]
				if st, body := me.do("GET", "/api/v1/appraisal/rounds", ""); st != 200 || len(body["items"].([]any)) != wantRounds ||
					lookup(body, "items.0.id") != float64(round[rc.role != auth.RoleAdmin]) {
					t.Errorf("%s rounds = %d %v, want %d items", rc.role, st, body, wantRounds)
				}
				if st, name, book := downloadBook(t, me, "/api/v1/appraisal/rounds?format=xlsx"); st != 200 || len(book["抽查轮次"]) != wantRounds+1 ||
					book["抽查轮次"][1][0] != fmt.Sprint(round[rc.role != auth.RoleAdmin]) {
					t.Errorf("%s rounds workbook = %d %s %q, want %d rounds", rc.role, st, name, book["抽查轮次"], wantRounds)
				}
				seesTownship := rc.role != auth.RoleVillage && rc.role != auth.RoleAidUnit
				if st, _ := me.do("GET", fmt.Sprintf("/api/v1/appraisal/snapshots/%d", township), ""); st != map[bool]int{true: 200, false: 404}[seesTownship] {
					t.Errorf("%s township snapshot = %d", rc.role, st)
				}
				for _, inside := range []bool{true, false} {
					visible := inside || rc.role == auth.RoleAdmin
					want := map[bool]int{true: 200, false: 404}[visible]
					for _, path := range []string{
						fmt.Sprintf("/api/v1/appraisal/snapshots/%d", snap[inside]),
						fmt.Sprintf("/api/v1/appraisal/compare?from=%d&to=%d", snap[inside], snap[inside]),
					} {
						if st, body := me.do("GET", path, ""); st != want {
							t.Errorf("%s GET %s = %d %v, want %d", rc.role, path, st, body, want)
						}
					}
					path := fmt.Sprintf("/api/v1/appraisal/snapshots/%d/households/%d", snap[inside], hh[inside])
					st, body := me.do("GET", path, "")
					if st != want {
						t.Errorf("%s GET %s = %d %v, want %d", rc.role, path, st, body, want)
					}
					if st == 200 {
						got, _ := lookup(body, "members.0.id_number").(string)
						phone, _ := lookup(body, "phone").(string)
						if full := got == head[inside]; full != rc.role.SeesIdentity() {
							t.Errorf("%s frozen ID number %q (sees identity %v)", rc.role, got, rc.role.SeesIdentity())
						}
						if rc.role.SeesIdentity() == strings.Contains(phone, "*") {
							t.Errorf("%s frozen phone %q", rc.role, phone)
						}
					}
					checkRound(t, me, rc.role, round[inside], hh[inside], head[inside], inside)
					checkSurvey(t, me, rc.role, round[inside], hh[inside], inside)
					creator := rc.role == auth.RoleAdmin || rc.role == auth.RoleCounty && inside
					wantCreate := map[bool]int{true: 201, false: 403}[creator]
					if st, body := me.do("POST", "/api/v1/appraisal/snapshots", fmt.Sprintf(`{"year":2025,"area_code":%q}`, village[inside])); st != wantCreate {
						t.Errorf("%s create inside=%v = %d %v, want %d", rc.role, inside, st, body, wantCreate)
					}
					if st, body := me.do("POST", "/api/v1/appraisal/rounds", fmt.Sprintf(`{"year":2025,"area_code":%q,"rule":{"villages":2,"registered":1,"others":0,"seed":1}}`, village[inside])); st != wantCreate {
						t.Errorf("%s create round inside=%v = %d %v, want %d", rc.role, inside, st, body, wantCreate)
					}
				}
				mustDo(t, admin, 200, "PUT", "/api/v1/appraisal/thresholds", `{"area":"500236","year":2025,"threshold":{"rate":"approval","min":0.95,"source":"县定"}}`)
				wantSet := map[bool]int{true: 200, false: 403}[rc.role == auth.RoleAdmin]
				if st, body := me.do("PUT", "/api/v1/appraisal/thresholds", `{"area":"500236","year":2025,"threshold":{"rate":"approval","min":0.95,"source":"县定"}}`); st != wantSet {
					t.Errorf("%s set threshold = %d %v, want %d", rc.role, st, body, wantSet)
				}
				if st, body := me.do("GET", "/api/v1/appraisal/thresholds?area=500236266200&year=2025", ""); st != 200 || lookup(body, "effective.3.source") != "县定" {
					t.Errorf("%s thresholds = %d %v", rc.role, st, body)
				}
				if rc.role == auth.RoleAdmin {
					if st, body := me.do("PUT", "/api/v1/appraisal/thresholds", `{"area":"","year":2025,"threshold":{"rate":"missed","source":"x"}}`); st != 400 || lookup(body, "error.fields.max") == nil {
						t.Errorf("threshold without a limit = %d %v", st, body)
					}
					if st, body := me.do("POST", "/api/v1/appraisal/snapshots", `{"year":1999,"area_code":"x"}`); st != 400 ||
						lookup(body, "error.fields.year") == nil || lookup(body, "error.fields.area_code") == nil {
						t.Errorf("bad snapshot = %d %v", st, body)
					}
					if st, body := me.do("GET", "/api/v1/appraisal/compare?from=x", ""); st != 400 || lookup(body, "error.fields.to") == nil {
						t.Errorf("bad compare = %d %v", st, body)
					}
				}
			})
		})
	}
}

// checkRound reads a round's field sheet and rates and enters a result:
// reads follow the area, results need admin, county or inspector, and the
// sheet masks the head's ID number for roles without identity rights.
func checkRound(t *testing.T, me *client, role auth.Role, round, household int, head string, inside bool) {
	t.Helper()
	visible := inside || role == auth.RoleAdmin
	want := map[bool]int{true: 200, false: 404}[visible]
	st, body := me.do("GET", fmt.Sprintf("/api/v1/appraisal/rounds/%d", round), "")
	if st != want {
		t.Errorf("%s round inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	if st == 200 {
		got, _ := lookup(body, "items.0.head_id_number").(string)
		if lookup(body, "items.0.household_id") != float64(household) || (got == head) != role.SeesIdentity() || got == "" {
			t.Errorf("%s sheet row %v (head %s)", role, lookup(body, "items.0"), head)
		}
	}
	if st, body := me.do("GET", fmt.Sprintf("/api/v1/appraisal/rounds/%d/rates", round), ""); st != want {
		t.Errorf("%s rates inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	book := checkRoundBook(t, me, role, round, head, want)
	checker := role == auth.RoleAdmin || role == auth.RoleCounty || role == auth.RoleInspector
	wantPut := 403
	if checker {
		wantPut = want
	}
	path := fmt.Sprintf("/api/v1/appraisal/rounds/%d/households/%d", round, household)
	if st, body := me.do("PUT", path, `{"wrong_exit":true,"note":"收入不达标"}`); st != wantPut {
		t.Errorf("%s record inside=%v = %d %v, want %d", role, inside, st, body, wantPut)
	}
	if wantPut == 200 {
		_, rates := me.do("GET", fmt.Sprintf("/api/v1/appraisal/rounds/%d/rates", round), "")
		if lookup(rates, "counts.wrong_exits") != float64(1) || lookup(rates, "rates.0.value") != float64(1) {
			t.Errorf("%s rates after a wrong exit: %v", role, rates)
		}
		if st, body := me.do("PUT", path, `{"missed":true,"note":"x"}`); st != 400 || lookup(body, "error.fields.missed") == nil {
			t.Errorf("%s missed on a 脱贫户 = %d %v", role, st, body)
		}
		after := checkRoundBook(t, me, role, round, head, want)
		if got := after["现场核查表"][1]; len(got) < 13 || got[7] != "是" || got[9] != "是" || got[12] != "收入不达标" {
			t.Errorf("%s 现场核查表 after a wrong exit: %q (before %q)", role, got, book["现场核查表"][1])
		}
		if got := after["抽查结果"][1]; got[0] != "错退率" || got[2] != "1" || got[3] != "1" || got[4] != "100.00%" || got[7] != "不达标" {
			t.Errorf("%s 抽查结果 after a wrong exit: %q", role, got)
		}
	}
}

// checkRoundBook downloads a round's workbook (?format=xlsx): refused like
// the round outside the area; inside it has the round, the field sheet
// (one row per household the JSON sheet lists, the head's ID number masked
// for roles without identity rights), the rates with their formulas and
// the survey's tallies. It returns the sheets' rows.
func checkRoundBook(t *testing.T, me *client, role auth.Role, round int, head string, want int) map[string][][]string {
	t.Helper()
	st, name, sheets := downloadBook(t, me, fmt.Sprintf("/api/v1/appraisal/rounds/%d?format=xlsx", round))
	if st != want {
		t.Fatalf("%s round workbook = %d %s, want %d", role, st, name, want)
	}
	if st != 200 {
		return nil
	}
	_, body := me.do("GET", fmt.Sprintf("/api/v1/appraisal/rounds/%d", round), "")
	field := sheets["现场核查表"]
	if len(field) != len(body["items"].([]any))+1 || len(field) < 2 || field[0][4] != "户主身份证号" {
		t.Fatalf("%s 现场核查表 %q, JSON sheet %v", role, field, body["items"])
	}
	if full := field[1][4] == head; full != role.SeesIdentity() || field[1][4] == "" {
		t.Errorf("%s 现场核查表 ID number %q (sees identity %v)", role, field[1][4], role.SeesIdentity())
	}
	if r := sheets["抽查轮次"]; len(r) != 2 || r[1][0] != fmt.Sprint(round) {
		t.Errorf("%s 抽查轮次 %q", role, r)
	}
	if r := sheets["抽查结果"]; len(r) != 7 || r[1][1] != "错退户数 ÷ 抽查的已退出户数" {
		t.Errorf("%s 抽查结果 %q", role, r)
	}
	if r := sheets["群众认可度"]; len(r) < 2 || r[1][0] != "总体" {
		t.Errorf("%s 群众认可度 %q", role, r)
	}
	if !strings.HasSuffix(name, ".xlsx") || !strings.Contains(name, "抽查轮次") {
		t.Errorf("%s workbook named %q", role, name)
	}
	return sheets
}

const surveyBody = `{"title":"认可度调查","questions":[{"key":"overall","text":"是否认可","scale":"approval","target":"overall"},
	{"key":"helper","text":"对帮扶责任人是否认可","scale":"approval","target":"helper"}]}`

// checkSurvey: the questionnaire and the 认可度 tallies are read within the
// area; the questionnaire is set by admin and county users; answers are
// entered and read one by one only by the roles that enter check results,
// so the cadres being rated (village, aid unit, township) never see a
// household's answer, and the tallies carry no answers.
func checkSurvey(t *testing.T, me *client, role auth.Role, round, household int, inside bool) {
	t.Helper()
	visible := inside || role == auth.RoleAdmin
	want := map[bool]int{true: 200, false: 404}[visible]
	orForbidden := func(allowed bool) int {
		if allowed {
			return want
		}
		return 403
	}
	base := fmt.Sprintf("/api/v1/appraisal/rounds/%d/survey", round)
	if st, body := me.do("GET", base, ""); st != want || (st == 200 && lookup(body, "questions.1.target") != "helper") {
		t.Errorf("%s survey inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	appraiser := role == auth.RoleAdmin || role == auth.RoleCounty
	if st, body := me.do("PUT", base, surveyBody); st != orForbidden(appraiser) {
		t.Errorf("%s put survey inside=%v = %d %v", role, inside, st, body)
	}
	checker := appraiser || role == auth.RoleInspector
	answer := fmt.Sprintf("%s/responses/%d", base, household)
	if st, body := me.do("PUT", answer, `{"answers":{"overall":"approve","helper":"disapprove"}}`); st != orForbidden(checker) {
		t.Errorf("%s answer inside=%v = %d %v", role, inside, st, body)
	}
	st, body := me.do("GET", base+"/responses", "")
	if st != orForbidden(checker) {
		t.Errorf("%s responses inside=%v = %d %v", role, inside, st, body)
	}
	if st == 200 && lookup(body, "items.0.answers.helper") != "disapprove" {
		t.Errorf("%s responses %v", role, body)
	}
	st, body = me.do("GET", base+"/approval", "")
	if st != want {
		t.Errorf("%s approval inside=%v = %d %v, want %d", role, inside, st, body, want)
	}
	if raw := fmt.Sprint(body); st == 200 && (strings.Contains(raw, "disapprove") || strings.Contains(raw, "answers")) {
		t.Errorf("%s approval shows answers: %v", role, body)
	}
	if role == auth.RoleAdmin && inside {
		if st, body := me.do("PUT", answer, `{"answers":{"overall":"5"}}`); st != 400 || lookup(body, "error.fields.answers.overall") == nil {
			t.Errorf("bad answer = %d %v", st, body)
		}
		if st, body := me.do("PUT", base, surveyBody); st != 409 {
			t.Errorf("survey changed after an answer = %d %v", st, body)
		}
	}
}
