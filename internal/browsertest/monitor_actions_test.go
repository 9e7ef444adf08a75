package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestConsoleMonitorActions presses every write button of the monitoring
// pages and checks the server's state after each: a department list
// upload, verifying alerts (不纳入 with a reason, 纳入 opening a case),
// 立案 from 应纳未纳, the steps of identification (办结, 民主评议 with its
// participants, 退回, 不予通过), an objection recorded and resolved during
// 公示, a plan measure added, edited and ended (and shown on the household
// page). TestConsoleMonitorElimination continues with the rest.
func TestConsoleMonitorActions(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()

	unc, err := c.db.MonitorUncovered(ctx, sysActor, demo.TownshipCode, 0, 5)
	if err != nil || len(unc.Items) == 0 {
		t.Fatalf("应纳未纳 of the demo: %d, %v", len(unc.Items), err)
	}
	uncovered := unc.Items[0]
	spare := c.spareHouseholds(map[int64]bool{uncovered.HouseholdID: true})
	take := func() *fupin.Household {
		t.Helper()
		if len(spare) == 0 {
			t.Fatal("out of spare households")
		}
		h := spare[0]
		spare = spare[1:]
		return h
	}
	hInclude, hExclude, hUpload := take(), take(), take()
	if _, err := c.db.LoadDepartmentList(ctx, sysActor, "medical", "医保.csv", strings.Repeat("ab", 32), []monitor.DeptRow{
		{Row: 2, IDNumber: hInclude.Members[0].IDNumber, Fact: "住院自付 3.6 万元", FactOn: todayCST()},
		{Row: 3, IDNumber: hExclude.Members[0].IDNumber, Fact: "住院自付 1.2 万元", FactOn: todayCST()},
	}); err != nil {
		t.Fatal(err)
	}
	steps := c.walkCase(take(), 0, monitor.StageHomeCheck)
	rejectCase := c.walkCase(take(), 0, monitor.StageHomeCheck)
	c.signIn()

	t.Run("导入部门名单", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "残联新增残疾人.csv")
		csv := "身份证号,预警情况,日期\n" + hUpload.Members[0].IDNumber + ",新办残疾证（二级）," + todayCST().String() + "\n"
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		c.visit("/#/monitor/alerts")
		c.click("dept-open")
		c.pickFirst("dept-department", "残联")
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=dept-file]`), []string{file}))
		c.click("dept-save")
		c.waitFor("the load result", `document.querySelector('[data-testid=dept-new]')?.innerText === '1'`)
		eventually(t, func() string {
			if a := c.alertOf(hUpload.ID); a == nil || a.Department != "disability" {
				return fmt.Sprintf("household %d has alert %+v after the upload", hUpload.ID, a)
			}
			return ""
		})
		c.shot("monitor-dept-upload")
		c.click("dept-close")
		c.closed("the upload dialog")
	})

	t.Run("核实预警：不纳入", func(t *testing.T) {
		c.visit("/#/monitor/alerts")
		c.clickInRow("alert-table", hExclude.HeadName, "alert-verify")
		c.click("verify-exclude")
		c.typeInto("verify-reason", "已核实：医保报销后自付不足 2000 元")
		c.click("verify-save")
		c.closed("the verify dialog")
		eventually(t, func() string {
			if a := c.alertOf(hExclude.ID); a == nil || a.Outcome != "exclude" || !strings.Contains(a.Reason, "自付不足") {
				return fmt.Sprintf("alert of %d: %+v", hExclude.ID, a)
			}
			return ""
		})
	})

	t.Run("核实预警：纳入", func(t *testing.T) {
		c.visit("/#/monitor/alerts")
		c.shot("monitor-alerts")
		c.clickInRow("alert-table", hInclude.HeadName, "alert-verify")
		_, label := categoryOf(hInclude)
		c.pickFirst("verify-category", label)
		c.pickFirst("verify-risks", "因病")
		c.click("verify-save")
		c.waitFor("the new case page", `location.hash.startsWith('#/monitor/cases/') && document.querySelector('[data-testid=case-stage]')?.innerText === '入户核查'`)
		eventually(t, func() string {
			a := c.alertOf(hInclude.ID)
			if a == nil || a.Outcome != "include" || a.CaseID == nil {
				return fmt.Sprintf("alert of %d: %+v", hInclude.ID, a)
			}
			if cs := c.caseOf(*a.CaseID); cs.Path != "department" || cs.Stage != monitor.StageHomeCheck || cs.HouseholdID != hInclude.ID {
				return fmt.Sprintf("case from the alert: %+v", cs)
			}
			return ""
		})
	})

	t.Run("应纳未纳立案", func(t *testing.T) {
		c.visit("/#/monitor/cases?tab=uncovered")
		c.clickInRow("uncovered-table", uncovered.HeadName, "uncovered-open")
		h, err := c.db.Household(ctx, sysActor, uncovered.HouseholdID)
		if err != nil {
			t.Fatal(err)
		}
		_, label := categoryOf(h)
		c.pickFirst("open-category", label)
		c.pickFirst("open-risks", "缺资金")
		c.click("open-save")
		c.waitFor("the new case page", `location.hash.startsWith('#/monitor/cases/') && document.querySelector('[data-testid=case-stage]')`)
		eventually(t, func() string {
			page, err := c.db.MonitorCases(ctx, sysActor, sqlstore.CaseFilter{Area: uncovered.VillageCode, Open: true, Limit: 500})
			if err != nil {
				return err.Error()
			}
			for _, cs := range page.Items {
				if cs.HouseholdID == uncovered.HouseholdID && cs.Path == "engine" && len(cs.Risks) == 1 && cs.Risks[0] == "lack_funds" {
					return ""
				}
			}
			return fmt.Sprintf("no 系统比对 case for household %d", uncovered.HouseholdID)
		})
	})

	t.Run("识别认定各环节", func(t *testing.T) {
		c.openCase(steps.ID)
		c.shot("monitor-case-home-check")
		c.act("complete", "")
		c.wantStage(steps.ID, monitor.StageCrossCheck)
		c.act("complete", "")
		c.wantStage(steps.ID, monitor.StageReview)
		// 民主评议 cannot close without participants and result.
		c.click("act-complete")
		c.typeInto("act-participants", "村民代表 15 人、第一书记、村两委")
		c.typeInto("act-result", "同意纳入监测")
		c.click("act-save")
		c.closed("the action dialog")
		c.wantStage(steps.ID, monitor.StageNotice)
		if cs := c.caseOf(steps.ID); cs.Participants != "村民代表 15 人、第一书记、村两委" || cs.ReviewResult != "同意纳入监测" {
			t.Errorf("review recorded %q / %q", cs.Participants, cs.ReviewResult)
		}
	})

	t.Run("公示异议", func(t *testing.T) {
		c.openCase(steps.ID)
		c.click("objection-add")
		c.typeInto("objection-by", "村民（匿名）")
		c.typeInto("objection-content", "该户有子女在县城工作，收入较高")
		c.click("objection-save")
		c.closed("the objection dialog")
		eventually(t, func() string {
			if obs := c.caseOf(steps.ID).Objections; len(obs) != 1 || obs[0].RaisedBy != "村民（匿名）" || obs[0].ResolvedAt != nil {
				return fmt.Sprintf("objections %+v", obs)
			}
			return ""
		})
		c.click("objection-resolve")
		c.typeInto("resolve-text", "经入户核实，子女务工收入不稳定，异议不成立")
		c.click("resolve-save")
		c.closed("the resolve dialog")
		eventually(t, func() string {
			if obs := c.caseOf(steps.ID).Objections; len(obs) != 1 || obs[0].ResolvedAt == nil || !strings.Contains(obs[0].Resolution, "异议不成立") {
				return fmt.Sprintf("objections %+v", obs)
			}
			return ""
		})
	})

	t.Run("帮扶计划：添加、修改、结束", func(t *testing.T) {
		c.openCase(steps.ID)
		c.click("measure-add")
		c.pickFirst("measure-category", "健康")
		c.typeInto("measure-content", "落实大病专项救治和医疗救助")
		c.typeInto("measure-responsible", "王帮扶")
		c.click("measure-save")
		c.closed("the measure dialog")
		eventually(t, func() string {
			if ms := c.caseOf(steps.ID).Measures; len(ms) != 1 || ms[0].Responsible != "王帮扶" || ms[0].Status != "planned" {
				return fmt.Sprintf("measures %+v", ms)
			}
			return ""
		})
		c.click("measure-edit")
		c.typeInto("measure-content", "落实大病专项救治、医疗救助和临时救助")
		c.click("measure-save")
		c.closed("the measure dialog")
		eventually(t, func() string {
			if ms := c.caseOf(steps.ID).Measures; len(ms) != 1 || ms[0].Content != "落实大病专项救治、医疗救助和临时救助" {
				return fmt.Sprintf("measures after 修改 %+v", ms)
			}
			return ""
		})
		c.click("measure-end")
		c.typeInto("measure-outcome", "医疗费用报销 85%，自付降至 3000 元")
		c.click("measure-save")
		c.closed("the measure dialog")
		eventually(t, func() string {
			ms := c.caseOf(steps.ID).Measures
			if len(ms) != 1 || ms[0].Status != "done" || ms[0].EndsOn.IsZero() || !strings.Contains(ms[0].Outcome, "自付降至") {
				return fmt.Sprintf("measures after 结束 %+v", ms)
			}
			return ""
		})
		c.shot("monitor-case-notice")
		// The plan shows on the household page too.
		c.visit(fmt.Sprintf("/#/households/%d", steps.HouseholdID))
		c.waitFor("the plan on the household page", `(document.querySelector('[data-testid=household-measures]')?.innerText ?? '').includes('医疗救助和临时救助')`)
	})

	t.Run("退回上一环节", func(t *testing.T) {
		c.openCase(steps.ID)
		c.act("return", "民主评议参加人员不足，重新评议")
		c.wantStage(steps.ID, monitor.StageReview)
		if s := c.caseOf(steps.ID).Steps; !strings.Contains(s[len(s)-1].Summary, "重新评议") {
			t.Errorf("last step %+v", s[len(s)-1])
		}
	})

	t.Run("不予通过", func(t *testing.T) {
		c.openCase(rejectCase.ID)
		c.act("reject", "入户核查发现家庭有稳定工资性收入")
		c.wantStage(rejectCase.ID, monitor.StageRejected)
	})
}

// TestConsoleMonitorElimination continues TestConsoleMonitorActions (each
// browser test has three minutes): the 公示 print view without ID numbers,
// starting elimination as the township, and as an admin completing
// 县审定公告, 风险消除回退, correcting a calendar year and the 监测概况
// figures; then phone screenshots.
func TestConsoleMonitorElimination(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	c.addUser("root", "系统管理员", auth.RoleAdmin, "")
	spare := c.spareHouseholds(nil)
	noticeCase := c.walkCase(spare[0], 3, monitor.StageNotice)
	spare = spare[1:]
	toEliminate := c.eligibleCase(&spare, monitor.StageMonitored)
	atCounty := c.eligibleCase(&spare, monitor.StageElimCounty)
	c.signIn()

	t.Run("村级公示打印", func(t *testing.T) {
		c.visit("/#/monitor/notice?village=" + noticeCase.VillageCode)
		c.waitFor("the notice", fmt.Sprintf(`(document.querySelector('[data-testid=notice-sheet]')?.innerText ?? '').includes(%q)`, noticeCase.HeadName))
		sheet := c.text(`[data-testid=notice-sheet]`)
		h, err := c.db.Household(ctx, sysActor, noticeCase.HouseholdID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Members {
			if strings.Contains(sheet, m.IDNumber) || strings.Contains(sheet, m.IDNumber[:14]) {
				t.Errorf("the notice shows an ID number of %s", m.Name)
			}
		}
		if href := eval[string](c, `document.querySelector('[data-testid=notice-xlsx]').getAttribute('href')`); !strings.Contains(href, "format=xlsx") {
			t.Errorf("xlsx link %q", href)
		}
		c.shot("monitor-notice")
	})

	t.Run("启动风险消除", func(t *testing.T) {
		c.openCase(toEliminate.ID)
		c.waitFor("the eligibility items", `document.querySelectorAll('[data-testid=eligibility] li').length > 0`)
		c.click("spending-resolved")
		c.shot("monitor-case-monitored")
		c.act("eliminate", "")
		c.wantStage(toEliminate.ID, monitor.StageElimCheck)
	})

	t.Run("县审定与回退（管理员）", func(t *testing.T) {
		c.signOut()
		c.signInAs("root")
		c.openCase(atCounty.ID)
		c.act("complete", "")
		c.wantStage(atCounty.ID, monitor.StageEliminated)
		c.act("rollback", "家庭成员务工中断，收入不稳定")
		c.wantStage(atCounty.ID, monitor.StageMonitored)
		steps := c.caseOf(atCounty.ID).Steps
		if last := steps[len(steps)-1]; last.Action != monitor.ActRollback || !strings.Contains(last.Summary, "务工中断") {
			t.Errorf("last step %+v", last)
		}
		c.shot("monitor-case-rollback")
	})

	t.Run("更正日历年度（管理员）", func(t *testing.T) {
		c.visit("/#/monitor/calendar")
		c.click("calendar-edit-2026")
		c.typeInto("calendar-notice", "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，更正）")
		c.click("calendar-save")
		c.closed("the calendar dialog")
		eventually(t, func() string {
			ys, err := c.db.CalendarYears(ctx)
			if err != nil {
				return err.Error()
			}
			for _, y := range ys {
				if y.Year == 2026 && strings.HasSuffix(y.Notice, "更正）") && len(y.Holidays) > 0 {
					return ""
				}
			}
			return fmt.Sprintf("calendar years %+v", ys)
		})
		c.shot("monitor-calendar")
	})

	t.Run("设置和删除监测时限（管理员）", func(t *testing.T) {
		township := noticeCase.VillageCode[:9]
		own := func() []monitor.LimitRow {
			v, err := c.db.MonitorLimitsFor(ctx, sysActor, township)
			if err != nil {
				t.Fatal(err)
			}
			var rows []monitor.LimitRow
			for _, r := range v.Rows {
				if r.Area == township {
					rows = append(rows, r)
				}
			}
			return rows
		}
		c.visit("/#/policy?group=monitor&area=" + township)
		c.waitFor("the monitoring limits group", `document.querySelector('[data-testid=settings-groups] .el-tabs__item.is-active')?.innerText.includes('监测时限')`)
		c.click("setting-edit") // the first row: 入户核查时限
		c.typeInto("setting-value", "2")
		c.click("setting-save")
		c.closed("the setting dialog")
		eventually(t, func() string {
			if rows := own(); len(rows) != 1 || rows[0].Key != "home_check" || rows[0].Value != 2 {
				return fmt.Sprintf("the township's limits: %+v", rows)
			}
			return ""
		})
		c.shot("monitor-limits")
		c.click("setting-remove")
		c.confirmBox()
		eventually(t, func() string {
			if rows := own(); len(rows) != 0 {
				return fmt.Sprintf("the township's limits after 删除: %+v", rows)
			}
			return ""
		})
		// Beneath the county's limits the township clears 乡镇审核 (不单独限时)
		// and goes back to the default 入户核查 limit.
		county := township[:6]
		for _, r := range []monitor.LimitRow{{Area: county, Key: "township", Value: 5}, {Area: county, Key: "home_check", Value: 6}} {
			if err := c.db.SetMonitorLimit(ctx, sysActor, r); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() {
			for _, key := range []string{"township", "home_check"} {
				for _, area := range []string{county, township} {
					_ = c.db.SetMonitorLimit(ctx, sysActor, monitor.LimitRow{Area: area, Key: key})
				}
			}
		})
		c.visit("/#/policy?group=monitor&area=" + township)
		c.waitFor("the monitoring limits group", `document.querySelector('[data-testid=settings-groups] .el-tabs__item.is-active')?.innerText.includes('监测时限')`)
		c.clickInRow("aid-settings-table", "乡镇审核时限", "setting-edit")
		c.click("setting-nolimit")
		c.closed("the setting dialog")
		c.clickInRow("aid-settings-table", "入户核查时限", "setting-edit")
		c.click("setting-default")
		c.closed("the setting dialog")
		eventually(t, func() string {
			v, err := c.db.MonitorLimitsFor(ctx, sysActor, noticeCase.VillageCode)
			if err != nil {
				return err.Error()
			}
			rows := own()
			if len(rows) != 2 || v.Effective.Township != 0 || v.Effective.HomeCheck != 3 {
				return fmt.Sprintf("the township's rows %+v, in force %+v", rows, v.Effective)
			}
			return ""
		})
		c.waitFor("不单独限时 in the stored rows", `document.querySelector('[data-testid=aid-setting-rows]')?.innerText.includes('不单独限时')`)
	})

	t.Run("设置和删除监测对象类别（管理员）", func(t *testing.T) {
		township := noticeCase.VillageCode[:9]
		own := func() []monitor.CategoryRow {
			v, err := c.db.MonitorCategoriesFor(ctx, sysActor, township, 2026)
			if err != nil {
				t.Fatal(err)
			}
			var rows []monitor.CategoryRow
			for _, r := range v.Rows {
				if r.Area == township {
					rows = append(rows, r)
				}
			}
			return rows
		}
		c.visit("/#/policy?group=categories&area=" + township)
		c.pick("category-year", "2026 年度")
		c.waitFor("the transition categories", `document.querySelector('[data-testid=category-effective]')?.innerText === '脱贫不稳定户、边缘易致贫户、突发严重困难户'`)
		c.click("category-unstable")
		c.click("category-marginal")
		c.click("category-prevent")
		c.click("category-save")
		eventually(t, func() string {
			if rows := own(); len(rows) != 1 || rows[0].Year != 2026 || strings.Join(rows[0].Codes, ",") != "sudden,prevent" {
				return fmt.Sprintf("the township's categories: %+v", rows)
			}
			return ""
		})
		c.waitFor("the new list in force", `document.querySelector('[data-testid=category-effective]')?.innerText === '突发严重困难户、防止返贫致贫对象'`)
		c.shot("monitor-categories")
		c.click("category-remove")
		c.confirmBox()
		eventually(t, func() string {
			if rows := own(); len(rows) != 0 {
				return fmt.Sprintf("the township's categories after 删除: %+v", rows)
			}
			return ""
		})
	})

	t.Run("监测概况", func(t *testing.T) {
		st, err := c.db.MonitorStats(ctx, sysActor, "")
		if err != nil || st.Identified < 2 || st.RolledBack != 1 {
			t.Fatalf("stats %+v %v, want the walked cases identified and one rollback", st, err)
		}
		c.visit("/#/monitor/cases")
		c.waitFor("the overview", fmt.Sprintf(`document.querySelector('[data-testid=stat-identified]')?.innerText === %q`, fmt.Sprint(st.Identified)))
		c.shot("monitor-cases")
	})

	t.Run("手机截图", func(t *testing.T) {
		c.do(chromedp.EmulateViewport(390, 844))
		for name, path := range map[string]string{"monitor-cases-phone": "/#/monitor/cases", "monitor-alerts-phone": "/#/monitor/alerts?all=1",
			"monitor-case-phone": fmt.Sprintf("/#/monitor/cases/%d", toEliminate.ID), "monitor-notice-phone": "/#/monitor/notice?village=" + noticeCase.VillageCode} {
			c.visit(path)
			c.waitFor("the page", `document.querySelector('.page .card')`)
			c.shot(name)
		}
	})
}

// openCase opens a case page and waits for its stage.
func (c *console) openCase(id int64) {
	c.t.Helper()
	c.visit(fmt.Sprintf("/#/monitor/cases/%d", id))
	c.waitFor("the case page", fmt.Sprintf(`location.hash === '#/monitor/cases/%d' && document.querySelector('[data-testid=case-stage]')`, id))
	c.settle()
}

// visit loads a page of the console afresh (a hash change alone would
// keep the page and its open dialogs).
func (c *console) visit(path string) {
	c.t.Helper()
	c.do(chromedp.Navigate("about:blank"), chromedp.Navigate(c.url+path), chromedp.WaitVisible(chromedp.CSS(`[data-testid=user]`)))
}

// act presses an action button of the case page, gives the reason when
// there is one and confirms.
func (c *console) act(action, reason string) {
	c.t.Helper()
	c.click("act-" + action)
	if reason != "" {
		c.typeInto("act-reason", reason)
	}
	c.click("act-save")
	c.closed("the action dialog")
}

// wantStage waits until the server has the case at stage and the page
// shows it.
func (c *console) wantStage(id int64, stage string) {
	c.t.Helper()
	eventually(c.t, func() string {
		if cs := c.caseOf(id); cs.Stage != stage {
			return fmt.Sprintf("case %d is at %s, want %s", id, cs.Stage, stage)
		}
		return ""
	})
	c.waitFor("the stage "+stage, fmt.Sprintf(`document.querySelector('[data-testid=case-stage]')?.innerText === %q`, monitor.Stages.LabelOf(stage)))
}

func (c *console) caseOf(id int64) *sqlstore.MonitorCase {
	c.t.Helper()
	cs, err := c.db.MonitorCase(context.Background(), sysActor, id)
	if err != nil {
		c.t.Fatal(err)
	}
	return cs
}

// alertOf is the newest alert of a household, or nil.
func (c *console) alertOf(householdID int64) *sqlstore.MonitorAlert {
	c.t.Helper()
	page, err := c.db.MonitorAlerts(context.Background(), sysActor, sqlstore.AlertFilter{Area: demo.TownshipCode, Limit: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	var out *sqlstore.MonitorAlert
	for i := range page.Items {
		if a := &page.Items[i]; a.HouseholdID == householdID && (out == nil || a.ID > out.ID) {
			out = a
		}
	}
	return out
}

// clickInRow clicks the button marked data-testid=button in the row of
// the table marked data-testid=table that contains text.
func (c *console) clickInRow(table, text, button string) {
	c.t.Helper()
	js := fmt.Sprintf(`[...document.querySelectorAll('[data-testid=%s] tbody tr')].find((tr) => tr.innerText.includes(%q))?.querySelector('[data-testid=%s]')`, table, text, button)
	c.waitFor(text+" in "+table, js)
	c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
}

// TestConsoleVisitRaisesRisk is 干部排查 in the visit form: ticking
// 发现返贫致贫风险 with a risk type records the visit and opens a case at
// 入户核查 for the household, which the server then has.
func TestConsoleVisitRaisesRisk(t *testing.T) {
	c := newConsole(t, 1366, 900)
	c.loadAid()
	ctx := context.Background()
	var target *fupin.Household
	for _, h := range c.spareHouseholds(nil) {
		if c.activeHelper(h.ID) != nil {
			target = h
			break
		}
	}
	if target == nil {
		t.Fatal("no paired household without monitoring in the demo")
	}
	c.signIn()
	c.visit(fmt.Sprintf("/#/aid/visits?household_id=%d", target.ID))
	c.click("visit-new")
	c.waitFor("the household in the form", `(document.querySelector('[data-testid=visit-dialog] [data-testid=visit-household]')?.innerText ?? '').trim() !== ''`)
	c.waitFor("the helper as the cadre", `(document.querySelector('[data-testid=visit-dialog] [data-testid=visit-cadre]')?.innerText ?? '').trim() !== ''`)
	c.typeInto("visit-findings", "户主突发脑梗住院，家中无其他劳动力")
	c.click("visit-raise")
	c.pickFirst("visit-risks", "因病")
	c.shot("monitor-visit-raise")
	c.click("visit-save")
	c.closed("the visit dialog")
	eventually(t, func() string {
		page, err := c.db.MonitorCases(ctx, sysActor, sqlstore.CaseFilter{Area: target.VillageCode, Open: true, Limit: 500})
		if err != nil {
			return err.Error()
		}
		for _, cs := range page.Items {
			if cs.HouseholdID == target.ID && cs.Path == "cadre" && cs.Stage == monitor.StageHomeCheck && len(cs.Risks) == 1 && cs.Risks[0] == "illness" {
				return ""
			}
		}
		return fmt.Sprintf("no 干部排查 case for household %d", target.ID)
	})
}
