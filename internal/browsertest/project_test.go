package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// typeNumber sets the el-input-number marked data-testid=sel: the typed
// text counts once the input's change event fires (as on leaving it).
func (c *console) typeNumber(sel, text string) {
	c.t.Helper()
	c.typeInto(sel, text)
	c.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('[data-testid=%s] input, input[data-testid=%[1]s]').dispatchEvent(new Event('change'))`, sel)))
}

// TestConsoleProjectActions presses every write button of the 项目资金
// pages as a county user and checks the server after each: a project
// registered with a budget, approved, started, paid from its source, and
// accepted with an opinion; then its notice and the roll-up card show the
// server's figures. The township office is not offered 批复.
func TestConsoleProjectActions(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	county := fupin.Actor{Name: "xian", Areas: []string{"500236"}}
	c.addUser("xian", "县乡村振兴局", auth.RoleCounty, "500236")
	c.signInAs("xian")
	load := func(id int64) *sqlstore.ProjectDetail {
		t.Helper()
		p, err := c.db.Project(ctx, county, id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	live, err := c.db.ListHouseholds(ctx, county, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil || len(live.Items) == 0 {
		t.Fatalf("households: %v", err)
	}
	beneficiary, err := c.db.Household(ctx, county, live.Items[0].ID)
	if err != nil || len(beneficiary.Members) == 0 {
		t.Fatalf("household: %v", err)
	}
	var id int64
	t.Run("登记项目", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/projects?area=" + demo.TownshipCode))
		c.click("project-new")
		c.settle()
		c.typeInto("project-name", "平安乡产业路硬化")
		c.pickRemote("project-household", beneficiary.HeadName, beneficiary.HeadName)
		c.click("project-household-add")
		c.waitFor("one household chosen", `document.querySelector('[data-testid=project-household-count]').innerText === '已选 1 户'`)
		c.typeNumber("budget-central", "100000")
		c.typeNumber("budget-east_west", "20000.5")
		c.click("project-save")
		c.closed("the project dialog")
		eventually(t, func() string {
			page, err := c.db.Projects(ctx, county, sqlstore.ProjectFilter{Area: demo.TownshipCode, Limit: 10})
			if err != nil {
				return err.Error()
			}
			if len(page.Items) != 1 || page.Items[0].Name != "平安乡产业路硬化" || page.Items[0].BudgetTotal != 120_000_50 ||
				page.Items[0].Status != project.StatusPlan || page.Items[0].CreatedBy != "xian" || page.Items[0].HouseholdCount != 1 {
				return fmt.Sprintf("projects after 登记: %+v", page.Items)
			}
			id = page.Items[0].ID
			return ""
		})
		c.waitFor("the project page", fmt.Sprintf(`location.hash.endsWith('/projects/%d') && !!document.querySelector('[data-testid=project-approve]')`, id))
	})

	step := func(t *testing.T, button, status string) {
		t.Helper()
		c.click(button)
		eventually(t, func() string {
			if p := load(id); p.Status != status {
				return fmt.Sprintf("status %s after %s, want %s", p.Status, button, status)
			}
			return ""
		})
		c.waitFor("the page's status "+status, fmt.Sprintf(`document.querySelector('[data-testid=project-status]').innerText.trim() === %q`, project.Statuses.LabelOf(status)))
	}
	t.Run("批复和开工", func(t *testing.T) {
		step(t, "project-approve", project.StatusApproved)
		step(t, "project-start", project.StatusBuilding)
		if p := load(id); p.ApprovedBy != "xian" || p.StartedBy != "xian" || p.StartedAt == nil {
			t.Errorf("who/when not recorded: %+v", p.Project)
		}
	})

	t.Run("登记拨付", func(t *testing.T) {
		c.click("project-pay")
		c.settle()
		c.typeNumber("pay-amount", "40000")
		c.typeInto("pay-note", "第一批")
		c.click("pay-save")
		c.closed("the payment dialog")
		eventually(t, func() string {
			p := load(id)
			if p.Spent != 40_000_00 || len(p.Disbursements) != 1 || p.Disbursements[0].Source != "central" || p.Disbursements[0].Note != "第一批" {
				return fmt.Sprintf("after 登记拨付: spent %v, %+v", p.Spent, p.Disbursements)
			}
			return ""
		})
		c.waitFor("the paid total", `document.querySelector('[data-testid=project-spent]').innerText === '40,000.00'`)
	})

	t.Run("修改预算", func(t *testing.T) {
		// Below what was paid from the source: refused, nothing changes.
		c.click("project-edit")
		c.settle()
		c.typeNumber("edit-budget-central", "30000")
		c.click("edit-save")
		c.waitFor("the budget error", `[...document.querySelectorAll('.el-dialog .el-form-item__error')].some((e) => e.offsetParent && e.innerText.includes('已拨付'))`)
		if p := load(id); p.BudgetOf("central") != 100_000_00 {
			t.Fatalf("refused edit changed the budget: %+v", p.Budget)
		}
		c.typeNumber("edit-budget-central", "90000")
		c.typeInto("edit-name", "平安乡产业路硬化（变更）")
		c.click("edit-save")
		c.closed("the edit dialog")
		eventually(t, func() string {
			p := load(id)
			if p.Name != "平安乡产业路硬化（变更）" || p.BudgetOf("central") != 90_000_00 || p.BudgetTotal != 110_000_50 || p.HouseholdCount != 1 {
				return fmt.Sprintf("after 修改: %+v", p.Project)
			}
			return ""
		})
	})

	t.Run("验收和公告", func(t *testing.T) {
		c.click("project-accept")
		c.settle()
		c.typeInto("accept-opinion", "工程质量合格，同意验收")
		c.click("accept-save")
		c.closed("the acceptance dialog")
		eventually(t, func() string {
			if p := load(id); p.Status != project.StatusAccepted || p.AcceptOpinion != "工程质量合格，同意验收" || p.AcceptedBy != "xian" {
				return fmt.Sprintf("after 验收: %+v", p.Project)
			}
			return ""
		})
		c.click("project-notice")
		c.waitFor("the notice", `!!document.querySelector('[data-testid=notice-spent]')`)
		n, err := c.db.Notice(ctx, county, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.text("[data-testid=notice-spent]"); n.Stage != "after" || got != "40,000.00" {
			t.Errorf("notice shows %q spent (server stage %s, lines %+v)", got, n.Stage, n.Lines)
		}
		if got := c.text("[data-testid=notice-households]"); len(n.Households) != 1 || !strings.Contains(got, beneficiary.HeadName) || strings.Contains(got, beneficiary.Members[0].IDNumber) {
			t.Errorf("notice households %q (server %+v)", got, n.Households)
		}
		if got := c.text("[data-testid=notice-accept]"); !strings.Contains(got, "工程质量合格") {
			t.Errorf("notice acceptance %q", got)
		}
		c.shot("project-notice")
	})

	t.Run("汇总卡片", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/projects?area=" + demo.TownshipCode))
		c.waitFor("the roll-up", `!!document.querySelector('[data-testid=rollup-rate]')`)
		r, err := c.db.ProjectRollup(ctx, county, sqlstore.ProjectFilter{Area: demo.TownshipCode})
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%.1f%%", r.SpendRate*100)
		c.waitFor("the spend rate "+want, fmt.Sprintf(`document.querySelector('[data-testid=rollup-rate]').innerText === %q`, want))
		if got := c.text("[data-testid=rollup-projects]"); got != fmt.Sprint(r.Projects) {
			t.Errorf("card shows %s projects, server %d", got, r.Projects)
		}
		c.shot("project-list")
	})

	// The township office may register and pay but not approve.
	t.Run("乡镇不批复", func(t *testing.T) {
		p, err := c.db.CreateProject(ctx, county, "county", project.Project{Name: "文昌村饮水", Type: project.TypeInfrastructure, Subtype: "water",
			AreaCode: demo.TownshipCode, Year: 2025, PlannedEnd: fupin.NewDate(2026, 6, 30), Budget: []project.BudgetLine{{Source: "county", Amount: 1000_00}}})
		if err != nil {
			t.Fatal(err)
		}
		c.signOut()
		c.signIn()
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/projects/%d", c.url, p.ID)))
		c.waitFor("the project page", `!!document.querySelector('[data-testid=project-notice]')`)
		if eval[bool](c, `!!document.querySelector('[data-testid=project-approve]')`) {
			t.Error("the township office is offered 批复, which the server refuses")
		}
	})
}
