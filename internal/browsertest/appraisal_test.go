package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/appraisal"
	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// TestConsoleAppraisalActions presses the 成效考核 buttons as a county user
// and checks the server's state after each: two snapshots taken around a
// deletion and compared (the deleted household leaves 全部), a sampling
// round drawn by its rule, a result entered on the field sheet that opens a
// rectification finding, and the round's 错退率 as the server computes it.
func TestConsoleAppraisalActions(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	county := fupin.Actor{Name: "xian", Areas: []string{"500236"}}
	c.addUser("xian", "县乡村振兴局", auth.RoleCounty, "500236")
	insp, err := c.db.CreateInspection(ctx, county, ledger.Inspection{Source: "assessment", Title: "2025 年县级成效考核抽查", AreaCode: demo.TownshipCode})
	if err != nil {
		t.Fatal(err)
	}
	// The township office reads snapshots but may not take one: no button.
	c.signIn()
	c.do(chromedp.Navigate(c.url + "/#/appraisal/snapshots?area=" + demo.TownshipCode))
	c.waitFor("the snapshot table", `document.querySelector('[data-testid=snapshot-table]')`)
	if eval[bool](c, `!!document.querySelector('[data-testid=snapshot-new]')`) {
		t.Error("the township office is offered 拍快照, which the server refuses")
	}
	c.signOut()
	c.signInAs("xian")

	snapshots := func() ([]appraisal.Snapshot, error) {
		return c.db.Snapshots(ctx, county, demo.TownshipCode)
	}
	live, err := c.db.ListHouseholds(ctx, county, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	takeSnapshot := func(t *testing.T, name string) appraisal.Snapshot {
		t.Helper()
		c.do(chromedp.Navigate(c.url + "/#/appraisal/snapshots?area=" + demo.TownshipCode))
		c.click("snapshot-new")
		c.settle()
		c.typeInto("snapshot-name", name)
		c.click("snapshot-save")
		c.closed("the snapshot dialog")
		var got appraisal.Snapshot
		eventually(t, func() string {
			list, err := snapshots()
			if err != nil {
				return err.Error()
			}
			for _, s := range list {
				if s.Name == name {
					got = s
					return ""
				}
			}
			return "no snapshot named " + name
		})
		return got
	}
	var first, second appraisal.Snapshot
	t.Run("拍快照并比较", func(t *testing.T) {
		first = takeSnapshot(t, "2025 年度基数")
		if first.Households != live.Total || first.AreaCode != demo.TownshipCode || first.CreatedBy != "xian" {
			t.Fatalf("snapshot %+v, want %d households of %s by xian", first, live.Total, demo.TownshipCode)
		}
		gone := live.Items[0].ID
		h, err := c.db.Household(ctx, county, gone)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.db.DeleteHousehold(ctx, county, h.ID, h.Version, "重复登记"); err != nil {
			t.Fatal(err)
		}
		second = takeSnapshot(t, "复核")
		if second.Households != first.Households-1 {
			t.Fatalf("second snapshot has %d households, want %d", second.Households, first.Households-1)
		}
		c.pickClosing("compare-from", fmt.Sprintf("#%d ", first.ID))
		c.pickClosing("compare-to", fmt.Sprintf("#%d ", second.ID))
		c.click("compare-go")
		c.waitFor("the comparison", `document.querySelector('[data-testid=out-all]')`)
		cmp, err := c.db.CompareSnapshots(ctx, county, first.ID, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, cc := range cmp.Categories {
			if cc.Code != "all" {
				continue
			}
			if cc.Out != 1 || cc.OutIDs[0] != gone {
				t.Fatalf("server comparison %+v, want household %d out", cc, gone)
			}
			if got := c.text("[data-testid=out-all]"); got != "1" {
				t.Errorf("page shows %q households out of 全部, server 1", got)
			}
		}
		c.shot("appraisal-compare")
	})

	var round appraisal.Round
	t.Run("新建抽查", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/appraisal/rounds?area=" + demo.TownshipCode))
		c.click("round-new")
		c.settle()
		c.typeInto("round-name", "县级抽查第一轮")
		c.click("round-save")
		c.closed("the round dialog")
		eventually(t, func() string {
			rs, err := c.db.Rounds(ctx, county, demo.TownshipCode)
			if err != nil {
				return err.Error()
			}
			if len(rs) != 1 || rs[0].Name != "县级抽查第一轮" || rs[0].Rule.Villages != 2 || rs[0].Rule.Registered != 20 || rs[0].Rule.Others != 5 || rs[0].Households == 0 {
				return fmt.Sprintf("rounds after 抽取: %+v", rs)
			}
			round = rs[0]
			return ""
		})
		c.waitFor("the field sheet", fmt.Sprintf(`location.hash.endsWith('/appraisal/rounds/%d') && document.querySelectorAll('[data-testid=sheet-table] tbody tr').length === %d`, round.ID, round.Households))
	})

	t.Run("录入结果并转入整改", func(t *testing.T) {
		sheet, err := c.db.RoundSheet(ctx, county, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		var row sqlstore.SheetRow
		for _, r := range sheet {
			if r.Kind == "ex_poor" {
				row = r
				break
			}
		}
		if row.HouseholdID == 0 {
			t.Fatalf("no 脱贫户 in the sample: %+v", sheet)
		}
		c.click(fmt.Sprintf("record-%d", row.HouseholdID))
		c.settle()
		c.click("result-wrong-exit")
		c.typeInto("result-note", "家庭人均纯收入低于标准")
		c.click("result-to-ledger")
		c.pickClosing("result-inspection", insp.Title)
		c.typeInto("result-finding-number", "CC-1")
		c.pickClosing("result-finding-category", "收入")
		c.typeInto("result-finding-lead", "乡社会保障服务所")
		c.pickClosing("result-finding-kind", "长期")
		c.click("result-save")
		c.closed("the result dialog")
		var got sqlstore.SheetRow
		eventually(t, func() string {
			sheet, err := c.db.RoundSheet(ctx, county, round.ID)
			if err != nil {
				return err.Error()
			}
			for _, r := range sheet {
				if r.HouseholdID == row.HouseholdID && r.Result != nil && r.Result.WrongExit && r.FindingID != nil {
					got = r
					return ""
				}
			}
			return "the result is not recorded with a finding"
		})
		f, err := c.db.Finding(ctx, county, *got.FindingID)
		if err != nil {
			t.Fatal(err)
		}
		if f.Description != "家庭人均纯收入低于标准" || f.InspectionID != insp.ID || f.AreaCode != row.VillageCode || f.Number != "CC-1" {
			t.Errorf("finding %+v", f.Finding)
		}
		rates, err := c.db.RoundRates(ctx, county, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		for _, r := range rates.Rates {
			if r.Code == "wrong_exit" && r.Value != nil {
				want = fmt.Sprintf("%.1f%%", *r.Value*100)
			}
		}
		if want == "" {
			t.Fatalf("server has no 错退率: %+v", rates.Rates)
		}
		c.waitFor("the 错退率", fmt.Sprintf(`document.querySelector('[data-testid=rate-wrong_exit]')?.innerText.trim() === %q`, want))
		if got := c.text(fmt.Sprintf("[data-testid=result-%d]", row.HouseholdID)); !strings.Contains(got, "错退") {
			t.Errorf("sheet shows %q for the household", got)
		}
		c.shot("appraisal-round")
	})

	t.Run("导出 Excel", func(t *testing.T) {
		dir := c.allowDownloads()
		name, rows := c.exportFile(dir, "round-export")
		if len(rows) != 1 || rows[0][0] != fmt.Sprint(round.ID) || rows[0][1] != "县级抽查第一轮" || rows[0][8] != fmt.Sprint(round.Households) ||
			!strings.Contains(name, "抽查轮次") {
			t.Errorf("round workbook %s, first sheet %q", name, rows)
		}
	})

	t.Run("满意度调查", func(t *testing.T) {
		sheet, err := c.db.RoundSheet(ctx, county, round.ID)
		if err != nil || len(sheet) < 2 {
			t.Fatalf("sheet %d rows, %v", len(sheet), err)
		}
		c.click("survey-link")
		c.click("survey-standard")
		eventually(t, func() string {
			s, err := c.db.Survey(ctx, county, round.ID)
			if err != nil {
				return err.Error()
			}
			if s.Title != "群众认可度调查" || len(s.Questions) != 3 || s.CreatedBy != "xian" {
				return fmt.Sprintf("survey %+v", s)
			}
			return ""
		})
		answer := func(t *testing.T, hid int64, choices ...string) {
			c.click(fmt.Sprintf("answer-%d", hid))
			c.settle()
			for _, ch := range choices {
				c.click(ch)
			}
			c.click("answer-save")
			c.closed("the survey dialog")
			eventually(t, func() string {
				rs, err := c.db.SurveyResponses(ctx, county, round.ID)
				if err != nil {
					return err.Error()
				}
				for _, r := range rs {
					if r.HouseholdID == hid && len(r.Answers) == len(choices) && r.RecordedBy == "xian" {
						return ""
					}
				}
				return fmt.Sprintf("no answers of household %d in %+v", hid, rs)
			})
		}
		answer(t, sheet[0].HouseholdID, "q-overall-approve", "q-team-disapprove", "q-helper-basic")
		// A surveyor on a phone: household cards and a full-screen form.
		c.do(chromedp.EmulateViewport(390, 844))
		c.do(chromedp.Reload())
		c.waitFor("the household cards", `document.querySelector('.cards .hh')`)
		answer(t, sheet[1].HouseholdID, "q-overall-disapprove")
		c.shot("appraisal-survey-phone")
		a, err := c.db.SurveyApproval(ctx, county, round.ID)
		if err != nil || a.Overall.X != 1 || a.Overall.N != 2 {
			t.Fatalf("approval %+v, %v", a, err)
		}
		c.waitFor("the 认可度", `document.querySelector('[data-testid=approval-overall]')?.innerText.includes('50.0%')`)
		// The lists and the field sheet on the phone show what the server has.
		c.do(chromedp.Navigate(c.url + "/#/appraisal/snapshots?area=" + demo.TownshipCode))
		c.waitFor("the snapshots on a phone", `document.querySelectorAll('[data-testid=snapshot-table] tbody tr').length === 2`)
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/appraisal/rounds/%d", c.url, round.ID)))
		c.waitFor("the field sheet on a phone", fmt.Sprintf(`document.querySelectorAll('[data-testid=sheet-table] tbody tr').length === %d`, len(sheet)))
		c.shot("appraisal-round-phone")
		c.do(chromedp.EmulateViewport(1366, 900))
	})
}

// pickClosing is pickFirst that waits for the option list to close, so the
// next pick does not find this list's options still fading out.
func (c *console) pickClosing(id, part string) {
	c.t.Helper()
	c.pickFirst(id, part)
	c.waitFor("the option list to close", `![...document.querySelectorAll('.el-select-dropdown__item')].some((li) => li.offsetParent)`)
}
