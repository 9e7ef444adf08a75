package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestAsOfAccessMatrix: every role reads households and the dashboard as of
// a date inside and outside its area. A household answers where it was on
// that date (one moved out of the caller's village since is still the
// caller's as of before the move; one registered since is not found, with a
// message saying when its history starts), masked like a live read; the
// dashboard counts only the caller's villages; future and missing dates are
// refused naming the field.
func TestAsOfAccessMatrix(t *testing.T) {
	for _, rc := range matrixRoles {
		t.Run(string(rc.role), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				now := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
				db.Now = func() time.Time { return now }
				srv := newServer(t, db)
				sys, bg := fupin.SystemActor("测试"), context.Background()
				outside := outsideVillage(t)
				create := func(village string, seq int) *fupin.Household {
					t.Helper()
					h := &fupin.Household{VillageCode: village, Type: "ex_poor", PovertyAttr: "general", Phone: "13987654321",
						Members: []fupin.Member{{Name: "冉光荣", IDNumber: id("512226", "19600101", seq), Relation: "head", MedicalInsurance: "resident"}}}
					out, err := db.CreateHousehold(bg, sys, h)
					if err != nil {
						t.Fatal(err)
					}
					return out
				}
				in, out, moved := create(rc.village, 801), create(outside, 802), create(rc.village, 803)
				now = time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC)
				for _, c := range []struct {
					h      *fupin.Household
					change func(*fupin.Household)
				}{
					{in, func(h *fupin.Household) { h.Address = "新址 1 号" }},
					{moved, func(h *fupin.Household) { h.VillageCode = outside }},
				} {
					h := *c.h
					h.Members = nil
					c.change(&h)
					if _, err := db.UpdateHousehold(bg, sys, &h); err != nil {
						t.Fatal(err)
					}
				}
				later := create(rc.village, 804)
				now = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
				me := &client{t: t, srv: srv, token: newToken(t, db, "asof-"+string(rc.role), string(rc.role), rc.area)}
				admin := rc.role == auth.RoleAdmin
				const d = "2026-03-02"

				asOf := func(h *fupin.Household, date string) (int, map[string]any) {
					return me.do("GET", fmt.Sprintf("/api/v1/households/%d/as-of?date=%s", h.ID, date), "")
				}
				st, body := asOf(in, d)
				if st != 200 || lookup(body, "household.address") != "" || lookup(body, "as_of.date") != d ||
					lookup(body, "as_of.predates_history") != false || lookup(body, "as_of.changed") != float64(1) {
					t.Errorf("%s in as of %s = %d %v", rc.role, d, st, body)
				} else {
					got, _ := lookup(body, "household.members.0.id_number").(string)
					phone, _ := lookup(body, "household.phone").(string)
					if full := got == id("512226", "19600101", 801); full != rc.role.SeesIdentity() {
						t.Errorf("%s as-of ID number %q (sees identity %v)", rc.role, got, rc.role.SeesIdentity())
					}
					if rc.role.SeesIdentity() == strings.Contains(phone, "*") {
						t.Errorf("%s as-of phone %q", rc.role, phone)
					}
				}
				if st, body := asOf(in, "2026-03-06"); st != 200 || lookup(body, "household.address") != "新址 1 号" {
					t.Errorf("%s in after the edit = %d %v", rc.role, st, body)
				}
				wantOut := map[bool]int{true: 200, false: 404}[admin]
				if st, body := asOf(out, d); st != wantOut {
					t.Errorf("%s outside household as of %s = %d %v, want %d", rc.role, d, st, body, wantOut)
				}
				// Moved out of the caller's village on 3 March: still the caller's on 2 March.
				if st, body := asOf(moved, d); st != 200 || lookup(body, "household.village_code") != rc.village {
					t.Errorf("%s moved household as of %s = %d %v", rc.role, d, st, body)
				}
				if st, body := asOf(moved, "2026-03-06"); st != wantOut {
					t.Errorf("%s moved household after the move = %d %v, want %d", rc.role, st, body, wantOut)
				}
				if st, body := asOf(later, d); st != 404 || !strings.Contains(fmt.Sprint(lookup(body, "error.message")), "才登记") ||
					lookup(body, "error.fields.date") == nil {
					t.Errorf("%s household registered later = %d %v", rc.role, st, body)
				}
				if st, body := asOf(in, "2099-01-01"); st != 400 || lookup(body, "error.fields.date") == nil {
					t.Errorf("%s future date = %d %v", rc.role, st, body)
				}
				if st, body := me.do("GET", fmt.Sprintf("/api/v1/households/%d/as-of", in.ID), ""); st != 400 || lookup(body, "error.fields.date") == nil {
					t.Errorf("%s no date = %d %v", rc.role, st, body)
				}

				dash := func(area, date string) (int, map[string]any) {
					return me.do("GET", "/api/v1/dashboard/as-of?area="+area+"&year=2025&date="+date, "")
				}
				if st, body := dash(rc.village, d); st != 200 || lookup(body, "dashboard.total.households") != float64(2) ||
					lookup(body, "as_of.predates_history") != false {
					t.Errorf("%s village as of %s = %d %v, want 2 households", rc.role, d, st, body)
				}
				if st, body := dash(rc.village, "2026-03-06"); st != 200 || lookup(body, "dashboard.total.households") != float64(2) {
					t.Errorf("%s village after the move = %d %v, want 2 (in, later)", rc.role, st, body)
				}
				wantOutside := map[bool]float64{true: 1, false: 0}[admin]
				if st, body := dash(outside, d); st != 200 || lookup(body, "dashboard.total.households") != wantOutside {
					t.Errorf("%s outside village as of %s = %d %v, want %v", rc.role, d, st, body, wantOutside)
				}
				if st, body := dash(rc.village, "2026-02-01"); st != 200 || lookup(body, "as_of.predates_history") != true ||
					!strings.Contains(fmt.Sprint(lookup(body, "as_of.note")), "早于") || lookup(body, "dashboard.total.households") != float64(0) {
					t.Errorf("%s village before its history = %d %v", rc.role, st, body)
				}
				if st, body := dash(rc.village, "2099-01-01"); st != 400 || lookup(body, "error.fields.date") == nil {
					t.Errorf("%s dashboard future date = %d %v", rc.role, st, body)
				}
			})
		})
	}
}
