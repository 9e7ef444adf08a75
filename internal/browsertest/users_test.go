package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
)

// TestConsoleUsers: a county user creates an inspector of the county in
// 用户管理, resets the new user's password and disables the account; the
// store is read after each step.
func TestConsoleUsers(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	c.addUser("fengjie", "奉节县乡村振兴局", auth.RoleCounty, "500236")
	c.signInAs("fengjie")
	user := func() (bool, string) {
		us, err := c.db.Users(ctx, sysActor)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			if u.Username == "ducha" {
				_, hash, err := c.db.UserForSignIn(ctx, "ducha")
				if err != nil {
					t.Fatal(err)
				}
				return u.Disabled, hash
			}
		}
		return false, ""
	}

	c.do(chromedp.Navigate(c.url + "/#/users"))
	c.click("user-new")
	c.typeInto("user-username", "ducha")
	c.typeInto("user-display", "县督查组")
	c.pick("user-role", "督查评估")
	c.typeInto("user-password", "Shuangqiao-River-2026")
	c.click("user-save")
	c.closed("the user dialog")
	eventually(t, func() string {
		if _, hash := user(); hash == "" {
			return "the new user is not stored"
		}
		return ""
	})

	c.click("user-reset-ducha")
	c.typeInto("reset-password", "Qingshui-Stream-2027!")
	c.click("reset-save")
	c.closed("the reset dialog")
	eventually(t, func() string {
		_, hash := user()
		if ok, _ := auth.CheckPassword(hash, "Qingshui-Stream-2027!"); !ok {
			return "the password was not reset"
		}
		return ""
	})

	// The user whose password was reset is told so at the next sign-in,
	// with the name of who reset it. (Reset once more to the password
	// signInAs types.)
	c.click("user-reset-ducha")
	c.typeInto("reset-password", password)
	c.click("reset-save")
	c.closed("the reset dialog")
	c.signOut()
	c.signInAs("ducha")
	c.waitFor("the reset notice", `document.querySelector('[data-testid=password-reset-notice]')`)
	if got := c.text(`[data-testid=password-reset-notice]`); !strings.Contains(got, "被 奉节县乡村振兴局 重置") {
		t.Errorf("reset notice %q, want it to name 奉节县乡村振兴局", got)
	}
	c.shot("password-reset-notice")
	c.signOut()
	c.signInAs("fengjie")
	c.do(chromedp.Navigate(c.url + "/#/users"))
	c.waitFor("the user list", `document.querySelector('[data-testid=user-toggle-ducha]')`)
	c.click("user-toggle-ducha")
	c.confirmBox()
	eventually(t, func() string {
		if disabled, _ := user(); !disabled {
			return "the user was not disabled"
		}
		return ""
	})
	c.waitFor("已停用 in the list", fmt.Sprintf(`[...document.querySelectorAll('[data-testid=user-table] tbody tr')].some((tr) => tr.innerText.includes(%q) && tr.innerText.includes('已停用'))`, "ducha"))
	c.shot("users")
}
