package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/aid"
	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// loadLedgerDemo writes the demo rectification ledger (one inspection with
// findings in every status, a 回头看 with a recurrence, key tasks) through
// the store, as `fupin demo` does, and answers the inspection's id.
func (c *console) loadLedgerDemo() int64 {
	c.t.Helper()
	ctx := context.Background()
	d := demo.GenerateLedger(demo.Options{Households: 300, Seed: 3, Today: fupin.DateOf(time.Now())})
	insp, err := c.db.CreateInspection(ctx, sysActor, d.Inspection)
	if err != nil {
		c.t.Fatal(err)
	}
	ids := make([]int64, len(d.Findings))
	for i, df := range d.Findings {
		df.Finding.InspectionID = insp.ID
		f, err := c.db.CreateFinding(ctx, sysActor, df.Finding, nil)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, a := range df.Steps {
			if f, err = c.db.ActOnFinding(ctx, fupin.Actor{Name: a.Account, Areas: []string{demo.TownshipCode}}, a.Role, f.ID,
				sqlstore.FindingAction{Kind: a.Kind, Text: a.Text, Version: f.Version}); err != nil {
				c.t.Fatal(err)
			}
		}
		ids[i] = f.ID
	}
	d.Recheck.RecheckOf = &insp.ID
	re, err := c.db.CreateInspection(ctx, sysActor, d.Recheck)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.db.RecheckFinding(ctx, fupin.Actor{Name: "演示县巡视整改办", Areas: []string{demo.TownshipCode}}, ledger.RoleCounty, ids[d.Recurred],
		sqlstore.RecheckIn{InspectionID: re.ID, Recurred: true, Text: "复查发现问题反弹", Deadline: fupin.DateOf(time.Now().AddDate(0, 1, 0))}); err != nil {
		c.t.Fatal(err)
	}
	for i, t := range d.Tasks {
		saved, err := c.db.CreateTask(ctx, sysActor, t)
		if err != nil {
			c.t.Fatal(err)
		}
		for k := 0; k < d.TasksDone[i]; k++ {
			if saved, err = c.db.CompleteMilestone(ctx, sysActor, saved.ID, saved.Milestones[k].ID, sqlstore.MilestoneDone{Note: "已按期完成", Version: saved.Version}); err != nil {
				c.t.Fatal(err)
			}
		}
	}
	return insp.ID
}

// finding is the server's record of a finding.
func (c *console) finding(id int64) *sqlstore.FindingDetail {
	c.t.Helper()
	f, err := c.db.Finding(context.Background(), sysActor, id)
	if err != nil {
		c.t.Fatal(err)
	}
	return f
}

