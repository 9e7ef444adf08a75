package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// actionHousehold finds a household of the console's township with at least
// two current members, one of them not the 户主, and no income recorded for
// the current year. It returns the household and that member.
func (c *console) actionHousehold() (*fupin.Household, fupin.Member) {
	c.t.Helper()
	ctx, sys := context.Background(), fupin.SystemActor("测试")
	page, err := c.db.ListHouseholds(ctx, sys, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 100})
	if err != nil {
		c.t.Fatal(err)
	}
	year := time.Now().In(china).Year()
	for _, it := range page.Items {
		if it.Size < 3 {
			continue
		}
		h, err := c.db.Household(ctx, sys, it.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		recorded := false
		for _, in := range h.Incomes {
			recorded = recorded || in.Year == year
		}
		if recorded {
			continue
		}
		for _, m := range h.Members {
			if m.Active() && m.Relation != "head" && m.JoinedOn.IsZero() {
				return h, m
			}
		}
	}
	c.t.Fatal("no household with three members and no income this year")
	return nil, fupin.Member{}
}

var china = time.FixedZone("CST", 8*3600)

// yuanText is an amount as the console shows it: 12,066.67.
func yuanText(m fupin.Money) string {
	s := m.String() // 12066.67 or -5.00
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String() + "." + frac
	}
	return b.String() + "." + frac
}

// pick chooses an option of the el-select marked data-testid=sel by its
// label.
func (c *console) pick(sel, option string) {
	c.t.Helper()
	c.settle()
	c.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid=%s]`, sel))))
	js := fmt.Sprintf(`[...document.querySelectorAll('.el-select-dropdown__item')].find((li) => li.offsetParent && li.innerText.trim() === %q)`, option)
	c.waitFor("the option "+option, js)
	c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
	c.waitFor(option+" chosen", fmt.Sprintf(`document.querySelector('[data-testid=%s]').closest('.el-select').innerText.includes(%q)`, sel, option))
}

// typeInto replaces the text of the input marked data-testid=sel.
func (c *console) typeInto(sel, text string) {
	c.t.Helper()
	q := fmt.Sprintf(`input[data-testid=%[1]s],[data-testid=%[1]s] input,textarea[data-testid=%[1]s],[data-testid=%[1]s] textarea`, sel)
	c.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const i = document.querySelector(%q); i.value = ''; i.dispatchEvent(new Event('input')); })()`, q)),
		chromedp.SendKeys(chromedp.CSS(q), text))
}

// TestConsoleHouseholdActions records a year's income on a household page
// and sees the per-capita net income the server computed, then 减员 a
// member who is not the 户主 and sees them under 已减员.
func TestConsoleHouseholdActions(t *testing.T) {
	c := newConsole(t, 1366, 768)
	h, leaver := c.actionHousehold()
	c.signIn()
	c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, h.ID)))
	c.waitFor("the members", `document.querySelectorAll('[data-testid=members] tbody tr').length > 0`)
	year := time.Now().In(china).Year()

	t.Run("record an income year", func(t *testing.T) {
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=income-add]`)))
		c.waitFor("the income dialog", `document.querySelector('[data-testid=income-dialog] [data-testid=income-year]')?.offsetParent`)
		c.pick("income-year", fmt.Sprintf("%d 年度", year))
		c.typeInto("income-wage", "30000")
		c.typeInto("income-business", "6000")
		c.typeInto("income-transfer", "1200.5")
		c.typeInto("income-business_expense", "1000")
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=income-save]`)))
		c.waitFor("the computed result", `document.querySelector('[data-testid=income-result-per-capita]')`)

		after, err := c.db.Household(context.Background(), fupin.SystemActor("测试"), h.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got *fupin.IncomeYear
		for i := range after.Incomes {
			if after.Incomes[i].Year == year {
				got = &after.Incomes[i]
			}
		}
		if got == nil || got.PerCapitaNet == nil {
			t.Fatalf("no income with a per-capita net for %d after saving: %+v", year, after.Incomes)
		}
		if want := fupin.YuanToMoney(36200.5); got.Net != want {
			t.Errorf("net %s, want %s", got.Net, want)
		}
		want := yuanText(*got.PerCapitaNet)
		if shown := c.text(`[data-testid=income-result-per-capita]`); shown != want {
			t.Errorf("the dialog shows per-capita net %q, want %q", shown, want)
		}
		if shown := c.text(`[data-testid=income-result-net]`); shown != "36,200.50" {
			t.Errorf("the dialog shows net %q, want 36,200.50", shown)
		}
		c.checkCJK(`[data-testid=income-result] .muted`)
		c.shot("actions-1-income")
		c.do(chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('[data-testid=income-dialog] .el-dialog__footer button')].find((b) => b.innerText.includes('关闭')).click()`))
		c.waitFor("the income row", fmt.Sprintf(`document.querySelector('[data-testid=per-capita][data-year="%d"]')?.innerText === %q`, year, want))
		c.waitFor("the dialog to close", `[...document.querySelectorAll('.el-overlay')].every((o) => getComputedStyle(o).display === 'none')`)
	})

	t.Run("a member leaves", func(t *testing.T) {
		c.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid=leave-%d]`, leaver.ID))))
		c.waitFor("the leave dialog", `document.querySelector('[data-testid=member-leave-dialog] [data-testid=member-leave-reason]')?.offsetParent`)
		// Without a reason the API says so beside the field.
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=member-leave-save]`)))
		c.waitFor("the field error", `document.querySelector('[data-testid=member-leave-reason]')?.closest('.el-form-item')?.querySelector('.el-form-item__error')`)
		c.pick("member-leave-reason", "迁出")
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=member-leave-save]`)))
		c.waitFor("the member under 已减员", fmt.Sprintf(`document.querySelector('[data-testid=left-members]')?.innerText.includes(%q)`, leaver.Name))
		if n := eval[int](c, `document.querySelectorAll('[data-testid=members] .el-table__body-wrapper tbody tr').length`); n != h.Size-1 {
			t.Errorf("%d current members shown after 减员, want %d", n, h.Size-1)
		}
		if got := c.text(`[data-testid=left-members]`); !strings.Contains(got, "迁出") {
			t.Errorf("已减员 shows %q, want the reason 迁出", got)
		}
		c.shot("actions-2-left")
	})
}
