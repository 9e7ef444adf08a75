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
)

// TestConsolePhoneScrollHint: on a 390px phone a table wider than the
// screen says 左右滑动查看 with a shadow on its right edge, and stops saying
// so once scrolled to the end; the lists' 打印 and 导出 Excel and the print
// views are there on the phone too (screenshots under FUPIN_SCREENSHOTS).
func TestConsolePhoneScrollHint(t *testing.T) {
	c := newConsole(t, 390, 844)
	c.loadAid()
	c.signIn()
	hint := `getComputedStyle(document.querySelector('[data-testid=visit-table] .el-table__header-wrapper'), '::after').content`
	c.do(chromedp.Navigate(c.url + "/#/aid/visits"))
	c.waitFor("the visits", `document.querySelector('[data-testid=visit-table] .el-table__row')`)
	c.waitFor("the table marked wide", `document.querySelector('[data-testid=visit-table]').classList.contains('scroll-x')`)
	if got := eval[string](c, hint); !strings.Contains(got, "左右滑动查看") {
		t.Errorf("a wide table on a phone shows %q, want a 左右滑动查看 hint", got)
	}
	if got := eval[string](c, `getComputedStyle(document.querySelector('[data-testid=visit-table] .el-table__body-wrapper'), '::after').backgroundImage`); !strings.Contains(got, "gradient") {
		t.Errorf("no shadow on the right edge of a wide table: %q", got)
	}
	if !eval[bool](c, `!!document.querySelector('[data-testid=export]')?.offsetParent && !!document.querySelector('[data-testid=print]')?.offsetParent`) {
		t.Error("走访记录 on a phone lacks 打印 or 导出 Excel")
	}
	c.shot("phone-visits-scroll-hint")
	c.do(chromedp.Evaluate[chromedp.Void](`(() => { const w = document.querySelector('[data-testid=visit-table] .el-table__body-wrapper .el-scrollbar__wrap'); w.scrollLeft = w.scrollWidth; })()`))
	c.waitFor("the hint gone at the right edge", `document.querySelector('[data-testid=visit-table]').classList.contains('scroll-end')`)
	if got := eval[string](c, hint); got != "none" && got != "normal" {
		t.Errorf("scrolled to the end, the table still shows %q", got)
	}
	// A narrow table is not marked.
	c.do(chromedp.Navigate(c.url + "/#/aid/attendance"))
	c.waitFor("the report", `document.querySelector('[data-testid=attendance-report] .el-table')`)
	c.shot("phone-attendance")
	c.click("print")
	c.waitFor("the print view", `document.querySelector('[data-testid=print-row]')`)
	if w := eval[float64](c, `document.documentElement.scrollWidth`); w > 390+1 {
		t.Errorf("the print view makes the page %.0f px wide on a 390 px phone", w)
	}
	c.shot("phone-print-attendance")
	c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/pairings", c.url)))
	c.waitFor("the pairings", `document.querySelector('[data-testid=pairing-table] .el-table__row')`)
	c.shot("phone-pairings")
}

