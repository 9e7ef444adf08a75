package httpapi_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/idcard"
	"fupin/internal/sqlstore"
)

// TestMaskedAnswersCannotRebuildIDs fills a registry with identities in
// every place they can hide (members, a newborn whose joining date is its
// birth date, free-text address and notes, phones written as
// +8613912340000 and 139-0000-2222, cadres, handover entries, an import
// error report), then fetches every answer a role without identity rights
// can get — JSON, exports, error reports, the handover sheet — and checks
// that no stored ID number or phone number appears, that no birth date is
// spelled anywhere (so no combination of fields gives the hidden digits
// back), and counts how many numbers still fit each masked one.
func TestMaskedAnswersCannotRebuildIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		head, spouse := id("512226", "19600101", 11), id("512226", "19650505", 22)
		baby, typed := id("500236", "20240509", 33), id("500236", "19770707", 44)
		hh := strings.Replace(household(head, spouse, "500236266200"), `"phone":"139 8765 4321"`,
			`"phone":"+8613912340000","address":"平安乡 亲属身份证`+typed+` 电话 +86 137-0000-1111"`, 1)
		h := idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", hh))
		mustDo(t, admin, 201, "POST", fmt.Sprintf("/api/v1/households/%d/members", h), fmt.Sprintf(
			`{"version":%d,"member":{"name":"新生儿","id_number":%q,"relation":"grandson","join_reason":"birth","joined_on":"2024-05-09","phone":"139-0000-2222"}}`,
			version(t, admin, h), baby))
		aid := setupAid(t, admin, "500236266200", 100)
		mustDo(t, admin, 201, "POST", fmt.Sprintf("/api/v1/aid/rotations/%d/entries", aid.rotation[true]),
			`{"version":1,"kind":"case","title":"低保复核 `+spouse+`","detail":"联系 13912340000，出生 1965-05-05"}`)
		// An import whose error rows carry ID numbers (admin's own export, one name emptied).
		full := get(t, srv, adminToken, "/api/v1/exports?area=500236266200&format=csv")
		job := upload(t, srv, "台账.csv", strings.Replace(full, "周桂英", "", 1))
		waitJob(t, admin, job)

		ids, phones := storedIdentities(t, admin, h)
		for _, who := range []struct{ role, area string }{{"county", "500236"}, {"inspector", "500236266"}, {"aid_unit", "500236266200"}} {
			tok := newToken(t, db, "scan-"+who.role, who.role, who.area)
			var all strings.Builder
			answered := 0
			for _, path := range maskedPaths(h, aid, job) {
				if a := answerText(t, srv, tok, path); a != "" {
					answered++
					all.WriteString(a)
					all.WriteByte('\n')
				}
			}
			t.Logf("%s: %d answers scanned, %d bytes", who.role, answered, all.Len())
			text := all.String()
			if !strings.Contains(text, idcard.Mask(head)) || !strings.Contains(text, "2024-**-**") {
				t.Errorf("%s: the answers lack the masked number %s or the masked birth date", who.role, idcard.Mask(head))
			}
			checkNotRebuildable(t, who.role, text, ids, phones)
		}
	})
}

// storedIdentities lists every ID and phone number the admin sees.
func storedIdentities(t *testing.T, admin *client, h int) (ids, phones []string) {
	t.Helper()
	hd := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/households/%d", h), "")
	if hd["phone"] != "13912340000" {
		t.Errorf("phone +8613912340000 stored as %v, want its 11 digits", hd["phone"])
	}
	phones = append(phones, hd["phone"].(string), "13700001111", "13900002222", "13912340000")
	for _, m := range hd["members"].([]any) {
		ids = append(ids, m.(map[string]any)["id_number"].(string))
	}
	cadres := mustDo(t, admin, 200, "GET", "/api/v1/aid/cadres?limit=100", "")
	for _, c := range cadres["items"].([]any) {
		ids = append(ids, c.(map[string]any)["id_number"].(string))
		phones = append(phones, c.(map[string]any)["phone"].(string))
	}
	return append(ids, id("500236", "19770707", 44)), phones
}

func maskedPaths(h int, aid aidSetup, job int) []string {
	hp := fmt.Sprintf("/api/v1/households/%d", h)
	ps := []string{"/api/v1/households?limit=100", "/api/v1/households?q=冉", hp, hp + "/history", hp + "/members", hp + "/incomes",
		hp + "/assessment?year=2025", hp + "/pairings", "/api/v1/assessments/problems?area=500236&status=unknown&year=2025",
		"/api/v1/aid/cadres?limit=100", fmt.Sprintf("/api/v1/aid/cadres/%d", aid.cadre[true]), "/api/v1/aid/pairings",
		"/api/v1/aid/postings", "/api/v1/aid/visits", "/api/v1/aid/unpaired", "/api/v1/aid/workload", "/api/v1/aid/alerts",
		"/api/v1/aid/rotations", fmt.Sprintf("/api/v1/aid/rotations/%d", aid.rotation[true]),
		fmt.Sprintf("/api/v1/aid/rotations/%d/sheet", aid.rotation[true]), fmt.Sprintf("/api/v1/aid/visits/%d", aid.visit[true]),
		"/api/v1/exports?area=500236&format=csv", "/api/v1/exports?area=500236&format=xlsx",
		fmt.Sprintf("/api/v1/imports/%d/errors", job), fmt.Sprintf("/api/v1/imports/%d/errors?format=xlsx", job), "/api/v1/imports",
		"/api/v1/aid/groups", fmt.Sprintf("/api/v1/aid/groups/%d", aid.group[true]), "/api/v1/aid/teams", "/api/v1/aid/summary",
		"/api/v1/aid/overdue-visits", "/api/v1/aid/checkins", "/api/v1/aid/leaves", "/api/v1/aid/attendance",
		"/api/v1/dashboard?area=500236&year=2025", "/api/v1/assessments/summary?area=500236&year=2025", "/api/v1/me",
		"/api/v1/audit?limit=200", fmt.Sprintf("/api/v1/audit?household_id=%d", h)}
	return ps
}

