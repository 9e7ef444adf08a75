package browsertest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// TestConsoleSignInAndOwnPassword: opening the sign-in page answers no
// request with 401 (the console asks /api/v1/session, which says "not
// signed in" with 200); then the user changes their own password in 修改密码,
// is told beside the field when the current password is wrong, and signs
// in again with the new one.
func TestConsoleSignInAndOwnPassword(t *testing.T) {
	c := newConsole(t, 1366, 768)
	var unauthorized atomic.Int32
	if err := chromedp.Listen(c.ctx, func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok && e.Response != nil && e.Response.Status == 401 {
			unauthorized.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	c.do(chromedp.Navigate(c.url + "/"))
	c.waitFor("the sign-in page", `location.hash.startsWith('#/login') && document.querySelector('[data-testid=login-submit]')`)
	if n := unauthorized.Load(); n != 0 {
		t.Errorf("opening the console answered %d requests with 401", n)
	}
	c.addUser("tiantai", "天台村村委会", auth.RoleVillage, "500236266200")
	c.signInAs("tiantai")

	const next = "Shuangqiao-River-2026"
	c.click("password-open")
	c.typeInto("password-current", "not-the-password")
	c.typeInto("password-new", next)
	c.typeInto("password-again", next)
	c.click("password-save")
	c.waitFor("the field error", `document.querySelector('input[data-testid=password-current],[data-testid=password-current] input')?.closest('.el-form-item')?.querySelector('.el-form-item__error')?.innerText.includes('当前密码不正确')`)
	c.shot("self-password-wrong-current")
	c.typeInto("password-current", password)
	c.click("password-save")
	c.closed("the password dialog")
	eventually(t, func() string {
		_, hash, err := c.db.UserForSignIn(c.ctx, "tiantai")
		if err != nil {
			return err.Error()
		}
		if ok, _ := auth.CheckPassword(hash, next); !ok {
			return "the stored password is not the new one"
		}
		return ""
	})
	c.signOut()
	c.do(chromedp.Navigate(c.url+"/#/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[data-testid=username],[data-testid=username] input`)),
		chromedp.SendKeys(chromedp.CSS(`input[data-testid=username],[data-testid=username] input`), "tiantai"),
		chromedp.SendKeys(chromedp.CSS(`input[data-testid=password],[data-testid=password] input`), next),
		chromedp.Click(chromedp.CSS(`[data-testid=login-submit]`)))
	c.waitFor("signed in with the new password", `!location.hash.startsWith('#/login') && document.querySelector('[data-testid=user]')`)
}

// TestConsolePhoneSignals: on a 390px phone the 风险信号 of a household
// wrap inside the screen instead of being cut off.
func TestConsolePhoneSignals(t *testing.T) {
	c := newConsole(t, 390, 844)
	ctx := context.Background()
	page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 300})
	if err != nil {
		t.Fatal(err)
	}
	// The household whose longest signal is the longest: the one most likely cut.
	var id int64
	longest := 0
	for _, h := range page.Items {
		a, err := c.db.AssessHousehold(ctx, sysActor, h.ID, fupin.AssessmentYear(fupin.DateOf(time.Now())))
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.Verdict.Signals {
			if n := len([]rune(a.Verdict.Signals[i].Text())); n > longest {
				id, longest = h.ID, n
			}
		}
	}
	if id == 0 {
		t.Fatal("no household with a risk signal in the demo township")
	}
	c.signIn()
	c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, id)))
	c.waitFor("the signals", `document.querySelectorAll('.signals .el-tag').length > 0`)
	// Tags zoom in: measure once their animation is over.
	c.waitFor("the tags drawn", `[...document.querySelectorAll('.signals .el-tag')].every((t) => t.getAnimations({ subtree: true }).length === 0 && t.getBoundingClientRect().width > 0)`)
	cut := eval[[]string](c, `[...document.querySelectorAll('.signals .el-tag')]
	  .filter((t) => {
	    // Where the text itself is drawn: beyond the tag or the screen is cut.
	    const r = document.createRange(); r.selectNodeContents(t)
	    const text = r.getBoundingClientRect(), tag = t.getBoundingClientRect()
	    return text.right > Math.min(tag.right, window.innerWidth) + 1 || text.left < tag.left - 1
	  })
	  .map((t) => t.innerText)`)
	if len(cut) > 0 {
		t.Errorf("risk signals cut off on a phone: %q", cut)
	}
	c.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('.signals').scrollIntoView()`))
	c.shot("phone-4-signals")
}