// TestConsolePageShots opens, as 系统管理员 on a desktop and on a 390px
// phone, each page issue 11 changed that no other test photographs at both
// sizes (a household's 变更记录, its 一户一档, a rotation's 交接清单, 政策参数,
// 用户管理, 审计日志, 修改密码, 驻村考勤, 问题清单 and its print view) and checks each shows its content
// without making the page wider than the screen (wide tables scroll inside
// it, the 一户一档's with a 左右滑动查看 label on a phone). Screenshots <size>-<page>.png under FUPIN_SCREENSHOTS.
func TestConsolePageShots(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1366, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			c := newConsole(t, size.width, size.height)
			c.loadAid()
			ctx := context.Background()
			page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 1})
			if err != nil || len(page.Items) == 0 {
				t.Fatalf("no household: %v", err)
			}
			h, err := c.db.Household(ctx, sysActor, page.Items[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			h.Phone = "13912345678"
			if _, err := c.db.UpdateHousehold(ctx, sysActor, h); err != nil {
				t.Fatal(err)
			}
			rotations, err := c.db.ListRotations(ctx, sysActor, demo.TownshipCode, "")
			if err != nil || len(rotations) == 0 {
				t.Fatalf("no rotation: %v", err)
			}
			c.addUser("root", "系统管理员", auth.RoleAdmin, "")
			c.signInAs("root")
			fits := func(what string) {
				t.Helper()
				if w := eval[float64](c, `document.documentElement.scrollWidth`); w > float64(size.width)+1 {
					t.Errorf("%s is %.0f px wide on a %d px screen", what, w, size.width)
				}
			}
			// hash "" presses 打印 on the page before instead of opening one.
			for _, p := range []struct{ name, hash, ready, scrollTo string }{
				{"history", fmt.Sprintf("/households/%d", h.ID), `document.querySelector('[data-testid=history] .el-timeline-item')`, "history"},
				{"household-file", fmt.Sprintf("/households/%d/file", h.ID), `document.querySelector('[data-testid=file-members] tbody tr')`, ""},
				{"handover", fmt.Sprintf("/aid/rotations/%d", rotations[0].ID), `document.querySelector('[data-testid=handover-entries] tbody tr')`, "handover-entries"},
				{"policy", "/policy", `document.querySelector('[data-testid=policy-table] .el-table__row')`, ""},
				{"users", "/users", `document.querySelector('[data-testid=user-table] .el-table__row')`, ""},
				{"audit", "/audit", `document.querySelector('[data-testid=audit-table] .el-table__row')`, ""},
				{"attendance", "/aid/attendance", `document.querySelector('[data-testid=attendance-report] .el-table__row')`, ""},
				{"problems", "/problems", `document.querySelector('[data-testid=problem-village]') && document.querySelector('[data-testid=print]')`, ""},
				{"print-problems", "", `location.hash.startsWith('#/print/problems') && document.querySelector('[data-testid=print-row]')`, ""},
			} {
				if p.hash == "" {
					c.click("print")
				} else {
					c.do(chromedp.Navigate(c.url + "/#" + p.hash))
				}
				c.waitFor(p.name, p.ready)
				c.waitFor(p.name+" loaded", `!document.querySelector('.el-loading-mask')`)
				fits(p.name)
				if p.name == "household-file" {
					// The wide tables of the sheet scroll by themselves on a
					// phone, labelled; on a desktop they fit.
					box := `document.querySelector('[data-testid=file-incomes]').parentElement`
					if size.name == "phone" {
						c.waitFor("the incomes marked wide", box+`.classList.contains('scroll-x')`)
						if got := eval[string](c, `getComputedStyle(`+box+`, '::before').content`); !strings.Contains(got, "左右滑动查看") {
							t.Errorf("the 一户一档's incomes on a phone show %q, want a 左右滑动查看 hint", got)
						}
					} else if eval[bool](c, box+`.classList.contains('scroll-x')`) {
						t.Error("the 一户一档's incomes do not fit a desktop")
					}
				}
				if p.name == "print-problems" {
					// The print sheet's widest column (问题及原因) wraps within
					// the screen, and the table either fits or scrolls inside
					// its box, labelled on a phone, to its last column.
					box := `document.querySelector('[data-testid=print-scroll]')`
					last := box + `.querySelector('thead th:last-child')`
					if w := eval[float64](c, last+`.getBoundingClientRect().width`); w > float64(size.width) {
						t.Errorf("the print sheet's 问题及原因 column is %.0f px wide on a %d px screen", w, size.width)
					}
					if eval[bool](c, box+`.scrollWidth > `+box+`.clientWidth + 1`) {
						if size.name != "phone" {
							t.Error("the print sheet does not fit a desktop")
						} else {
							c.waitFor("the print sheet marked wide", box+`.classList.contains('scroll-x')`)
							if got := eval[string](c, `getComputedStyle(`+box+`, '::before').content`); !strings.Contains(got, "左右滑动查看") {
								t.Errorf("the wide print sheet on a phone shows %q, want a 左右滑动查看 hint", got)
							}
						}
					}
					c.do(chromedp.Evaluate[chromedp.Void](box + `.scrollLeft = ` + box + `.scrollWidth`))
					if r := eval[float64](c, last+`.getBoundingClientRect().right`); r > float64(size.width)+1 {
						t.Errorf("scrolled to its end, the print sheet's last column ends at %.0f px on a %d px screen", r, size.width)
					}
					c.do(chromedp.Evaluate[chromedp.Void](box + `.scrollLeft = 0`))
				}
				if p.scrollTo != "" {
					c.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('[data-testid=%s]').scrollIntoView()`, p.scrollTo)))
				}
				c.shot(size.name + "-" + p.name)
			}
			c.click("password-open")
			c.waitFor("the 修改密码 dialog", `document.querySelector('[data-testid=password-dialog] [data-testid=password-current]')?.offsetParent`)
			c.settle()
			fits("修改密码")
			c.shot(size.name + "-password")
		})
	}
}
