package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/aid"
	"fupin/internal/demo"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestConsoleMonitorApplication is 自主申报 end to end: without signing in,
// the public page of the demo township takes an application and shows a
// receipt; the township office signs in, finds it in its queue by the
// receipt, matches it to the household and accepts it, and lands on the
// new case (自主申报, 入户核查); a second application is declined with a
// reason. The server's state is checked after each step.
func TestConsoleMonitorApplication(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	spare := c.spareHouseholds(nil)
	h := spare[0]
	village := aid.AreaName(h.VillageCode)
	appOf := func(receipt string) *sqlstore.MonitorApplication {
		t.Helper()
		page, err := c.db.MonitorApplications(ctx, sysActor, sqlstore.ApplicationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for i := range page.Items {
			if page.Items[i].Receipt == receipt {
				return &page.Items[i]
			}
		}
		return nil
	}
	var receipt string

	t.Run("群众提交申报（无需登录）", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/apply?town=" + demo.TownshipCode))
		c.waitFor("the public page", `document.querySelector('[data-testid=apply-village]') && !document.querySelector('[data-testid=user]')`)
		c.pickFirst("apply-village", village)
		c.typeInto("apply-name", h.HeadName)
		c.typeInto("apply-phone", "13800001234")
		c.typeInto("apply-content", "户主突发脑梗住院，自付医药费 4 万元")
		c.click("apply-submit")
		c.waitFor("the receipt", `document.querySelector('[data-testid=apply-receipt]')?.innerText.startsWith('SB-')`)
		receipt = strings.TrimSpace(c.text(`[data-testid=apply-receipt]`))
		c.shot("monitor-apply")
		a := appOf(receipt)
		if a == nil || a.VillageCode != h.VillageCode || a.Name != h.HeadName || a.Outcome != "" {
			t.Fatalf("application %s on the server: %+v", receipt, a)
		}
	})

	t.Run("乡镇受理并立案", func(t *testing.T) {
		if receipt == "" {
			t.Skip("no application submitted")
		}
		c.signIn()
		c.visit("/#/monitor/applications")
		c.clickInRow("application-table", receipt, "application-decide")
		c.pickRemote("decide-household", h.HeadName, h.HeadName)
		_, label := categoryOf(h)
		c.pickFirst("decide-category", label)
		c.pickFirst("decide-risks", "因病")
		c.click("decide-save")
		c.waitFor("the new case page", `location.hash.startsWith('#/monitor/cases/') && document.querySelector('[data-testid=case-stage]')?.innerText === '入户核查'`)
		eventually(t, func() string {
			a := appOf(receipt)
			if a == nil || a.Outcome != "accept" || a.CaseID == nil {
				return fmt.Sprintf("application %s: %+v", receipt, a)
			}
			if cs := c.caseOf(*a.CaseID); cs.Path != "self_report" || cs.Stage != monitor.StageHomeCheck || cs.HouseholdID != h.ID {
				return fmt.Sprintf("case from the application: %+v", cs)
			}
			return ""
		})
	})

	t.Run("代为申报（上传承诺授权书）", func(t *testing.T) {
		h2 := spare[1]
		file := filepath.Join(t.TempDir(), "承诺授权书.pdf")
		if err := os.WriteFile(file, []byte("%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		c.visit("/#/monitor/applications")
		c.click("record-open")
		c.pickRemote("record-household", h2.HeadName, h2.HeadName)
		c.typeInto("record-phone", "13700003333")
		c.typeInto("record-content", "因灾房屋受损，申请纳入监测")
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=record-file]`), []string{file}))
		c.click("record-save")
		c.closed("the record dialog")
		eventually(t, func() string {
			page, err := c.db.MonitorApplications(ctx, sysActor, sqlstore.ApplicationFilter{Open: true, Limit: 500})
			if err != nil {
				return err.Error()
			}
			for _, a := range page.Items {
				if a.HouseholdID != nil && *a.HouseholdID == h2.ID && a.Authorization && a.RecordedBy != "" && strings.Contains(a.Content, "因灾") {
					return ""
				}
			}
			return fmt.Sprintf("no recorded application for household %d in %+v", h2.ID, page.Items)
		})
		c.waitFor("the authorization link", `document.querySelector('[data-testid=application-authorization]')`)
	})

	t.Run("不受理", func(t *testing.T) {
		other, err := c.db.SubmitApplication(ctx, "192.0.2.7", "", monitor.Application{Village: h.VillageCode, Name: "申报人乙",
			Phone: "13900002222", Content: "孩子上学费用高"})
		if err != nil {
			t.Fatal(err)
		}
		c.visit("/#/monitor/applications")
		c.clickInRow("application-table", other, "application-decide")
		c.click("decide-decline")
		c.typeInto("decide-reason", "经入户了解，家庭务工收入稳定，已告知教育资助政策")
		c.click("decide-save")
		c.closed("the decide dialog")
		eventually(t, func() string {
			if a := appOf(other); a == nil || a.Outcome != "decline" || !strings.Contains(a.Reason, "务工收入稳定") {
				return fmt.Sprintf("application %s: %+v", other, a)
			}
			return ""
		})
		c.shot("monitor-applications")
	})
}
