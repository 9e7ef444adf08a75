package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// TestConsoleProjectAssets registers an asset of an accepted project,
// edits it (once refused for a stale version after someone else changed it,
// then saved) and enters its yearly check from the 项目资产 page as a county
// user, checking the server's register after each, and the page's totals
// against it.
func TestConsoleProjectAssets(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	county := fupin.Actor{Name: "xian", Areas: []string{"500236"}}
	c.addUser("xian", "县乡村振兴局", auth.RoleCounty, "500236")
	village := demo.Villages()[0].Code
	p, err := c.db.CreateProject(ctx, county, "county", project.Project{Name: "村级光伏电站", Type: project.TypeIndustry, AreaCode: village,
		Year: 2025, PlannedEnd: fupin.NewDate(2025, 12, 31), Budget: []project.BudgetLine{{Source: "central", Amount: 300_000_00}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"approve", "start", "accept"} {
		if p, err = c.db.ActOnProject(ctx, county, "county", p.ID, sqlstore.ProjectAction{Kind: kind, Opinion: "合格", Version: p.Version}); err != nil {
			t.Fatal(err)
		}
	}
	c.signInAs("xian")
	register := func() *sqlstore.AssetRegister {
		t.Helper()
		r, err := c.db.Assets(ctx, county, demo.TownshipCode, 2025)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	c.do(chromedp.Navigate(c.url + "/#/project-assets?year=2025&area=" + demo.TownshipCode))
	c.waitFor("the register", `!!document.querySelector('[data-testid=asset-totals]')`)

	t.Run("登记资产", func(t *testing.T) {
		c.click("asset-new")
		c.settle()
		c.pick("asset-project", "村级光伏电站（"+demo.Villages()[0].Name+"）")
		c.typeInto("asset-name", "光伏电站")
		c.typeNumber("asset-value", "300000")
		c.typeInto("asset-operator", "股份经济合作社")
		c.click("asset-save")
		c.closed("the asset dialog")
		eventually(t, func() string {
			r := register()
			if len(r.Items) != 1 || r.Items[0].Name != "光伏电站" || r.Items[0].Village != village || r.Items[0].Value != 300_000_00 ||
				r.Items[0].ProjectID != p.ID || r.Items[0].CreatedBy != "xian" {
				return fmt.Sprintf("register after 登记: %+v", r.Items)
			}
			return ""
		})
	})

	t.Run("修改资产", func(t *testing.T) {
		before := register().Items[0]
		c.click(fmt.Sprintf("asset-edit-%d", before.ID))
		c.settle()
		c.waitFor("the edit dialog with the asset", `document.querySelector('[data-testid=asset-name] input, input[data-testid=asset-name]').value === '光伏电站'`)
		// Someone else changes the asset while the dialog is open: saving
		// what was read must be refused and change nothing.
		other := before.Asset
		other.Note = "他人修改"
		if _, err := c.db.UpdateAsset(ctx, county, "county", before.ID, other); err != nil {
			t.Fatal(err)
		}
		c.typeInto("asset-name", "村级光伏电站（一期）")
		c.typeNumber("asset-value", "320000")
		c.click("asset-status-idle")
		c.click("asset-save")
		c.waitFor("the stale-version message", `document.querySelector('.el-dialog .el-alert')?.innerText.includes('已被他人修改')`)
		if a := register().Items[0]; a.Name != "光伏电站" || a.Note != "他人修改" || a.Version != before.Version+1 {
			t.Fatalf("a stale save changed the asset: %+v", a)
		}
		c.do(chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('.el-dialog__footer .el-button')].find((b) => b.offsetParent && b.innerText.trim() === '取消').click()`))
		c.closed("the refused dialog")

		c.click(fmt.Sprintf("asset-edit-%d", before.ID))
		c.settle()
		c.waitFor("the edit dialog with the new version", fmt.Sprintf(`document.querySelector('[data-testid=asset-version]')?.innerText === '%d'`, before.Version+1))
		c.typeInto("asset-name", "村级光伏电站（一期）")
		c.typeNumber("asset-value", "320000")
		c.click("asset-status-idle")
		c.click("asset-save")
		c.closed("the edit dialog")
		eventually(t, func() string {
			a := register().Items[0]
			if a.Name != "村级光伏电站（一期）" || a.Value != 320_000_00 || a.Status != "idle" || a.Note != "他人修改" || a.Version != before.Version+2 ||
				a.ProjectID != p.ID || a.Village != village {
				return fmt.Sprintf("asset after 修改: %+v", a)
			}
			return ""
		})
		c.waitFor("the row's new name", `document.querySelector('[data-testid=asset-table]').innerText.includes('村级光伏电站（一期）')`)
	})

	t.Run("年度核查", func(t *testing.T) {
		id := register().Items[0].ID
		c.waitFor("the check button", fmt.Sprintf(`!!document.querySelector('[data-testid=asset-check-%d]')`, id))
		c.click(fmt.Sprintf("asset-check-%d", id))
		c.settle()
		c.typeNumber("check-income", "12000")
		c.typeNumber("check-shared", "8000")
		c.typeNumber("check-households", "30")
		c.click("check-save")
		c.closed("the check dialog")
		eventually(t, func() string {
			r := register()
			if r.Shared != 8000_00 || r.Income != 12000_00 || r.Unchecked != 0 || r.Items[0].Check.Households != 30 || r.Items[0].Check.CheckedBy != "xian" {
				return fmt.Sprintf("register after 核查: %+v", r)
			}
			return ""
		})
		c.waitFor("the page's totals", `document.querySelector('[data-testid=asset-shared]').innerText === '8,000.00' && document.querySelector('[data-testid=asset-unchecked]').innerText === '0'`)
		c.shot("project-assets")
	})
}
