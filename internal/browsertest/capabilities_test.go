package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// TestConsoleCapabilities: the console shows the buttons the caller's
// capabilities (from /api/v1/me) allow. The township office plans
// rotations and approves leave; a village cadre sees the same rotation
// without 制定轮换计划, confirmations or 添加事项, and edits no policy.
func TestConsoleCapabilities(t *testing.T) {
	c := newConsole(t, 1366, 900)
	c.loadAid()
	rots, err := c.db.ListRotations(context.Background(), sysActor, demo.TownshipCode, "planned")
	if err != nil || len(rots) != 1 {
		t.Fatalf("%d planned rotations (%v)", len(rots), err)
	}
	rot, err := c.db.Rotation(context.Background(), sysActor, rots[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.db.ListHouseholds(context.Background(), sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no household: %v", err)
	}
	village := page.Items[0].VillageCode
	c.addUser("cunwei", "村委会", auth.RoleVillage, village)
	buttons := func() map[string]bool {
		c.do(chromedp.Navigate(c.url + "/#/aid/rotations"))
		c.waitFor("the rotation list", `document.querySelector('[data-testid=rotation-table] tbody a')`)
		out := map[string]bool{"rotation-new": eval[bool](c, `!!document.querySelector('[data-testid=rotation-new]')`)}
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/rotations/%d", c.url, rot.ID)))
		c.waitFor("the rotation", `document.querySelectorAll('[data-testid=rotation-items] tbody tr').length > 0`)
		for _, id := range []string{"entry-new", "confirm-office", "rotation-cancel"} {
			out[id] = eval[bool](c, fmt.Sprintf(`!!document.querySelector('[data-testid=%s]')`, id))
		}
		c.do(chromedp.Navigate(c.url + "/#/policy"))
		c.waitFor("the parameters", `document.querySelectorAll('[data-testid=policy-table] tbody tr').length > 0`)
		out["policy-edit"] = eval[bool](c, `!!document.querySelector('[data-testid^=policy-edit-]')`)
		return out
	}

	c.signIn()
	township := buttons()
	for _, id := range []string{"rotation-new", "entry-new", "confirm-office", "rotation-cancel"} {
		if !township[id] {
			t.Errorf("the township office does not see %s", id)
		}
	}
	if township["policy-edit"] {
		t.Error("the township office sees 修改 on 政策参数 (only 系统管理员 may)")
	}
	c.signOut()
	c.signInAs("cunwei")
	for id, shown := range buttons() {
		if shown {
			t.Errorf("a village cadre sees %s, which the server refuses them", id)
		}
	}
	c.shot("capabilities-village-rotation")
}