// answerText fetches path as the token's caller; an .xlsx answer becomes
// the text of all its parts. Answers the role may not get (403/404) are
// empty: they cannot leak.
func answerText(t *testing.T, srv *httptest.Server, tok, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return ""
	}
	if bytes.HasPrefix(b, []byte("PK")) {
		return unzipText(t, b)
	}
	return string(b)
}

var spelledDate = regexp.MustCompile(`(\d{4})(?:-(\d{2})-(\d{2})(?:[^T]|$)|/(\d{2})/(\d{2})|\.(\d{2})\.(\d{2})|年(\d{1,2})月(\d{1,2})日)`)

// checkNotRebuildable fails when the answers hold a stored number, a phone,
// or the birth date of a stored number in any spelling; it logs how many
// numbers fit a masked one for an attacker who knows the full region code
// and the birth year.
func checkNotRebuildable(t *testing.T, role, text string, ids, phones []string) {
	t.Helper()
	digits := regexp.MustCompile(`[\s\-+]`).ReplaceAllString(text, "")
	for _, p := range phones {
		if p != "" && strings.Contains(digits, p) {
			t.Errorf("%s: phone %s appears in an answer", role, p)
		}
	}
	dates := map[string]bool{}
	for _, m := range spelledDate.FindAllStringSubmatch(text, -1) {
		for k := 2; k < len(m); k += 2 {
			if m[k] != "" {
				dates[fmt.Sprintf("%s-%02s-%02s", m[1], m[k], m[k+1])] = true
			}
		}
	}
	compact := regexp.MustCompile(`\d+`).FindAllString(text, -1)
	least := 1 << 30
	for _, n := range ids {
		if strings.Contains(strings.ToUpper(text), n) {
			t.Errorf("%s: ID number %s appears in an answer", role, n)
		}
		birth := n[6:10] + "-" + n[10:12] + "-" + n[12:14]
		if dates[birth] {
			t.Errorf("%s: the birth date %s of %s is spelled in an answer", role, birth, idcard.Mask(n))
		}
		for _, run := range compact {
			if strings.Contains(run, n[6:14]) {
				t.Errorf("%s: the birth digits of %s appear in %q", role, idcard.Mask(n), run)
			}
		}
		least = min(least, candidates(n))
	}
	t.Logf("%s: %d ID numbers, %d phones checked; at least %d numbers fit each masked one (region and birth year known)", role, len(ids), len(phones), least)
	if least < 10 {
		t.Errorf("%s: only %d numbers fit a masked ID", role, least)
	}
}

// candidates counts the valid numbers with n's region, birth year,
// sequence and check character: what is left to guess once the masked
// number, the year and a guessed county are known.
func candidates(n string) int {
	count := 0
	for m := 1; m <= 12; m++ {
		for d := 1; d <= 31; d++ {
			c := fmt.Sprintf("%s%s%02d%02d%s", n[:6], n[6:10], m, d, n[14:17])
			if _, err := idcard.Parse(c+string(idcard.CheckChar(c)), time.Now()); err == nil && idcard.CheckChar(c) == n[17] {
				count++
			}
		}
	}
	return count
}

func unzipText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not an xlsx: %v", err)
	}
	var out strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&out, rc)
		rc.Close()
	}
	return out.String()
}

// TestMaskedRolesCannotSearchByIDNumber: a role that sees ID numbers
// masked cannot probe them with the list's prefix search (q=5122261960…),
// which would give a masked number back digit by digit; names and 户编号
// still match.
func TestMaskedRolesCannotSearchByIDNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		head := id("512226", "19600101", 11)
		mustDo(t, admin, 201, "POST", "/api/v1/households", household(head, id("512226", "19620202", 22), "500236266200"))
		insp := &client{t: t, srv: srv, token: newToken(t, db, "督查", "inspector", "500236266")}
		for _, tt := range []struct {
			who  *client
			q    string
			want float64
		}{
			{admin, head[:12], 1}, {insp, head[:12], 0}, {insp, head, 0}, {insp, "冉光", 1},
			// The last six digits hold the birth day the mask hides; the
			// search index keeps them reversed behind "#".
			{admin, head[12:], 1}, {insp, head[12:], 0}, {insp, head[14:], 0},
			{insp, "%23" + rev(head[12:]), 0}, {insp, "%23" + rev(head[14:]), 0}, {admin, "%23" + rev(head[12:]), 0},
		} {
			if _, body := tt.who.do("GET", "/api/v1/households?q="+tt.q, ""); body["total"] != tt.want {
				t.Errorf("q=%s: total %v, want %v", tt.q, body["total"], tt.want)
			}
		}
	})
}

func rev(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
