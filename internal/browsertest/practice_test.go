package browsertest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/practice"
	"fupin/internal/sqlstore"
)

// TestConsolePractices presses every write button of the 典型案例 pages and
// checks the server after each: the township office proposes a case from
// the list and one from a closed finding's page (filled from the finding),
// attaches a document and edits the case; the list finds it by pinyin
// initials; the county office publishes one and withdraws it. The
// township office is not offered 审核入库.
func TestConsolePractices(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	c.addUser("xian", "县乡村振兴局", auth.RoleCounty, "500236")
	c.loadLedgerDemo()
	closed, err := c.db.Findings(ctx, sysActor, sqlstore.FindingFilter{Area: demo.TownshipCode, Status: "closed", Limit: 1})
	if err != nil || len(closed.Items) == 0 {
		t.Fatalf("no closed finding in the demo ledger: %v", err)
	}
	finding := closed.Items[0]
	c.signIn()
	cases := func() []practice.Practice {
		t.Helper()
		page, err := c.db.ListPractices(ctx, sysActor, sqlstore.PracticeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return page.Items
	}
	var typed practice.Practice
	t.Run("推荐案例", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/practices?area=" + demo.TownshipCode))
		c.click("practice-new")
		c.waitFor("the form", `!!document.querySelector('[data-testid=practice-title]')`)
		c.typeInto("practice-title", "光伏扶贫电站收益分配")
		c.click("practice-theme-industry")
		c.click("practice-theme-assets")
		c.typeInto("practice-problem", "村集体经济薄弱，无稳定收入")
		c.typeInto("practice-actions", "建设村级光伏电站，收益按公益岗位和劳动分配")
		c.typeInto("practice-results", "村集体年增收 12 万元")
		c.click("figure-add")
		c.typeInto("figure-label-0", "受益户数")
		c.typeNumber("figure-value-0", "86")
		c.typeInto("figure-unit-0", "户")
		c.click("practice-save")
		c.waitFor("the case page", `/#\/practices\/\d+$/.test(location.hash) && !!document.querySelector('[data-testid=practice-heading]')`)
		eventually(t, func() string {
			got := cases()
			if len(got) != 1 || got[0].Title != "光伏扶贫电站收益分配" || got[0].Status != practice.StatusProposed || len(got[0].Themes) != 2 ||
				len(got[0].Figures) != 1 || got[0].Figures[0].Value != 86 || got[0].CreatedBy != "pingan" || got[0].AreaCode != demo.TownshipCode {
				return fmt.Sprintf("cases after 推荐: %+v", got)
			}
			typed = got[0]
			return ""
		})
		if eval[bool](c, `!!document.querySelector('[data-testid=practice-publish]')`) {
			t.Error("the township office is offered 审核入库, which the server refuses")
		}
	})

	t.Run("上传材料并修改", func(t *testing.T) {
		photo := filepath.Join(t.TempDir(), "电站.png")
		writePNG(t, photo)
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=practice-file]`), []string{photo}))
		eventually(t, func() string {
			p, err := c.db.Practice(ctx, sysActor, typed.ID)
			if err != nil || len(p.Documents) != 1 || p.Documents[0].FileName != "电站.png" {
				return fmt.Sprintf("documents after 上传: %+v, %v", p, err)
			}
			return ""
		})
		c.waitFor("the document on the page", `document.querySelector('[data-testid=practice-documents]')?.innerText.includes('电站.png')`)
		c.click("practice-edit")
		c.waitFor("the form with the case", `document.querySelector('input[data-testid=practice-title],[data-testid=practice-title] input')?.value === '光伏扶贫电站收益分配'`)
		c.typeInto("practice-title", "光伏扶贫电站收益二次分配")
		c.click("practice-save")
		c.waitFor("the case page", `document.querySelector('[data-testid=practice-heading]')?.innerText === '光伏扶贫电站收益二次分配'`)
		p, err := c.db.Practice(ctx, sysActor, typed.ID)
		if err != nil || p.Title != "光伏扶贫电站收益二次分配" || p.Initials != "GFFPDZSYECFP" || p.Results != "村集体年增收 12 万元" || len(p.Documents) != 1 {
			t.Fatalf("case after 修改: %+v, %v", p, err)
		}
	})

	t.Run("由已销号问题推荐", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/ledger/findings/%d", c.url, finding.ID)))
		c.click("propose-practice")
		c.waitFor("the draft from the finding", `document.querySelector('[data-testid=practice-from]')?.innerText.includes('整改问题') && document.querySelector('input[data-testid=practice-title],[data-testid=practice-title] input').value.endsWith('的整改经验')`)
		c.click("practice-save")
		c.waitFor("the case page", `document.querySelector('[data-testid=practice-source]')?.innerText.includes('整改问题')`)
		got := cases()
		if len(got) != 2 || got[0].Source != "finding" || got[0].SourceID != finding.ID || got[0].Problem != finding.Description ||
			len(got[0].Figures) != 2 || got[0].Figures[0].SourceID != finding.ID || got[0].Figures[0].Value != float64(finding.Households) {
			t.Fatalf("case from the finding: %+v", got)
		}
	})

	t.Run("检索拼音首字母", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/practices?q=gffp&area=" + demo.TownshipCode))
		c.waitFor("one row", `document.querySelectorAll('[data-testid=practice-table] tbody tr').length === 1`)
		if got := c.text(`[data-testid=practice-table] tbody`); got == "" || !strings.Contains(got, "光伏扶贫电站收益二次分配") {
			t.Errorf("search by initials shows %q", got)
		}
	})

	t.Run("审核入库并撤回", func(t *testing.T) {
		c.signOut()
		c.signInAs("xian")
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/practices/%d", c.url, typed.ID)))
		c.click("practice-publish")
		eventually(t, func() string {
			p, err := c.db.Practice(ctx, sysActor, typed.ID)
			if err != nil || p.Status != practice.StatusPublished || p.PublishedBy != "xian" || p.PublishedAt == nil {
				return fmt.Sprintf("case after 审核入库: %+v, %v", p, err)
			}
			return ""
		})
		c.waitFor("the status", `document.querySelector('[data-testid=practice-status]')?.innerText === '已入库'`)
		c.shot("practice")
		c.click("practice-withdraw")
		c.confirmBox()
		eventually(t, func() string {
			p, err := c.db.Practice(ctx, sysActor, typed.ID)
			if err != nil || p.Status != practice.StatusWithdrawn {
				return fmt.Sprintf("case after 撤回: %+v, %v", p, err)
			}
			return ""
		})
		c.waitFor("no edit button once withdrawn", `document.querySelector('[data-testid=practice-status]')?.innerText === '已撤回' && !document.querySelector('[data-testid=practice-edit]')`)
	})
}
