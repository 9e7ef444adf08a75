package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// TestConsoleAsOf: a township user picks 截至日期 on a household's page and
// on the village's 总览 and sees the state of that day, marked historical,
// with the values the server's as-of reads give: the address before a later
// edit, and the household count before a later deletion.
func TestConsoleAsOf(t *testing.T) {
	c := newConsole(t, 1400, 1000)
	ctx := context.Background()
	first, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Sort: "id", Limit: 1})
	if err != nil || len(first.Items) == 0 {
		t.Fatal("no demo household", err)
	}
	village := first.Items[0].VillageCode
	page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: village, Sort: "id", Limit: 2})
	if err != nil || len(page.Items) < 2 {
		t.Fatal("village without two households", err)
	}
	day := fupin.DateOf(time.Now().In(china))
	// Two days later (the store's clock): an edit and a deletion.
	later := time.Now().Add(48 * time.Hour)
	c.db.Now = func() time.Time { return later }
	h, err := c.db.Household(ctx, sysActor, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	oldAddress := h.Address
	h.Address = "按日期回看测试新址 8 号"
	if h, err = c.db.UpdateHousehold(ctx, sysActor, h); err != nil {
		t.Fatal(err)
	}
	gone := page.Items[1]
	if err := c.db.DeleteHousehold(ctx, sysActor, gone.ID, gone.Version, "测试：迁出注销"); err != nil {
		t.Fatal(err)
	}
	c.db.Now = time.Now
	c.signIn()

	pick := func(date string) {
		t.Helper()
		c.click("as-of-date")
		c.do(chromedp.SendKeys(chromedp.CSS(`[data-testid=as-of-date] input, input[data-testid=as-of-date]`), date+"\r"))
		c.waitFor("the as-of banner", `document.querySelector('[data-testid=as-of-banner]')?.offsetParent`)
	}

	c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, h.ID)))
	c.waitFor("the live address", fmt.Sprintf(`document.querySelector('[data-testid=household-address]')?.innerText.trim() === %q`, h.Address))
	pick(day.String())
	want, err := c.db.HouseholdAsOf(ctx, sysActor, h.ID, day)
	if err != nil {
		t.Fatal(err)
	}
	shown := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	c.waitFor("the address as of "+day.String(), fmt.Sprintf(`document.querySelector('[data-testid=household-address]')?.innerText.trim() === %q`, shown(want.Household.Address)))
	if want.Household.Address != oldAddress || want.Household.Version != h.Version-1 {
		t.Errorf("server as of %s: address %q version %d; want %q and %d", day, want.Household.Address, want.Household.Version, oldAddress, h.Version-1)
	}
	if title := c.text(`[data-testid=as-of-title]`); !strings.Contains(title, "历史数据") || !strings.Contains(title, day.String()) {
		t.Errorf("banner title %q", title)
	}
	if eval[bool](c, `!!document.querySelector('[data-testid=edit]')`) {
		t.Error("the historical view offers 编辑")
	}
	c.shot("asof-household")

	c.do(chromedp.Navigate(c.url + "/#/dashboard?area=" + village))
	c.waitFor("the village dashboard", `document.querySelector('[data-testid=kpi-households] [data-testid=kpi-value]')`)
	live, err := c.db.Dashboard(ctx, sysActor, village, fupin.AssessmentYear(day))
	if err != nil {
		t.Fatal(err)
	}
	c.waitFor("the live count", fmt.Sprintf(`document.querySelector('[data-testid=kpi-households] [data-testid=kpi-value]')?.innerText.replaceAll(',', '').trim() === '%d'`, live.Total.Households))
	pick(day.String())
	then, err := c.db.DashboardAsOf(ctx, sysActor, village, fupin.AssessmentYear(day), day)
	if err != nil {
		t.Fatal(err)
	}
	c.waitFor("the count as of "+day.String(), fmt.Sprintf(`document.querySelector('[data-testid=kpi-households] [data-testid=kpi-value]')?.innerText.replaceAll(',', '').trim() === '%d'`, then.Dashboard.Total.Households))
	if then.Dashboard.Total.Households != live.Total.Households+1 {
		t.Errorf("server: %d households as of %s, %d now; want one more then (deleted since)", then.Dashboard.Total.Households, day, live.Total.Households)
	}
	if !strings.Contains(c.text(`[data-testid=as-of-note]`), "还原") {
		t.Errorf("as-of note %q", c.text(`[data-testid=as-of-note]`))
	}
	c.shot("asof-dashboard")
	c.click("as-of-clear")
	c.waitFor("the live count again", fmt.Sprintf(`!document.querySelector('[data-testid=as-of-banner]') && document.querySelector('[data-testid=kpi-households] [data-testid=kpi-value]')?.innerText.replaceAll(',', '').trim() === '%d'`, live.Total.Households))
}