// findingsOf lists an inspection's findings (all statuses).
func (c *console) findingsOf(inspectionID int64) []ledger.Finding {
	c.t.Helper()
	p, err := c.db.Findings(context.Background(), sysActor, sqlstore.FindingFilter{Area: demo.TownshipCode, InspectionID: inspectionID, Limit: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	return p.Items
}

// openFinding opens a finding's page and waits for its status.
func (c *console) openFinding(id int64) {
	c.t.Helper()
	c.do(chromedp.Navigate(fmt.Sprintf("%s/#/ledger/findings/%d", c.url, id)))
	c.waitFor("the finding page", fmt.Sprintf(`location.hash === '#/ledger/findings/%d' && document.querySelector('[data-testid=finding-status]')`, id))
}

// actOn presses the action button of the open finding, types text into the
// dialog and confirms it.
func (c *console) actOn(kind, text string) {
	c.t.Helper()
	c.click("act-" + kind)
	c.settle()
	if text != "" {
		c.typeInto("act-text", text)
	}
	c.click("act-save")
	c.closed("the action dialog")
}

// TestConsoleLedgerActions presses every write button of the 巡视整改
// pages and checks the server's state after each: registering an
// inspection, importing its feedback list (a bad file first: every bad
// cell named, nothing written), registering a finding, the 销号 chain by
// three accounts (start and apply, review, close; a rejection with its
// reason), a 回头看 re-check with a recurrence, findings from the 问题清单,
// and a key task with a milestone reported done.
func TestConsoleLedgerActions(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	c.addUser("pingan2", "平安乡牵头单位", auth.RoleTownship, demo.TownshipCode)
	c.addUser("pingan3", "平安乡指挥部办公室", auth.RoleTownship, demo.TownshipCode)
	c.signIn()
	area := fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}
	// Two cadres of one name in two villages: the finding's 责任人 is
	// picked as the second, and stored linked to him.
	var zhang []*aid.Cadre
	for i, v := range demo.Villages()[:2] {
		first17 := fmt.Sprintf("500103198001%02d%03d", i+1, 17+i)
		cd, err := c.db.CreateCadre(ctx, area, aid.Cadre{Name: "测试张伟", IDNumber: first17 + string(idcard.CheckChar(first17)),
			UnitName: []string{"市政府外办", "市机关事务局"}[i], AreaCode: demo.TownshipCode})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.db.CreatePosting(ctx, area, aid.Posting{CadreID: cd.ID, Role: "helper", AreaCode: v.Code, StartedOn: fupin.NewDate(2024, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		zhang = append(zhang, cd)
	}

	var insp ledger.Inspection
	t.Run("登记巡视", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/ledger/inspections"))
		c.click("inspection-new")
		c.settle()
		c.typeInto("inspection-title", "市委第三巡视组反馈意见")
		c.typeInto("inspection-batch", "2019 年第二轮")
		c.click("inspection-save")
		c.closed("the inspection dialog")
		eventually(t, func() string {
			items, err := c.db.Inspections(ctx, area, demo.TownshipCode)
			if err != nil {
				return err.Error()
			}
			for _, i := range items {
				if i.Title == "市委第三巡视组反馈意见" && i.Batch == "2019 年第二轮" && i.Source == "inspection" && i.AreaCode == demo.TownshipCode && i.CreatedBy == "pingan" {
					insp = i
					return ""
				}
			}
			return fmt.Sprintf("inspections after 登记: %+v", items)
		})
	})

	t.Run("导入反馈清单", func(t *testing.T) {
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.csv")
		good := filepath.Join(dir, "good.csv")
		head := "市委第三巡视组反馈问题整改清单\n序号,问题类别,存在问题,所在村,牵头单位,责任单位,整改措施,整改时限,整改类型\n"
		deadline := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
		os.WriteFile(bad, []byte(head+"1,饮水安全,旱季断水,天台村,乡水利站,天台村委会,新建蓄水池,"+deadline+",限期整改\n2,作风,走访不实,不存在村,乡纪委,,,"+deadline+",\n"), 0o644)
		os.WriteFile(good, []byte(head+"1,饮水安全,旱季断水,天台村,乡水利站,天台村委会,新建蓄水池,"+deadline+",限期整改\n2,作风,走访不实,文昌村,乡纪委,,,"+deadline+",\n"), 0o644)
		c.do(chromedp.Navigate(c.url + "/#/ledger/inspections"))
		c.click(fmt.Sprintf("import-%d", insp.ID))
		c.settle()
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=feedback-file]`), []string{bad}))
		c.click("feedback-import")
		c.waitFor("the cell errors", `document.querySelector('[data-testid=feedback-errors]')?.innerText.includes('不存在村')`)
		if got := c.text("[data-testid=feedback-errors]"); !strings.Contains(got, "!D4") {
			t.Errorf("cell errors %q, want the cell D4 named", got)
		}
		if n := len(c.findingsOf(insp.ID)); n != 0 {
			t.Fatalf("a bad feedback list wrote %d findings, want none", n)
		}
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=feedback-file]`), []string{good}))
		c.click("feedback-import")
		c.closed("the import dialog")
		eventually(t, func() string {
			fs := c.findingsOf(insp.ID)
			if len(fs) != 2 {
				return fmt.Sprintf("%d findings after the import, want 2", len(fs))
			}
			return ""
		})
		c.waitFor("the imported findings", `document.querySelectorAll('[data-testid=finding-table] tbody tr').length === 2`)
	})

	var f *sqlstore.FindingDetail
	t.Run("登记问题", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/ledger/findings?inspection_id=%d", c.url, insp.ID)))
		c.click("finding-new")
		c.settle()
		c.typeInto("finding-number", "3")
		c.typeInto("finding-description", "部分监测户帮扶措施未落实")
		c.typeInto("finding-lead", "乡社会保障服务所")
		c.click("finding-person-cadre")
		c.do(chromedp.SendKeys(chromedp.CSS(`[data-testid=finding-person-cadre] input`), "测试张伟"))
		js := fmt.Sprintf(`[...document.querySelectorAll('.el-select-dropdown__item')].find((li) => li.offsetParent && li.innerText.includes('测试张伟') && li.innerText.includes(%q))`, demo.Villages()[1].Name)
		c.waitFor("the second 测试张伟", js)
		c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
		c.waitFor("the name taken from the cadre", `document.querySelector('input[data-testid=finding-person],[data-testid=finding-person] input')?.value === '测试张伟'`)
		c.click("finding-save")
		c.closed("the finding dialog")
		eventually(t, func() string {
			for _, x := range c.findingsOf(insp.ID) {
				if x.Number == "3" && x.LeadUnit == "乡社会保障服务所" && x.Status == ledger.StatusNotStarted &&
					x.Person == "测试张伟" && x.PersonID != nil && *x.PersonID == zhang[1].ID {
					f = c.finding(x.ID)
					return ""
				}
			}
			return "the registered finding is missing"
		})
		c.waitFor("the new finding's page", fmt.Sprintf(`location.hash === '#/ledger/findings/%d'`, f.ID))
	})

	// The second imported finding waits for review, applied by another
	// account, so that pingan2 can return it.
	var g *sqlstore.FindingDetail
	for _, x := range c.findingsOf(insp.ID) {
		if x.Number == "2" {
			g = c.finding(x.ID)
		}
	}
	for _, k := range []string{ledger.ActStart, ledger.ActApply} {
		var err error
		if g, err = c.db.ActOnFinding(ctx, fupin.Actor{Name: "wenchang", Areas: []string{demo.TownshipCode}}, ledger.RoleVillage, g.ID,
			sqlstore.FindingAction{Kind: k, Text: "已补走访", Version: g.Version}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("启动整改并申请销号", func(t *testing.T) {
		c.openFinding(f.ID)
		c.actOn("start", "")
		eventually(t, func() string {
			if got := c.finding(f.ID); got.Status != ledger.StatusInProgress {
				return "status after 启动整改: " + got.Status
			}
			return ""
		})
		c.actOn("report", "已逐户核对帮扶措施 12 户")
		// Evidence: a PDF uploaded from the page is stored and listed.
		pdf := filepath.Join(t.TempDir(), "走访记录.pdf")
		os.WriteFile(pdf, []byte("%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"), 0o644)
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=evidence-file]`), []string{pdf}))
		eventually(t, func() string {
			if got := c.finding(f.ID); len(got.EvidenceFiles) != 1 || got.EvidenceFiles[0].ContentType != "application/pdf" || got.EvidenceFiles[0].FileName != "走访记录.pdf" {
				return fmt.Sprintf("evidence after the upload: %+v", got.EvidenceFiles)
			}
			return ""
		})
		c.waitFor("the listed evidence", `document.querySelector('[data-testid=evidence]')?.innerText.includes('走访记录.pdf')`)
		c.actOn("apply", "12 户措施已落实，附走访记录")
		eventually(t, func() string {
			got := c.finding(f.ID)
			if got.Status != ledger.StatusPending || got.AppliedBy != "pingan" || got.Evidence != "12 户措施已落实，附走访记录" || len(got.Steps) < 3 {
				return fmt.Sprintf("after 申请销号: status %s applied by %q evidence %q steps %d", got.Status, got.AppliedBy, got.Evidence, len(got.Steps))
			}
			return ""
		})
		// The applicant may not review their own application: no button.
		c.waitFor("the chain's first step", `document.querySelector('[data-testid=chain]')?.innerText.includes('pingan')`)
		if eval[bool](c, `!!document.querySelector('[data-testid=act-review]')`) {
			t.Error("the applicant is offered 审核")
		}
		c.shot("ledger-finding-desktop")
	})

	c.signOut()
	c.signInAs("pingan2")
	t.Run("牵头单位审核与退回", func(t *testing.T) {
		c.openFinding(f.ID)
		c.actOn("review", "同意")
		eventually(t, func() string {
			if got := c.finding(f.ID); got.ReviewedBy != "pingan2" || got.Status != ledger.StatusPending {
				return fmt.Sprintf("after 审核: reviewed by %q, status %s", got.ReviewedBy, got.Status)
			}
			return ""
		})
		c.openFinding(g.ID)
		c.actOn("reject", "走访记录缺少照片")
		eventually(t, func() string {
			if got := c.finding(g.ID); got.Status != ledger.StatusInProgress || got.RejectReason != "走访记录缺少照片" {
				return fmt.Sprintf("after 退回: status %s, reason %q", got.Status, got.RejectReason)
			}
			return ""
		})
		c.waitFor("the reason on the page", `document.querySelector('[data-testid=reject-reason]')?.innerText === '走访记录缺少照片'`)
	})

	c.signOut()
	c.signInAs("pingan3")
	t.Run("销号", func(t *testing.T) {
		c.openFinding(f.ID)
		c.actOn("close", "经核查整改到位")
		eventually(t, func() string {
			if got := c.finding(f.ID); got.Status != ledger.StatusClosed || got.ClosedBy != "pingan3" || got.Opinion != "经核查整改到位" {
				return fmt.Sprintf("after 销号: status %s closed by %q opinion %q", got.Status, got.ClosedBy, got.Opinion)
			}
			return ""
		})
	})

	t.Run("回头看反弹", func(t *testing.T) {
		re, err := c.db.CreateInspection(ctx, sysActor, ledger.Inspection{Source: "recheck", Title: "巡视整改回头看", AreaCode: demo.TownshipCode, RecheckOf: &insp.ID})
		if err != nil {
			t.Fatal(err)
		}
		c.openFinding(f.ID)
		c.click("recheck")
		c.settle()
		c.waitFor("the 回头看 choice", `document.querySelector('[data-testid=recheck-inspection]')?.innerText.includes('巡视整改回头看')`)
		c.typeInto("recheck-text", "抽查 3 户，措施又未落实")
		c.click("recheck-recurred")
		c.click("recheck-save")
		c.closed("the recheck dialog")
		var nf ledger.Finding
		eventually(t, func() string {
			for _, x := range c.findingsOf(re.ID) {
				if x.RecurrenceOf != nil && *x.RecurrenceOf == f.ID {
					nf = x
					return ""
				}
			}
			return "no recurrence linked to the re-checked finding"
		})
		c.waitFor("the recurrence's page", fmt.Sprintf(`location.hash === '#/ledger/findings/%d' && document.querySelector('[data-testid=recurrence-of]')`, nf.ID))
		rs, err := c.db.Recurrences(ctx, area, demo.TownshipCode)
		if err != nil || len(rs) != 1 || rs[0].Count != 1 || rs[0].Unit != "乡社会保障服务所" {
			t.Errorf("recurrences %+v, %v", rs, err)
		}
	})

	t.Run("由问题清单生成", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/ledger/findings?inspection_id=%d", c.url, insp.ID)))
		c.click("from-problems")
		c.settle()
		c.typeInto("gen-lead", "乡村镇建设服务中心")
		c.click("gen-save")
		c.closed("the generate dialog")
		eventually(t, func() string {
			n, households := 0, 0
			for _, x := range c.findingsOf(insp.ID) {
				if x.Item == "housing" && x.LeadUnit == "乡村镇建设服务中心" {
					n++
					households += x.Households
				}
			}
			if n == 0 || households == 0 {
				return fmt.Sprintf("from the 问题清单: %d findings with %d households", n, households)
			}
			return ""
		})
	})

	t.Run("新增重点工作并报告节点完成", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/ledger/tasks"))
		c.click("task-new")
		c.settle()
		c.typeInto("task-title", "农村危房改造清零")
		c.typeInto("task-lead", "乡村镇建设服务中心")
		// A cadre picked, then a name typed over it: the task names a
		// person outside Fupin, linked to nobody.
		c.pickRemote("task-leader-cadre", "测试张伟", "测试张伟")
		c.waitFor("the name taken from the cadre", `document.querySelector('input[data-testid=task-leader],[data-testid=task-leader] input')?.value === '测试张伟'`)
		c.typeInto("task-leader", "副乡长")
		c.typeInto("task-ms-0", "完成入户鉴定")
		c.click("task-save")
		c.closed("the task dialog")
		var task ledger.Task
		eventually(t, func() string {
			ts, err := c.db.Tasks(ctx, area, demo.TownshipCode)
			if err != nil {
				return err.Error()
			}
			for _, x := range ts {
				if x.Title == "农村危房改造清零" && x.Leader == "副乡长" && x.LeaderID == nil && len(x.Milestones) == 1 && x.Milestones[0].Title == "完成入户鉴定" {
					task = x
					return ""
				}
			}
			return "the new task is missing"
		})
		c.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=task-table] .el-table__expand-icon').click()`))
		c.click(fmt.Sprintf("milestone-done-%d", task.Milestones[0].ID))
		c.settle()
		c.typeInto("milestone-note", "42 户已鉴定")
		c.click("milestone-save")
		c.closed("the milestone dialog")
		eventually(t, func() string {
			got, err := c.db.Task(ctx, area, task.ID)
			if err != nil || got.Milestones[0].DoneOn.IsZero() || got.Milestones[0].Note != "42 户已鉴定" || got.Progress != 100 {
				return fmt.Sprintf("task after 报告完成: %+v, %v", got, err)
			}
			return ""
		})
	})
}

