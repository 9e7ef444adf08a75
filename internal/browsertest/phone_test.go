package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
