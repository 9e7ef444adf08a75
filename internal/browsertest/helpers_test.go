package browsertest

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/page"
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

// signOut presses 退出 and waits for the sign-in page with the sign-out
// answered and no request of the previous account in flight.
func (c *console) signOut() {
	c.t.Helper()
	c.click("logout")
	c.waitFor("the sign-in page, idle", onLoginJS+` && `+idleJS)
}

// signInAs signs in as user: from the sign-in page when it shows (after
// signOut), else from a newly loaded one.
//
// It waits for concrete states of the app rather than for elements that
// may belong to the page being left: the sign-in form mounted and idle (no
// fetch in flight, counted by trackFetches) before typing; the fields
// holding what was typed before submitting (set as values, not typed
// key by key, so nothing of an earlier attempt stays in them); submitted
// with a DOM click (a click at coordinates misses while the page still
// moves); then the signed-in shell, or the error the page shows. Should
// the sign-in still not complete, the page's state is logged and one more
// attempt is made from a newly loaded page.
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
		c.t.Logf("signing in as %s: %v; loading the sign-in page anew and trying once more", user, err)
	}
}

const (
	// onLoginJS: the router shows the sign-in page and its form is mounted.
	onLoginJS = `location.hash.startsWith('#/login') && !!document.querySelector('[data-testid=login-submit]')`
	// idleJS: the document has loaded and none of its fetches is in flight.
	idleJS = `document.readyState === 'complete' && window.__fupinInflight === 0`
	// signedInJS: the shell of a signed-in user shows.
	signedInJS = `!location.hash.startsWith('#/login') && !!document.querySelector('[data-testid=user]')`
)

func (c *console) trySignIn(user string, reload bool) error {
	ctx, cancel := context.WithTimeout(c.ctx, 75*time.Second)
	defer cancel()
	poll := func(js string, timeout time.Duration) error {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(timeout)))
		return err
	}
	onLogin, err := chromedp.Run(ctx, chromedp.Evaluate[bool](onLoginJS))
	if err != nil {
		return err
	}
	if reload || !onLogin {
		// A new document: a hash change alone would leave the page being
		// left (and its requests) in place while the router switches.
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(c.url+"/#/login")); err != nil {
			return err
		}
	}
	if err := poll(onLoginJS+` && `+idleJS+` && !document.querySelector('[data-testid=login-submit]').classList.contains('is-loading')`, 20*time.Second); err != nil {
		return fmt.Errorf("the sign-in form did not become ready: %w (%s)", err, c.pageState(ctx))
	}
	fill := fmt.Sprintf(`(() => {
	  const set = (id, v) => {
	    const el = document.querySelector('input[data-testid=' + id + '],[data-testid=' + id + '] input')
	    el.value = v
	    el.dispatchEvent(new Event('input', { bubbles: true }))
	  }
	  set('username', %q)
	  set('password', %q)
	})()`, user, password)
	filled := fmt.Sprintf(`(() => {
	  const get = (id) => document.querySelector('input[data-testid=' + id + '],[data-testid=' + id + '] input')?.value
	  return get('username') === %q && get('password') === %q
	})()`, user, password)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fill)); err != nil {
		return err
	}
	if err := poll(filled, 5*time.Second); err != nil {
		return fmt.Errorf("the sign-in fields do not hold what was set: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=login-submit]').click()`)); err != nil {
		return err
	}
	// Password hashing is slow on a loaded machine: allow 45 seconds.
	if err := poll(`(`+signedInJS+`) || !!document.querySelector('[data-testid=login-error]')`, 45*time.Second); err != nil {
		return fmt.Errorf("no answer to the sign-in: %w (%s)", err, c.pageState(ctx))
	}
	if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid=login-error]')?.innerText ?? ''`)); msg != "" {
		return fmt.Errorf("the sign-in page says %q", msg)
	}
	return nil
}

// pageState describes the page for a failure message.
func (c *console) pageState(ctx context.Context) string {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({url: location.href, ready: document.readyState,
	  inflight: window.__fupinInflight, loading: !!document.querySelector('[data-testid=login-submit].is-loading')})`))
	if err != nil {
		return err.Error()
	}
	return s
}

// trackFetches makes every document loaded from now on count its fetches
// in flight in window.__fupinInflight (idleJS waits for none).
func (c *console) trackFetches() {
	c.t.Helper()
	js := `(() => {
	  window.__fupinInflight = 0
	  const f = window.fetch.bind(window)
	  window.fetch = (...a) => {
	    window.__fupinInflight++
	    return f(...a).finally(() => { window.__fupinInflight-- })
	  }
	})()`
	if _, err := chromedp.Call(c.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		c.t.Fatal(err)
	}
}

// settle waits until no animation runs (a dialog zooming in moves the
// elements a click aims at).
func (c *console) settle() {
	c.t.Helper()
	c.waitFor("animations to finish", `document.getAnimations().every((a) => a.playState !== 'running')`)
}
