package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/aid"
	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// loadAid gives the console's township its aid forces (the demo's group,
// teams, helpers, visits and a rotation in progress) and then makes two
// ordinary households 监测户 without a helper, so the unpaired list is not
// empty. It returns the ids of those two households.
func (c *console) loadAid() []int64 {
	c.t.Helper()
	ctx, sys := context.Background(), fupin.SystemActor("测试")
	hs, err := c.db.ListHouseholdsNeedingHelper(ctx, demo.TownshipCode)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.db.LoadAid(ctx, sys, demo.GenerateAid(demo.Options{Households: 300, Seed: 3, Today: fupin.DateOf(time.Now())}, hs)); err != nil {
		c.t.Fatal(err)
	}
	page, err := c.db.ListHouseholds(ctx, sys, fupin.HouseholdFilter{Area: demo.TownshipCode, Type: "ordinary", Limit: 50})
	if err != nil {
		c.t.Fatal(err)
	}
	var ids []int64
	for _, h := range page.Items {
		if h.MonitorType != "" || len(ids) == 2 {
			continue
		}
		full, err := c.db.Household(ctx, sys, h.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		full.MonitorType, full.MonitorIdentifiedOn = "marginal", fupin.DateOf(time.Now())
		if _, err := c.db.UpdateHousehold(ctx, sys, full); err != nil {
			c.t.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	if len(ids) != 2 {
		c.t.Fatalf("found %d ordinary households to make unpaired, want 2", len(ids))
	}
	return ids
}

// TestConsoleAid walks the aid pages as the township office: the unpaired
// count equals the API's, the rotation in progress shows its steps and
// checklist, and a visit saved without a cadre says so beside the field.
func TestConsoleAid(t *testing.T) {
	c := newConsole(t, 1366, 768)
	unpairedIDs := c.loadAid()
	township := fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}
	c.signIn()

	t.Run("the unpaired households are counted and listed", func(t *testing.T) {
		report, err := c.db.Unpaired(context.Background(), township, demo.TownshipCode)
		if err != nil {
			t.Fatal(err)
		}
		if report.Total < 2 {
			t.Fatalf("the API reports %d unpaired households, want at least the 2 made", report.Total)
		}
		c.do(chromedp.Navigate(c.url + "/#/aid/pairings"))
		c.waitFor("the unpaired count", fmt.Sprintf(`document.querySelector('[data-testid=unpaired-count]')?.innerText === '%d'`, report.Total))
		c.waitFor("the unpaired list", fmt.Sprintf(`document.querySelectorAll('[data-testid=unpaired-table] tbody tr').length === %d`, len(report.Items)))
		if n := eval[int](c, `document.querySelectorAll('[data-testid=assign-helper]').length`); n != len(report.Items) {
			t.Errorf("%d 指定帮扶人 buttons for %d unpaired households", n, len(report.Items))
		}
		c.checkCJK(`[data-testid=unpaired] .big`)
		c.shot("aid-1-unpaired")
	})

	t.Run("the rotation in progress shows its steps and checklist", func(t *testing.T) {
		rotations, err := c.db.ListRotations(context.Background(), township, demo.TownshipCode, "planned")
		if err != nil {
			t.Fatal(err)
		}
		if len(rotations) != 1 {
			t.Fatalf("%d rotations in progress, want the demo's 1", len(rotations))
		}
		rot, err := c.db.Rotation(context.Background(), township, rotations[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		c.do(chromedp.Navigate(c.url + "/#/aid/rotations"))
		c.waitFor("the rotation list", `document.querySelector('[data-testid=rotation-table] tbody a')`)
		// Follow the title's link (the table settles its layout after the first paint).
		href := eval[string](c, `document.querySelector('[data-testid=rotation-table] tbody a').href`)
		if want := fmt.Sprintf("/#/aid/rotations/%d", rot.ID); !strings.HasSuffix(href, want) {
			t.Errorf("the rotation links to %s, want …%s", href, want)
		}
		c.do(chromedp.Navigate(href))
		c.waitFor("the steps", `document.querySelectorAll('[data-testid=rotation-steps] .el-step').length === 4`)
		c.waitFor("the checklist", fmt.Sprintf(`document.querySelectorAll('[data-testid=handover-entries] tbody tr').length === %d`, len(rot.Entries)))
		if got := c.text(`[data-testid=rotation-title]`); got != rot.Title {
			t.Errorf("title %q, want %q", got, rot.Title)
		}
		if n := eval[int](c, `document.querySelectorAll('[data-testid=rotation-items] tbody tr').length`); n != len(rot.Items) {
			t.Errorf("%d postings shown, the rotation has %d", n, len(rot.Items))
		}
		if !rot.Ready && !eval[bool](c, `document.querySelector('[data-testid=rotation-complete]').disabled`) {
			t.Error("完成交接 is enabled before every party has confirmed")
		}
		if body := c.text(`[data-testid=handover-entries]`); !strings.Contains(body, "岗位") || !strings.Contains(body, "结对农户") {
			t.Errorf("the checklist lacks the generated postings and households: %.200s", body)
		}
		c.shot("aid-2-rotation")
	})

	t.Run("a visit without a cadre shows the error beside the field", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/visits?household_id=%d", c.url, unpairedIDs[0])))
		c.waitFor("the visit list", `document.querySelector('[data-testid=visit-table]') && !document.querySelector('.el-loading-mask')`)
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=visit-new]`)))
		// The household comes from the filter; it has no helper, so no cadre is filled in.
		c.waitFor("the household in the form", `(document.querySelector('[data-testid=visit-dialog] [data-testid=visit-household]')?.innerText ?? '').trim() !== ''`)
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=visit-save]`)))
		c.waitFor("the field error", `document.querySelector('[data-testid=visit-cadre]')?.closest('.el-form-item')?.querySelector('.el-form-item__error')`)
		msg := eval[string](c, `document.querySelector('[data-testid=visit-cadre]').closest('.el-form-item').querySelector('.el-form-item__error').innerText`)
		if !strings.Contains(msg, "走访干部") {
			t.Errorf("error beside the cadre field = %q, want 请选择走访干部", msg)
		}
		c.checkCJK(`[data-testid=visit-dialog] .el-form-item__error`)
		c.shot("aid-3-visit-error")
	})
}

