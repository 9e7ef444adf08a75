package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/aid"
	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestConsoleAdminActions, as 系统管理员: a new 帮扶集团 and its member unit
// (created, then changed), an aid setting set and removed, and a policy
// parameter set and deleted; the store is read after each.
func TestConsoleAdminActions(t *testing.T) {
	c := newConsole(t, 1366, 900)
	c.loadAid()
	ctx := context.Background()
	c.addUser("root", "系统管理员", auth.RoleAdmin, "")
	c.signInAs("root")
	groups := func() []aid.Group {
		gs, err := c.db.ListAidGroups(ctx, sysActor, demo.TownshipCode)
		if err != nil {
			t.Fatal(err)
		}
		return gs
	}
	before := len(groups())

	var group aid.Group
	t.Run("新增和修改帮扶集团", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/aid/forces?tab=groups&area=" + demo.TownshipCode))
		c.click("group-new")
		c.typeInto("group-name", "测试帮扶集团")
		c.typeInto("group-lead", "测试牵头单位")
		c.click("group-save")
		c.closed("the group dialog")
		eventually(t, func() string {
			for _, g := range groups() {
				if g.Name == "测试帮扶集团" && g.LeadUnit == "测试牵头单位" {
					group = g
					return ""
				}
			}
			return fmt.Sprintf("no new group among %d (had %d)", len(groups()), before)
		})
		js := `[...document.querySelectorAll('.group')].find((g) => g.innerText.includes('测试帮扶集团'))`
		c.waitFor("the new group", js)
		c.do(chromedp.Evaluate[chromedp.Void](js + `.querySelector('[data-testid=group-edit]').click()`))
		c.waitFor("the loaded group", `document.querySelector('input[data-testid=group-name],[data-testid=group-name] input')?.value === '测试帮扶集团'`)
		c.typeInto("group-name", "测试帮扶集团（改）")
		c.click("group-save")
		c.closed("the group dialog")
		eventually(t, func() string {
			g, err := c.db.AidGroup(ctx, sysActor, group.ID)
			if err != nil || g.Name != "测试帮扶集团（改）" {
				return fmt.Sprintf("group after 修改: %+v, %v", g, err)
			}
			return ""
		})
	})

	t.Run("添加和修改成员单位", func(t *testing.T) {
		js := `[...document.querySelectorAll('.group')].find((g) => g.innerText.includes('测试帮扶集团（改）'))`
		c.waitFor("the group", js)
		c.do(chromedp.Evaluate[chromedp.Void](js + `.querySelector('[data-testid=unit-new]').click()`))
		c.typeInto("unit-name", "测试成员单位")
		c.pickFirst("unit-village", "")
		c.click("unit-save")
		c.closed("the unit dialog")
		var unit aid.Unit
		eventually(t, func() string {
			g, err := c.db.AidGroup(ctx, sysActor, group.ID)
			if err != nil {
				return err.Error()
			}
			for _, u := range g.Units {
				if u.Name == "测试成员单位" && u.VillageCode != "" {
					unit = u
					return ""
				}
			}
			return fmt.Sprintf("units after 添加: %+v", g.Units)
		})
		c.waitFor("the unit row", js+`?.querySelector('[data-testid=unit-edit]')`)
		c.do(chromedp.Evaluate[chromedp.Void](js + `.querySelector('[data-testid=unit-edit]').click()`))
		c.waitFor("the loaded unit", `document.querySelector('input[data-testid=unit-name],[data-testid=unit-name] input')?.value === '测试成员单位'`)
		c.typeInto("unit-name", "测试成员单位（改）")
		c.click("unit-save")
		c.closed("the unit dialog")
		eventually(t, func() string {
			g, err := c.db.AidGroup(ctx, sysActor, group.ID)
			if err != nil {
				return err.Error()
			}
			for _, u := range g.Units {
				if u.ID == unit.ID && u.Name == "测试成员单位（改）" {
					return ""
				}
			}
			return fmt.Sprintf("units after 修改: %+v", g.Units)
		})
	})

	t.Run("设置和删除帮扶规则", func(t *testing.T) {
		own := func() []aid.SettingRow {
			v, err := c.db.AidSettingsFor(ctx, sysActor, demo.TownshipCode)
			if err != nil {
				t.Fatal(err)
			}
			var rows []aid.SettingRow
			for _, r := range v.Rows {
				if r.Area == demo.TownshipCode {
					rows = append(rows, r)
				}
			}
			return rows
		}
		c.do(chromedp.Navigate(c.url + "/#/policy?group=aid&area=" + demo.TownshipCode))
		c.waitFor("the aid rules group", `document.querySelector('[data-testid=settings-groups] .el-tabs__item.is-active')?.innerText.includes('帮扶规则')`)
		c.shot("admin-aid-rules")
		c.click("setting-edit")
		c.typeInto("setting-value", "30")
		c.click("setting-save")
		c.closed("the setting dialog")
		eventually(t, func() string {
			if rows := own(); len(rows) != 1 || rows[0].Value != 30 {
				return fmt.Sprintf("the township's settings: %+v", rows)
			}
			return ""
		})
		c.click("setting-remove")
		c.confirmBox()
		eventually(t, func() string {
			if rows := own(); len(rows) != 0 {
				return fmt.Sprintf("the township's settings after 删除: %+v", rows)
			}
			return ""
		})
	})

	t.Run("设置和删除政策参数", func(t *testing.T) {
		param := func(key string) string {
			ps, err := c.db.PolicyParams(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.Key == key {
					return p.Value
				}
			}
			return ""
		}
		c.do(chromedp.Navigate(c.url + "/#/policy"))
		c.waitFor("the parameters", `document.querySelectorAll('[data-testid=policy-table] tbody tr').length > 0`)
		if page := c.text(`.page`); strings.Contains(page, "参数集版本") || strings.Contains(page, ".md") || strings.Contains(page, "§") {
			t.Errorf("the policy page shows a parameter-set hash or file notes: %.300s", page)
		}
		// A national change asks for confirmation.
		c.click("policy-edit-water_min_lpd")
		c.typeInto("policy-value", "40")
		c.click("policy-save")
		c.confirmBox()
		c.closed("the parameter dialog")
		eventually(t, func() string {
			if v := param("water_min_lpd"); v != "40" {
				return fmt.Sprintf("water_min_lpd stored %q, want 40", v)
			}
			return ""
		})
		// A choice is picked by its Chinese label, and shown by it.
		c.click("policy-edit-yidabiao_basis")
		c.pick("policy-choice", "收入达标")
		c.click("policy-save")
		c.confirmBox()
		c.closed("the parameter dialog")
		eventually(t, func() string {
			if v := param("yidabiao_basis"); v != "income" {
				return fmt.Sprintf("yidabiao_basis stored %q, want income", v)
			}
			return ""
		})
		c.waitFor("the label in the table", `[...document.querySelectorAll('[data-testid=policy-table] tbody tr')].some((tr) => tr.innerText.includes('一达标口径') && tr.innerText.includes('收入达标'))`)
		if strings.Contains(c.text(`[data-testid=policy-table]`), "income") {
			t.Error("the policy table shows the code income instead of 收入达标")
		}
		c.shot("admin-policy")
		// A delete asks too, and says 已删除.
		c.click("policy-edit-water_min_lpd")
		c.click("policy-remove")
		c.confirmBox()
		c.closed("the parameter dialog")
		c.waitFor("已删除", `[...document.querySelectorAll('.el-message')].some((m) => m.innerText.includes('已删除'))`)
		eventually(t, func() string {
			if v := param("water_min_lpd"); v != "" {
				return fmt.Sprintf("water_min_lpd stored %q after 删除", v)
			}
			return ""
		})
	})

	t.Run("审计日志", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/audit"))
		c.pick("audit-action", "设置政策参数")
		c.click("audit-search")
		c.waitFor("the filtered log", `location.hash.includes('action=policy.set') && !document.querySelector('[data-testid=audit-table] .el-loading-mask') &&
			[...document.querySelectorAll('[data-testid=audit-table] tbody tr')].filter((tr) => !tr.innerText.includes('设置政策参数')).length === 0 &&
			document.querySelectorAll('[data-testid=audit-table] tbody tr').length > 0`)
		rows := eval[[]string](c, `[...document.querySelectorAll('[data-testid=audit-table] tbody tr')].map((tr) => tr.innerText)`)
		page, err := c.db.AuditLog(ctx, fupin.SystemActor("test"), sqlstore.AuditFilter{Action: "policy.set"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(page.Items) || len(rows) < 3 {
			t.Errorf("%d rows shown, the log has %d policy changes (want at least 3)", len(rows), len(page.Items))
		}
		for _, r := range rows {
			if !strings.Contains(r, "设置政策参数") || !strings.Contains(r, "系统管理员（root）") || strings.Contains(r, "policy.set") {
				t.Errorf("row %q: want 设置政策参数 by 系统管理员（root）", r)
			}
		}
		c.click("audit-verify")
		c.waitFor("the chain check", `document.querySelector('[data-testid=audit-verify-result]')`)
		if got := c.text(`[data-testid=audit-verify-result]`); !strings.Contains(got, "审计日志完好") {
			t.Errorf("chain check shows %q", got)
		}
		c.shot("admin-audit")
	})
}
