package httpapi_test

import (
	"fmt"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// editBody is a household edit: the household with a new phone, and the
// spouse (memberID) renamed with idNumber.
func editBody(t *testing.T, h map[string]any, phone string, memberID int, idNumber string) string {
	t.Helper()
	return fmt.Sprintf(`{"household":{"village_code":%q,"household_type":"ex_poor","poverty_attr":"dibao","identified_on":"2015-04-01",
	 "exited_on":"2019-11-20","phone":%q,"version":%v},
	 "members":[{"id":%d,"member":{"name":"周桂兰","id_number":%q,"relation":"spouse","health":"chronic"}}]}`,
		h["village_code"], phone, h["version"], memberID, idNumber)
}

// TestHouseholdEditOneTransaction: the edit form's save changes the
// household and its members at once; when a member is wrong, nothing is
// saved (the household keeps its phone and version) and the error names the
// member's field as members[0].id_number.
func TestHouseholdEditOneTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		spouse := id("512226", "19620202", 502)
		h := mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 501), spouse, "500236266200"))
		hid := idOf(h)
		spouseID := int(lookup(h, "members.1.id").(float64))

		status, out := admin.do("PUT", fmt.Sprintf("/api/v1/households/%d/edit", hid), editBody(t, h, "13700001111", spouseID, "512226196202020000"))
		if status != 400 || lookup(out, "error.fields.members[0].id_number") == nil {
			t.Fatalf("bad member ID number = %d %v, want 400 naming members[0].id_number", status, out)
		}
		after := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/households/%d", hid), "")
		if after["phone"] != h["phone"] || after["version"] != h["version"] || lookup(after, "members.1.name") != "周桂英" {
			t.Errorf("after a refused edit: phone %v version %v spouse %v, want all unchanged (%v, %v, 周桂英)",
				after["phone"], after["version"], lookup(after, "members.1.name"), h["phone"], h["version"])
		}

		got := mustDo(t, admin, 200, "PUT", fmt.Sprintf("/api/v1/households/%d/edit", hid), editBody(t, h, "13700001111", spouseID, spouse))
		if got["phone"] != "13700001111" || lookup(got, "members.1.name") != "周桂兰" {
			t.Errorf("after the edit: phone %v, spouse %v", got["phone"], lookup(got, "members.1.name"))
		}
		status, out = admin.do("PUT", fmt.Sprintf("/api/v1/households/%d/edit", hid), editBody(t, h, "13700002222", spouseID, spouse))
		if status != 409 {
			t.Errorf("an edit of an old version = %d %v, want 409", status, out)
		}
		many := `{"household":{"village_code":"500236266200","household_type":"ordinary","version":1},"members":[` +
			repeatJoin(`{"member":{"name":"甲"}}`, sqlstore.MaxMemberEdits+1) + `]}`
		if status, out = admin.do("PUT", fmt.Sprintf("/api/v1/households/%d/edit", hid), many); status != 400 || lookup(out, "error.fields.members") == nil {
			t.Errorf("%d member changes = %d %v, want 400 naming members", sqlstore.MaxMemberEdits+1, status, out)
		}
	})
}

func repeatJoin(s string, n int) string {
	out := s
	for i := 1; i < n; i++ {
		out += "," + s
	}
	return out
}

// TestHouseholdEditRoles tries the edit as every role on a household inside
// its area and one in another county: writers inside save (200), readers
// get 403, and outside is not found (404) and unchanged.
func TestHouseholdEditRoles(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				srv := newServer(t, db)
				admin := &client{t: t, srv: srv, token: adminToken}
				me := &client{t: t, srv: srv, token: newToken(t, db, "matrix", string(rc.role), rc.area)}
				for k, village := range map[bool]string{true: rc.village, false: outsideVillage(t)} {
					inside := k
					spouse := id("512226", "19620202", 600)
					if !inside {
						spouse = id("512226", "19620202", 601)
					}
					seq := 610
					if !inside {
						seq = 611
					}
					h := mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", seq), spouse, village))
					spouseID := int(lookup(h, "members.1.id").(float64))
					want := 404
					switch {
					case !rc.role.CanWrite():
						want = 403
					case inside || rc.role == "admin":
						want = 200
					}
					status, out := me.do("PUT", fmt.Sprintf("/api/v1/households/%d/edit", idOf(h)), editBody(t, h, "13700001111", spouseID, spouse))
					if status != want {
						t.Errorf("inside=%v: %d %v, want %d", inside, status, out, want)
					}
					after := mustDo(t, admin, 200, "GET", fmt.Sprintf("/api/v1/households/%d", idOf(h)), "")
					if changed := after["phone"] == "13700001111"; changed != (want == 200) {
						t.Errorf("inside=%v: household changed = %v after %d", inside, changed, status)
					}
				}
			})
		})
	}
}
