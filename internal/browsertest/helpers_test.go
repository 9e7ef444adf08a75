package browsertest

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// sysActor reads and prepares data for the tests (every area).
var sysActor = fupin.SystemActor("测试")

// click clicks the element marked data-testid=id.
func (c *console) click(id string) {
	c.t.Helper()
	c.waitFor(id, fmt.Sprintf(`document.querySelector('[data-testid=%q]')?.offsetParent`, id))
	c.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('[data-testid=%q]').click()`, id)))
}

// confirmBox presses the confirming button of an ElMessageBox.
func (c *console) confirmBox() {
	c.t.Helper()
	js := `[...document.querySelectorAll('.el-message-box')].find((b) => b.offsetParent)?.querySelector('.el-message-box__btns .el-button--primary')`
	c.waitFor("the confirmation box", js)
	c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
	// Wait for it to fade, so that the next box is not mistaken for this one.
	c.waitFor("the confirmation box to close", `![...document.querySelectorAll('.el-message-box')].some((b) => b.offsetParent)`)
}

// pickRemote types query into the remote el-select marked data-testid=id
// and chooses the first option whose text starts with option.
func (c *console) pickRemote(id, query, option string) {
	c.t.Helper()
	c.click(id)
	q := fmt.Sprintf(`[data-testid=%q] input, input[data-testid=%q]`, id, id)
	c.do(chromedp.SendKeys(chromedp.CSS(q), query))
	js := fmt.Sprintf(`[...document.querySelectorAll('.el-select-dropdown__item')].find((li) => li.offsetParent && li.innerText.trim().startsWith(%q))`, option)
	c.waitFor("the option "+option, js)
	c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
}

// pickFirst chooses the first visible option of the el-select marked
// data-testid=id whose text contains part.
func (c *console) pickFirst(id, part string) {
	c.t.Helper()
	c.settle()
	c.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid=%q]`, id))))
	js := fmt.Sprintf(`[...document.querySelectorAll('.el-select-dropdown__item')].find((li) => li.offsetParent && li.innerText.includes(%q))`, part)
	c.waitFor("an option with "+part, js)
	c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
}

// closed waits until no dialog is open.
func (c *console) closed(what string) {
	c.t.Helper()
	c.waitFor(what+" to close", `[...document.querySelectorAll('.el-overlay')].every((o) => getComputedStyle(o).display === 'none')`)
}

// addUser creates a user who signs in with the test password.
func (c *console) addUser(name, display string, role auth.Role, areas ...string) {
	c.t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.db.CreateUser(context.Background(), sysActor, sqlstore.User{Username: name, DisplayName: display, Role: string(role), Areas: areas}, hash); err != nil {
		c.t.Fatal(err)
	}
}

// signOut presses 退出 and waits for the sign-in page.
func (c *console) signOut() {
	c.t.Helper()
	c.click("logout")
	c.waitFor("the sign-in page", `location.hash.startsWith('#/login') && document.querySelector('[data-testid=login-submit]')`)
}

// signInAs signs in as another user (after signOut).
//
// Known defect, not yet understood: now and then the sign-in request of a
// second or third account in the same browser stays pending (the button
// keeps spinning, and the server has no request in flight). One reload and
// a second attempt are allowed, and logged, so that the tests after it
// still run; the closing note of the session that added this names it.
func (c *console) signInAs(user string) {
	c.t.Helper()
	for attempt := 1; ; attempt++ {
		err := c.trySignIn(user, attempt > 1)
		if err == nil {
			return
		}
		if attempt == 2 {
			c.shot("failure")
			c.t.Fatalf("signing in as %s: %v", user, err)
		}
		c.t.Logf("signing in as %s: %v; reloading and trying once more", user, err)
	}
}

func (c *console) trySignIn(user string, reload bool) error {
	ctx, cancel := context.WithTimeout(c.ctx, 75*time.Second)
	defer cancel()
	if reload {
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			return err
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(c.url+"/#/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[data-testid=username],[data-testid=username] input`)),
		chromedp.SendKeys(chromedp.CSS(`input[data-testid=username],[data-testid=username] input`), user),
		chromedp.SendKeys(chromedp.CSS(`input[data-testid=password],[data-testid=password] input`), password),
		chromedp.Click(chromedp.CSS(`[data-testid=login-submit]`))); err != nil {
		return err
	}
	// Password hashing is slow on a loaded machine: allow half a minute.
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`!location.hash.startsWith('#/login') && document.querySelector('[data-testid=user]')`,
		chromedp.WithPollingTimeout(30*time.Second)))
	return err
}

// settle waits until no animation runs (a dialog zooming in moves the
// elements a click aims at).
func (c *console) settle() {
	c.t.Helper()
	c.waitFor("animations to finish", `document.getAnimations().every((a) => a.playState !== 'running')`)
}
