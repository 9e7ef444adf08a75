package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// listPage GETs a household list page as c and returns the raw answer, its
// total and the ids on it.
func listPage(t *testing.T, c *client, path string) (string, int, map[int]bool) {
	t.Helper()
	resp, body := fetch(t, c, path)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	var page struct {
		Total int `json:"total"`
		Items []struct {
			ID int `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
	ids := map[int]bool{}
	for _, h := range page.Items {
		ids[h.ID] = true
	}
	return string(body), page.Total, ids
}

// TestHouseholdListMemo: household list pages are kept (per filter, page
// and the caller's narrowed areas, while the data token holds) and shared
// by roles with the same areas, so for every role, with a household inside
// its area and one in another county: a page an admin opened first reaches
// a role that may not see identities masked, a page such a role opened
// first reaches the admin unmasked, the admin's unrestricted list never
// reaches a role restricted to an area, and a write (the admin's, and the
// role's own where it may write) is on the next page.
func TestHouseholdListMemo(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				me := &client{t: t, srv: srv, token: newToken(t, db, "memo", string(rc.role), rc.area)}
				headID := id("500236", "19600101", 401)
				in := idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(headID, id("500236", "19620101", 402), rc.village)))
				out := idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("500237", "19600101", 403), id("500237", "19620101", 404), outsideVillage(t))))
				wantTotal := 1
				if rc.area == "" {
					wantTotal = 2
				}
				check := func(who, path, body string, total int, ids map[int]bool, wantTotal int) {
					t.Helper()
					if total != wantTotal || !ids[in] {
						t.Errorf("%s %s: total %d, ids %v; want %d with %d", who, path, total, ids, wantTotal, in)
					}
					if rc.area != "" && ids[out] {
						t.Errorf("%s %s: household %d of another county is on the page", who, path, out)
					}
					sees := who == "admin" || rc.role.SeesIdentity()
					if full := strings.Contains(body, headID) || strings.Contains(body, "13987654321"); full != sees {
						t.Errorf("%s %s: identities unmasked %v, want %v: %s", who, path, full, sees, body)
					}
				}
				for _, path := range []string{"/api/v1/households", "/api/v1/households?area=" + rc.area + "&sort=-id"} {
					// The admin first, then the role: same key where the areas narrow alike.
					body, total, ids := listPage(t, admin, path)
					if rc.area == "" || strings.Contains(path, "area=") {
						check("admin", path, body, total, ids, wantTotal)
					}
					body, total, ids = listPage(t, me, path)
					check(string(rc.role), path, body, total, ids, wantTotal)
				}
				// The role first, then the admin.
				path := "/api/v1/households?area=" + rc.area + "&sort=-updated_at&limit=5"
				body, total, ids := listPage(t, me, path)
				check(string(rc.role), path, body, total, ids, wantTotal)
				body, total, ids = listPage(t, admin, path)
				check("admin", path, body, total, ids, wantTotal)

				// A write is on the next page, the admin's and the role's own.
				added := idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("500236", "19700101", 405), id("500236", "19720101", 406), rc.village)))
				wantTotal++
				body, total, ids = listPage(t, me, path)
				check(string(rc.role), path, body, total, ids, wantTotal)
				if !ids[added] {
					t.Errorf("%s: household %d added by the admin is not on the next page %v", rc.role, added, ids)
				}
				if rc.role.CanWrite() {
					own := idOf(mustDo(t, me, 201, "POST", "/api/v1/households", household(id("500236", "19800101", 407), id("500236", "19820101", 408), rc.village)))
					_, total, ids = listPage(t, me, path)
					if total != wantTotal+1 || !ids[own] {
						t.Errorf("%s: after its own write total %d ids %v, want %d with %d", rc.role, total, ids, wantTotal+1, own)
					}
				}
			})
		})
	}
}

// TestHouseholdListFreshAcrossInstances: two servers on one database (two
// `fupin serve` behind a load balancer) each keep list pages; a write
// through one, adding a household or changing one on the page, is on the
// other's next page at once: the kept page is keyed on the database's
// change counter, read on every request.
func TestHouseholdListFreshAcrossInstances(t *testing.T) {
	dbtest.EachPair(t, func(t *testing.T, a, b *sqlstore.DB) {
		ca, cb := twoInstances(t, a, b)
		const village, path = "500236266001", "/api/v1/households?area=500236266001"
		first := idOf(mustDo(t, ca, 201, "POST", "/api/v1/households", household(id("500236", "19700101", 1), id("500236", "19720101", 2), village)))
		if _, total, _ := listPage(t, cb, path); total != 1 {
			t.Fatalf("B's first page: total %d, want 1", total)
		}
		second := idOf(mustDo(t, ca, 201, "POST", "/api/v1/households", household(id("500236", "19700101", 3), id("500236", "19720101", 4), village)))
		if _, total, ids := listPage(t, cb, path); total != 2 || !ids[second] {
			t.Errorf("B's page after a create on A: total %d ids %v, want 2 with %d", total, ids, second)
		}
		mustDo(t, ca, 200, "PUT", fmt.Sprintf("/api/v1/households/%d", first),
			fmt.Sprintf(`{"version":1,"village_code":%q,"household_type":"ex_poor","poverty_attr":"dibao","address":"新地址九组"}`, village))
		if body, _, _ := listPage(t, cb, path); !strings.Contains(body, "新地址九组") {
			t.Errorf("B's page after an update on A lacks the new address: %s", body)
		}
	})
}
