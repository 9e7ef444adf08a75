package httpapi_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// loadDemo fills db with n generated households of 平安乡 and assesses them
// for 2025.
func loadDemo(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	sys := fupin.SystemActor("测试")
	if _, err := db.BulkLoad(ctx(), sys, "demo.load", func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: n, Seed: 7, Today: fupin.NewDate(2026, 3, 1)}, emit)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Assess(ctx(), sys, demo.TownshipCode, 2025, nil); err != nil {
		t.Fatal(err)
	}
}

// TestDashboardEqualsLists checks the rule of the 总览: every number equals
// the total of the list it links to, with the same filter, at every level
// of the drill-down and for an area-scoped caller; and a write shows at once.
func TestDashboardEqualsLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loadDemo(t, db, 240)
		srv := newServer(t, db)
		total := func(path string, q url.Values) int {
			t.Helper()
			status, body := call(t, srv, "GET", path+"?"+q.Encode(), "")
			if status != 200 {
				t.Fatalf("%s?%s = %d %v", path, q.Encode(), status, body)
			}
			return int(body["total"].(float64))
		}
		check := func(area string) map[string]any {
			t.Helper()
			status, d := call(t, srv, "GET", "/api/v1/dashboard?area="+area+"&year=2025", "")
			if status != 200 {
				t.Fatalf("dashboard %s = %d %v", area, status, d)
			}
			areas := append([]any{d["total"]}, d["children"].([]any)...)
			for _, a := range areas {
				c := a.(map[string]any)
				code := c["code"].(string)
				counts := map[string]url.Values{
					"households": {"area": {code}},
					"ex_poor":    {"area": {code}, "household_type": {"ex_poor"}},
					"monitored":  {"area": {code}, "monitored": {"true"}},
				}
				for key, q := range counts {
					if got, want := int(c[key].(float64)), total("/api/v1/households", q); got != want {
						t.Errorf("%s %s: dashboard %d, list %d", code, key, got, want)
					}
				}
				for typ, n := range c["monitor_types"].(map[string]any) {
					q := url.Values{"area": {code}, "monitor_type": {typ}}
					if got, want := int(n.(float64)), total("/api/v1/households", q); got != want {
						t.Errorf("%s monitor_type %s: dashboard %d, list %d", code, typ, got, want)
					}
				}
			}
			// Problems per item equal the 问题清单 totals, for the area and each child.
			v := d["verdicts"].(map[string]any)
			for _, a := range append([]any{v["total"]}, v["children"].([]any)...) {
				s := a.(map[string]any)
				for item, st := range s["items"].(map[string]any) {
					for _, status := range []string{"fail", "unknown"} {
						q := url.Values{"area": {s["code"].(string)}, "year": {"2025"}, "item": {item}, "status": {status}}
						if got, want := int(st.(map[string]any)[status].(float64)), total("/api/v1/assessments/problems", q); got != want {
							t.Errorf("%s %s %s: dashboard %d, problems %d", s["code"], item, status, got, want)
						}
					}
				}
			}
			// The income bands count the year's verdicts once each: the
			// bands below the monitoring line are the households failing
			// the income item, "none" those it is unknown for (the lists
			// the console links them to), and every household here has a
			// verdict for the year.
			sum, below, none := 0, 0, 0
			for _, b := range d["income"].([]any) {
				band := b.(map[string]any)
				n := int(band["households"].(float64))
				sum += n
				switch band["key"] {
				case "below_poverty", "below_line":
					below += n
				case "none":
					none = n
				}
			}
			assessed := int(v["total"].(map[string]any)["households"].(float64))
			if sum != assessed {
				t.Errorf("%s: income bands add up to %d, verdicts %d", area, sum, assessed)
			}
			tot := d["total"].(map[string]any)
			if want := int(tot["households"].(float64)); sum != want {
				t.Errorf("%s: income bands add up to %d, households %d", area, sum, want)
			}
			q := url.Values{"area": {area}, "year": {"2025"}, "item": {"income"}, "status": {"fail"}}
			if want := total("/api/v1/assessments/problems", q); below != want {
				t.Errorf("%s: income bands below the line %d, income failures %d", area, below, want)
			}
			q.Set("status", "unknown")
			if want := total("/api/v1/assessments/problems", q); none != want {
				t.Errorf("%s: income band none %d, income unknowns %d", area, none, want)
			}
			// The verdict counts are the summary's.
			q = url.Values{"area": {area}, "year": {"2025"}}
			status, s := call(t, srv, "GET", "/api/v1/assessments/summary?"+q.Encode(), "")
			if status != 200 {
				t.Fatalf("summary %s = %d %v", area, status, s)
			}
			if diff := cmp.Diff(s, v); diff != "" {
				t.Errorf("%s: dashboard verdicts differ from the summary (-summary +dashboard):\n%s", area, diff)
			}
			return d
		}
		county := check("500236")
		if n := county["total"].(map[string]any)["households"].(float64); n != 240 {
			t.Fatalf("county households = %v, want 240", n)
		}
		township := check(demo.TownshipCode)
		village := township["children"].([]any)[0].(map[string]any)["code"].(string)
		check(village)

		// A village cadre's dashboard of the whole county shows their village only.
		adminToken = newToken(t, db, "村干部", "village", village)
		scoped := check("500236")
		if got := scoped["children"].([]any); len(got) != 1 {
			t.Errorf("village-scoped county dashboard has %d townships, want 1", len(got))
		}
		want := township["children"].([]any)[0].(map[string]any)["households"]
		if got := scoped["total"].(map[string]any)["households"]; got != want {
			t.Errorf("village-scoped households = %v, want %v", got, want)
		}

		// A deletion shows on the next dashboard (the memo is not stale).
		adminToken = newToken(t, db, "管理员", "admin", "")
		_, page := call(t, srv, "GET", "/api/v1/households?area="+village+"&limit=1", "")
		h := page["items"].([]any)[0].(map[string]any)
		status, body := call(t, srv, "DELETE", fmt.Sprintf("/api/v1/households/%v", h["id"]),
			fmt.Sprintf(`{"version":%v,"reason":"重复登记"}`, h["version"]))
		if status != 200 {
			t.Fatalf("delete: %d %v", status, body)
		}
		after := check(demo.TownshipCode)
		if got := after["total"].(map[string]any)["households"].(float64); got != 239 {
			t.Errorf("households after a deletion = %v, want 239", got)
		}
	})
}

func TestDashboardBadArea(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		run(t, srv, []scenario{
			{"bad area", "GET", "/api/v1/dashboard?area=5002362&year=2025", "", 400, map[string]any{"error.fields.area": "格式不正确"}},
			{"bad year", "GET", "/api/v1/dashboard?area=500236&year=19", "", 400, map[string]any{"error.code": "invalid"}},
			{"empty area", "GET", "/api/v1/dashboard?area=500236&year=2025", "", 200, map[string]any{"total.households": 0, "income.0.key": "none"}},
		})
	})
}