// TestConsoleLedgerPages reads the 巡视整改 pages over the demo ledger at
// desktop and phone width and checks the numbers against the server: the
// bucket counts, the printed report's totals, the units ranked in the
// 责任清单, the dashboard card and a household's open findings. It saves
// the screenshots ledger-*-{desktop,phone}.png.
func TestConsoleLedgerPages(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1366, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			c := newConsole(t, size.width, size.height)
			c.loadAid()
			inspID := c.loadLedgerDemo()
			ctx := context.Background()
			area := fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}
			made, err := c.db.FindingsFromProblems(ctx, area, sqlstore.FromProblemsIn{InspectionID: inspID, Area: demo.TownshipCode,
				Year: fupin.AssessmentYear(fupin.DateOf(time.Now())), Item: "housing", LeadUnit: "乡村镇建设服务中心", Deadline: fupin.DateOf(time.Now().AddDate(0, 0, 3))})
			if err != nil || len(made) == 0 {
				t.Fatalf("findings from the 问题清单: %d, %v", len(made), err)
			}
			c.signIn()
			page, err := c.db.Findings(ctx, area, sqlstore.FindingFilter{Area: demo.TownshipCode, Status: "open", Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if page.Buckets[ledger.BucketOverdue] == 0 {
				t.Fatalf("the demo ledger has no overdue finding: %+v", page.Buckets)
			}

			// 总览: the card counts what the list counts.
			c.waitFor("the ledger card", `document.querySelector('[data-testid=ledger-overdue] .value')`)
			if got := count(t, c.text("[data-testid=ledger-overdue] .value")); got != page.Buckets[ledger.BucketOverdue] {
				t.Errorf("dashboard 已超期 %d, server %d", got, page.Buckets[ledger.BucketOverdue])
			}
			c.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=ledger-summary]').scrollIntoView()`))
			c.shot("ledger-dashboard-" + size.name)

			// 问题整改: the bucket counts and the rows of a bucket.
			c.do(chromedp.Navigate(c.url + "/#/ledger/findings"))
			c.waitFor("the findings", `document.querySelector('[data-testid=finding-table] .el-table__body tbody tr')`)
			for k, n := range page.Buckets {
				c.waitFor(fmt.Sprintf("bucket %s to show %d", k, n), fmt.Sprintf(`document.querySelector('[data-testid=bucket-%s] .value')?.innerText === '%d'`, k, n))
			}
			c.shot("ledger-findings-" + size.name)
			c.click("bucket-overdue")
			c.waitFor("the overdue rows", fmt.Sprintf(`location.hash.includes('bucket=overdue') && [...document.querySelectorAll('[data-testid=finding-table] .el-table__body tbody tr')].length === %d`, min(page.Buckets[ledger.BucketOverdue], 50)))

			// A finding with its chain and timeline.
			closed, err := c.db.Findings(ctx, area, sqlstore.FindingFilter{Area: demo.TownshipCode, Status: ledger.StatusClosed, Limit: 1})
			if err != nil || len(closed.Items) == 0 {
				t.Fatalf("no closed demo finding: %v", err)
			}
			c.openFinding(closed.Items[0].ID)
			c.waitFor("the timeline", `document.querySelectorAll('[data-testid=timeline] .el-timeline-item').length >= 4`)
			c.shot("ledger-finding-closed-" + size.name)

			// 整改情况报告: the totals of the inspection.
			all := c.findingsOf(inspID)
			nClosed, nOverdue := 0, 0
			for _, f := range all {
				if f.Status == ledger.StatusClosed {
					nClosed++
				}
				if f.Bucket == ledger.BucketOverdue {
					nOverdue++
				}
			}
			// Read one finding per page the report still lists them all:
			// more pages than the ten (5,000 rows) it once stopped at.
			if len(all) <= 10 {
				t.Fatalf("the inspection has %d findings, want more than 10 pages of one", len(all))
			}
			c.do(chromedp.Navigate(fmt.Sprintf("%s/#/ledger/inspections/%d/report?page_size=1", c.url, inspID)))
			c.waitFor("the report read one per page", fmt.Sprintf(`document.querySelectorAll('[data-testid=report] tbody tr').length === %d && !document.querySelector('[data-testid=report-progress]')`, len(all)))
			c.do(chromedp.Navigate(c.url + "/#/ledger/inspections"))
			c.waitFor("the inspections", `document.querySelector('[data-testid=inspection-table]')`)
			c.do(chromedp.Navigate(fmt.Sprintf("%s/#/ledger/inspections/%d/report", c.url, inspID)))
			c.waitFor("the report", fmt.Sprintf(`document.querySelectorAll('[data-testid=report] tbody tr').length === %d`, len(all)))
			want := fmt.Sprintf("共反馈问题 %d 个，已销号 %d 个", len(all), nClosed)
			if got := c.text("[data-testid=report-summary]"); !strings.Contains(got, want) || !strings.Contains(got, fmt.Sprintf("其中已超期 %d 个", nOverdue)) {
				t.Errorf("report summary %q, want %q and %d overdue", got, want, nOverdue)
			}
			c.shot("ledger-report-" + size.name)

			c.do(chromedp.Navigate(c.url + "/#/ledger/inspections"))
			c.waitFor("the inspections", `document.querySelectorAll('[data-testid=inspection-table] .el-table__body tbody tr').length === 2`)
			c.shot("ledger-inspections-" + size.name)

			c.do(chromedp.Navigate(c.url + "/#/ledger/tasks"))
			c.waitFor("the tasks", `document.querySelectorAll('[data-testid=task-table] .el-table__body > tbody > tr').length >= 10`)
			c.shot("ledger-tasks-" + size.name)

			// 责任清单: the units ranked as the server ranks them.
			duty, err := c.db.Responsibility(ctx, area, demo.TownshipCode)
			if err != nil {
				t.Fatal(err)
			}
			c.do(chromedp.Navigate(c.url + "/#/ledger/duty"))
			c.waitFor("the units", fmt.Sprintf(`document.querySelectorAll('[data-testid=duty-units] .el-table__body tbody tr').length === %d`, len(duty.Units)))
			if len(duty.Units) < 22 {
				t.Errorf("责任清单 has %d units, want the 22 member units at least", len(duty.Units))
			}
			first := eval[string](c, `document.querySelector('[data-testid=duty-units] .el-table__body tbody tr').innerText`)
			if !strings.Contains(first, duty.Units[0].Unit) {
				t.Errorf("first ranked unit %q, server %q", first, duty.Units[0].Unit)
			}
			c.shot("ledger-duty-" + size.name)

			// A household named by a finding shows it.
			d := c.finding(made[0].ID)
			c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, d.HouseholdList[0].HouseholdID)))
			c.waitFor("the household's findings", fmt.Sprintf(`document.querySelector('[data-testid=household-findings]')?.innerText.includes(%q)`, d.Description))
		})
	}
}
