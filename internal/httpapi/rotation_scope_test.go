package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// A township rotation hands over the first secretaries of 天台村 and 茨竹村 and their paired
// households. Users whose area covers the township see it whole; a village user and an aid
// unit see their own village's item and entries, and only counts of the others, in the list,
// the detail and the printed handover sheet.
func TestRotationScopedToCallersVillage(t *testing.T) {
	const tiantai, cizhu = "500236266200", "500236266208"
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		names := map[string][]string{} // village → what only its item and entries show
		var items []string
		for i, v := range []string{tiantai, cizhu} {
			out := fmt.Sprintf("离任%s", v[9:])
			in := fmt.Sprintf("接任%s", v[9:])
			var cadres []int
			for k, name := range []string{out, in} {
				cadres = append(cadres, idOf(mustDo(t, admin, 201, "POST", "/api/v1/aid/cadres",
					fmt.Sprintf(`{"name":%q,"id_number":%q,"phone":"13900001111","area_code":"500236266"}`, name, id("500103", "19800101", 10*i+k+1)))))
			}
			mustDo(t, admin, 201, "POST", "/api/v1/aid/postings", fmt.Sprintf(`{"cadre_id":%d,"role":"first_secretary","area_code":%q,"started_on":"2024-01-01"}`, cadres[0], v))
			h := idOf(mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 50+i), id("512226", "19620202", 50+i), v)))
			mustDo(t, admin, 200, "PUT", fmt.Sprintf("/api/v1/households/%d/helper", h), fmt.Sprintf(`{"cadre_id":%d}`, cadres[0]))
			items = append(items, fmt.Sprintf(`{"posting_id":%d,"incoming_cadre_id":%d}`, postingOf(t, admin, cadres[0]), cadres[1]))
			names[v] = []string{out, in, map[string]string{tiantai: "天台村", cizhu: "茨竹村"}[v]}
		}
		rot := idOf(mustDo(t, admin, 201, "POST", "/api/v1/aid/rotations",
			fmt.Sprintf(`{"area_code":"500236266","title":"第一书记轮换","items":[%s]}`, strings.Join(items, ","))))
		for _, tc := range []struct {
			role         auth.Role
			area         string
			own          string // the village whose entries it sees; "" = all
			hiddenItems  int
			hiddenEntrys int
		}{
			{auth.RoleTownship, "500236266", "", 0, 0},
			{auth.RoleCounty, "500236", "", 0, 0},
			{auth.RoleInspector, "500236266", "", 0, 0},
			{auth.RoleVillage, tiantai, tiantai, 1, 2},
			{auth.RoleAidUnit, cizhu, cizhu, 1, 2},
		} {
			t.Run(string(tc.role), func(t *testing.T) {
				me := &client{t: t, srv: srv, token: newToken(t, db, "scope-"+string(tc.role), string(tc.role), tc.area)}
				detail := mustDo(t, me, 200, "GET", fmt.Sprintf("/api/v1/aid/rotations/%d", rot), "")
				list := mustDo(t, me, 200, "GET", "/api/v1/aid/rotations", "")
				sheet := sheetText(t, me, fmt.Sprintf("/api/v1/aid/rotations/%d/sheet", rot))
				for what, text := range map[string]string{"detail": fmt.Sprint(detail), "list": fmt.Sprint(list), "sheet": sheet} {
					for _, v := range []string{tiantai, cizhu} {
						for _, name := range names[v] {
							shown := strings.Contains(text, name)
							if want := tc.own == "" || v == tc.own; shown != want {
								t.Errorf("%s %s shows %s: %v, want %v", tc.role, what, name, shown, want)
							}
						}
					}
				}
				if got := len(detail["items"].([]any)); got != 2-tc.hiddenItems || detail["hidden_items"] != float64(tc.hiddenItems) ||
					detail["hidden_entries"] != float64(tc.hiddenEntrys) {
					t.Errorf("%s: %d items, hidden %v items and %v entries", tc.role, got, detail["hidden_items"], detail["hidden_entries"])
				}
				if tc.own != "" && !strings.Contains(sheet, "另有 1 个岗位在您的管辖区域以外") {
					t.Errorf("%s sheet does not say that a posting is left out:\n%s", tc.role, sheet)
				}
			})
		}
	})
}

// sheetText downloads an .xlsx and returns its cells, one row a line.
func sheetText(t *testing.T, c *client, path string) string {
	t.Helper()
	body := get(t, c.srv, c.token, path)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
	}
	return b.String()
}
