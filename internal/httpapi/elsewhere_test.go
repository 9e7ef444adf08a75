package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// TestRegisteredElsewhereTellsNothing: registering a person whose ID number
// is current in another county's household, or held by another county's
// cadre, is refused with only "registered elsewhere" (not which household,
// its number or its village), and the attempt is audited.
func TestRegisteredElsewhereTellsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		out := outsideVillage(t)
		taken, spouse := id("512226", "19600101", 11), id("512226", "19620202", 22)
		hh := strings.Replace(household(taken, spouse, out), `"village_code"`, `"household_no":"HN-OUT-77","village_code"`, 1)
		mustDo(t, admin, 201, "POST", "/api/v1/households", hh)
		cadreID := id("500103", "19800101", 5)
		mustDo(t, admin, 201, "POST", "/api/v1/aid/cadres", fmt.Sprintf(`{"name":"外县干部","id_number":%q,"area_code":%q}`, cadreID, out[:9]))
		town := &client{t: t, srv: srv, token: newToken(t, db, "平安乡", "township", "500236266")}

		s, body := town.do("POST", "/api/v1/households", household(taken, id("512226", "19630303", 33), "500236266200"))
		msg := fmt.Sprint(body)
		if s != 409 || lookup(body, "error.fields.members[0].id_number") != "此人已在系统其他地区登记" ||
			strings.Contains(msg, "HN-OUT-77") || strings.Contains(msg, "#1") || strings.Contains(msg, out) {
			t.Errorf("household with another county's member = %d %v", s, body)
		}
		s, body = town.do("POST", "/api/v1/aid/cadres", fmt.Sprintf(`{"name":"重名","id_number":%q,"area_code":"500236266"}`, cadreID))
		if s != 409 || lookup(body, "error.fields.id_number") != "此人已在系统其他地区登记" {
			t.Errorf("cadre with another county's ID number = %d %v", s, body)
		}
		if n := auditActions(t, db)["person.elsewhere"]; n != 2 {
			t.Errorf("person.elsewhere audit rows = %d, want 2", n)
		}
		// Inside the caller's area the household is named, as before.
		mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19700101", 44), id("512226", "19720202", 55), "500236266200"))
		_, body = town.do("POST", "/api/v1/households", household(id("512226", "19700101", 44), id("512226", "19740404", 66), "500236266200"))
		if got := fmt.Sprint(lookup(body, "error.fields.members[0].id_number")); !strings.Contains(got, "农户 #") {
			t.Errorf("same-area duplicate = %v, want the household named", got)
		}
	})
}
