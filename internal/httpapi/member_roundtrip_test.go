package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// Every kind of member change through the API — birth, marriage in, moving
// in, death, moving between households, marrying out into another
// household, leaving and re-joining, the head leaving, a new head — and
// then the registry's own export uploaded back changes nothing (it was
// rejected: 同一人…已在第 N 行出现).
func TestMemberChangesThenExportImportNoChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		c := &client{t: t, srv: srv, token: adminToken}
		today := time.Now().Format("2006-01-02")
		mk := func(seq int, village string) map[string]any {
			body := household(id("512226", "19600101", seq), id("512226", "19620202", seq+1), village)
			s, h := c.do("POST", "/api/v1/households", body)
			if s != 201 {
				t.Fatalf("create: %d %v", s, h)
			}
			return h
		}
		a, b := mk(10, "500236266208"), mk(20, "500236266208")
		hid := func(h map[string]any) int { return int(h["id"].(float64)) }
		ver := func(h map[string]any) float64 { return h["version"].(float64) }
		memberID := func(h map[string]any, idn string) int {
			for _, m := range h["members"].([]any) {
				mm := m.(map[string]any)
				if mm["id_number"] == idn && mm["left_on"] == nil {
					return int(mm["id"].(float64))
				}
			}
			t.Fatalf("no current member %s in %v", idn, h["members"])
			return 0
		}
		step := func(what, method, url, body string, want int) map[string]any {
			t.Helper()
			s, out := c.do(method, url, body)
			if s != want {
				t.Fatalf("%s: %d %v", what, s, out)
			}
			return out
		}
		add := func(h map[string]any, name, idn, relation, reason string) map[string]any {
			return step("add "+reason, "POST", fmt.Sprintf("/api/v1/households/%d/members", hid(h)),
				fmt.Sprintf(`{"version":%v,"member":{"name":%q,"id_number":%q,"relation":%q,"joined_on":%q,"join_reason":%q}}`,
					ver(h), name, idn, relation, today, reason), 201)
		}
		leave := func(h map[string]any, idn, reason string, newHead int) map[string]any {
			nh := ""
			if newHead != 0 {
				nh = fmt.Sprintf(`,"new_head_id":%d`, newHead)
			}
			return step("leave "+reason, "POST", fmt.Sprintf("/api/v1/households/%d/members/%d/leave", hid(h), memberID(h, idn)),
				fmt.Sprintf(`{"version":%v,"left_on":%q,"reason":%q%s}`, ver(h), today, reason, nh), 200)
		}
		born := time.Now().AddDate(0, -2, 0).Format("20060102")
		baby, bride, mover := id("500236", born, 31), id("512226", "19980303", 32), id("512226", "19900404", 33)
		a = add(a, "新生儿", baby, "son", "birth")
		b = add(b, "新媳妇", bride, "daughter_in_law", "marriage")
		a = add(a, "迁入者", mover, "other", "move_in")
		a = leave(a, id("512226", "19620202", 11), "death", 0)
		// 迁入者 moves from A to B.
		a = leave(a, mover, "move_out", 0)
		b = add(b, "迁入者", mover, "other", "move_in")
		// 新媳妇 marries out of B into A.
		b = leave(b, bride, "marriage", 0)
		a = add(a, "新媳妇", bride, "daughter_in_law", "marriage")
		// 新生儿 leaves A and re-joins it.
		a = leave(a, baby, "other", 0)
		a = add(a, "新生儿", baby, "son", "move_in")
		// B's head dies; the spouse becomes head.
		_ = leave(b, id("512226", "19600101", 20), "death", memberID(b, id("512226", "19620202", 21)))
		// A gets a new head by an edit.
		step("new head", "PUT", fmt.Sprintf("/api/v1/households/%d/members/%d", hid(a), memberID(a, bride)),
			fmt.Sprintf(`{"version":%v,"member":{"name":"新媳妇","id_number":%q,"relation":"head","joined_on":%q,"join_reason":"marriage"},"previous_head_relation":"father"}`,
				ver(a), bride, today), 200)

		full := get(t, srv, adminToken, "/api/v1/exports?area=500236266&format=csv")
		if strings.Count(full, bride) != 2 || strings.Count(full, mover) != 2 || strings.Count(full, baby) != 2 {
			t.Fatalf("export does not list the moved people once left and once current:\n%s", full)
		}
		job := waitJob(t, c, upload(t, srv, "台账.csv", full))
		if job["state"] != "done" || job["updated"] != float64(0) || job["written"] != float64(0) || job["unchanged"] != float64(2) {
			t.Fatalf("own export back in: %v", job)
		}
	})
}