// TestConsoleNeverVisited: a household never visited says 从未走访 (with
// the day its pairing began, or 尚未结对) in 超期未走访, not "0 天".
func TestConsoleNeverVisited(t *testing.T) {
	c := newConsole(t, 1366, 900)
	unpairedIDs := c.loadAid()
	ctx := context.Background()
	// A third household paired long ago and never visited since.
	cadres, err := c.db.ListCadres(ctx, sysActor, aid.CadreFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil || len(cadres.Items) == 0 {
		t.Fatalf("cadres: %v", err)
	}
	paired := unpairedIDs[1]
	since := fupin.DateOf(todayCST().Time().AddDate(0, 0, -200))
	if _, err := c.db.PairHousehold(ctx, sysActor, paired, aid.PairingChange{CadreID: cadres.Items[0].ID, StartedOn: since}); err != nil {
		t.Fatal(err)
	}
	pairedName := ""
	items, err := c.db.ListOverdueVisits(ctx, sysActor, demo.TownshipCode)
	if err != nil {
		t.Fatal(err)
	}
	var never []string
	for _, it := range items {
		if it.LastVisitOn.IsZero() && it.HouseholdID == unpairedIDs[0] {
			never = append(never, it.HeadName)
		}
		if it.HouseholdID == paired {
			pairedName = it.HeadName
		}
	}
	if len(never) == 0 {
		t.Fatalf("the households made unpaired are not among the %d overdue", len(items))
	}
	c.signIn()
	c.do(chromedp.Navigate(c.url + "/#/aid/visits?tab=overdue"))
	c.waitFor("the overdue list", `document.querySelectorAll('[data-testid=overdue-table] tbody tr').length > 0`)
	// The list is paged on the server; the pager and the tab's badge name the whole list's size.
	if got := c.text("[data-testid=overdue-pager] .el-pagination__total"); !strings.Contains(got, fmt.Sprintf("共 %d 条", len(items))) {
		t.Errorf("overdue pager says %q, the store has %d overdue", got, len(items))
	}
	for _, name := range never {
		row := eval[string](c, fmt.Sprintf(`[...document.querySelectorAll('[data-testid=overdue-table] tbody tr')].find((tr) => tr.innerText.includes(%q))?.innerText ?? ''`, name))
		if !strings.Contains(row, "从未走访（尚未结对）") || strings.Contains(row, "\n0 天") {
			t.Errorf("never-visited %s shows %q, want 从未走访（尚未结对）", name, row)
		}
	}
	if pairedName == "" {
		t.Fatal("the household paired 200 days ago and never visited is not overdue")
	}
	row := eval[string](c, fmt.Sprintf(`[...document.querySelectorAll('[data-testid=overdue-table] tbody tr')].find((tr) => tr.innerText.includes(%q))?.innerText ?? ''`, pairedName))
	if want := "从未走访（自 " + since.String() + " 结对起）"; !strings.Contains(row, want) {
		t.Errorf("never-visited %s, paired on %s, shows %q, want %s", pairedName, since, row, want)
	}
}
