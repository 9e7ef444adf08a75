package httpapi_test

import (
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// Aid lists refuse bad paging and bad dates with 400 naming the parameter, as the household
// list does, instead of answering something else.
func TestAidListsRefuseBadQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		for _, tc := range []struct{ url, field string }{
			{"/api/v1/households?limit=-1", "limit"},
			{"/api/v1/aid/pairings?limit=-1", "limit"},
			{"/api/v1/aid/pairings?limit=100000", "limit"},
			{"/api/v1/aid/pairings?offset=-5", "offset"},
			{"/api/v1/aid/cadres?limit=-1", "limit"},
			{"/api/v1/aid/cadres?limit=100000", "limit"},
			{"/api/v1/aid/cadres?offset=-5", "offset"},
			{"/api/v1/aid/visits?limit=-1", "limit"},
			{"/api/v1/aid/visits?limit=100000", "limit"},
			{"/api/v1/aid/visits?offset=-5", "offset"},
			{"/api/v1/aid/visits?to=2025-13-40", "to"},
			{"/api/v1/aid/visits?to=yesterday", "to"},
			{"/api/v1/aid/visits?from=2025-02-30", "from"},
			{"/api/v1/aid/visits?from=2025-06-01&to=2025-05-01", "to"},
			{"/api/v1/aid/checkins?month=2025-13", "month"},
			{"/api/v1/aid/checkins?month=abc", "month"},
			{"/api/v1/aid/leaves?month=2025-1", "month"},
			{"/api/v1/aid/attendance?month=13-2025", "month"},
		} {
			status, body := call(t, srv, "GET", tc.url, "")
			if status != 400 || lookup(body, "error.fields."+tc.field) == nil {
				t.Errorf("GET %s = %d %v, want 400 naming %s", tc.url, status, body, tc.field)
			}
		}
		for _, url := range []string{"/api/v1/aid/pairings?limit=500&offset=0", "/api/v1/aid/visits?from=2025-01-01&to=2025-12-31&limit=1",
			"/api/v1/aid/checkins?month=2025-06", "/api/v1/aid/leaves", "/api/v1/aid/attendance?month=2025-06", "/api/v1/aid/cadres?limit=500"} {
			if status, body := call(t, srv, "GET", url, ""); status != 200 {
				t.Errorf("GET %s = %d %v, want 200", url, status, body)
			}
		}
	})
}
