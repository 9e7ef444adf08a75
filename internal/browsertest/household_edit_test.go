package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

// newID is a valid ID number born on birth (YYYYMMDD) in 平安乡's county.
func newID(birth string, seq int) string {
	s := fmt.Sprintf("500236%s%03d", birth, seq)
	return s + string(idcard.CheckChar(s))
}

// TestConsoleHouseholdEdit adds a member in the 增员 dialog, edits a
// household and one of its members in the edit form, deletes a household,
// and, as a village user, registers a new household; after each the
// household is read back from the store.
func TestConsoleHouseholdEdit(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	h, _ := c.actionHousehold()
	c.signIn()
	reload := func() *fupin.Household {
		got, err := c.db.Household(ctx, sysActor, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	t.Run("增员", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, h.ID)))
		c.click("member-add")
		c.pick("member-add-reason", "出生")
		c.typeInto("member-add-name", "新生儿")
		c.typeInto("member-add-id", newID(time.Now().AddDate(0, -2, 0).Format("20060102"), 17))
		c.pick("member-add-relation", "之孙子")
		c.click("member-add-save")
		c.closed("the member dialog")
		eventually(t, func() string {
			for _, m := range reload().Members {
				if m.Name == "新生儿" && m.Active() && m.JoinReason == "birth" {
					return ""
				}
			}
			return "the new member is not in the household"
		})
	})

	t.Run("编辑农户和成员", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d/edit", c.url, h.ID)))
		c.waitFor("the form", `document.querySelector('input[data-testid=member-1-name],[data-testid=member-1-name] input')?.value`)
		c.typeInto("phone", "13800138000")
		c.typeInto("member-1-name", "改过的名字")
		c.click("save")
		c.waitFor("the household page", fmt.Sprintf(`location.hash === '#/households/%d'`, h.ID))
		eventually(t, func() string {
			got := reload()
			if got.Phone != "13800138000" {
				return fmt.Sprintf("phone %q after saving", got.Phone)
			}
			for _, m := range got.Members {
				if m.Name == "改过的名字" {
					return ""
				}
			}
			return "no member was renamed"
		})
	})

	t.Run("成员有误时什么都不保存", func(t *testing.T) {
		before := reload()
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d/edit", c.url, h.ID)))
		c.waitFor("the form", `document.querySelector('input[data-testid=member-1-id],[data-testid=member-1-id] input')?.value`)
		c.typeInto("phone", "13900139000")
		c.typeInto("member-1-name", "不该保存的名字")
		c.typeInto("member-1-id", "500236198001011234")
		c.click("save")
		c.waitFor("the message", `document.querySelector('[data-testid=form-error]')`)
		if msg := c.text(`[data-testid=form-error]`); !strings.Contains(msg, "均未保存") {
			t.Errorf("the form says %q, want that nothing was saved", msg)
		}
		c.waitFor("the error beside the member's ID number", `document.querySelector('[data-testid=member-1] .idno .el-form-item__error')`)
		got := reload()
		if got.Phone != before.Phone || got.Version != before.Version {
			t.Errorf("phone %q version %d after a refused edit, want %q %d: part of the edit was saved", got.Phone, got.Version, before.Phone, before.Version)
		}
		for _, m := range got.Members {
			if m.Name == "不该保存的名字" {
				t.Error("the member's new name was saved although the edit was refused")
			}
		}
	})

	t.Run("变更记录读得懂", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, h.ID)))
		c.waitFor("the history", `document.querySelectorAll('[data-testid=history] .el-timeline-item').length >= 3`)
		got := c.text(`[data-testid=history]`)
		for _, want := range []string{"修改农户信息", "联系电话：", "→ 13800138000", "修改成员", "姓名：", "→ 改过的名字", "增员", "平安乡指挥部办公室（pingan）"} {
			if !strings.Contains(got, want) {
				t.Errorf("the history lacks %q: %s", want, got)
			}
		}
		for _, code := range []string{"household.update", "member.", "phone", "name"} {
			if strings.Contains(got, code) {
				t.Errorf("the history shows the code %q: %s", code, got)
			}
		}
		c.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=history]').scrollIntoView()`))
		c.shot("desktop-6-history")
	})

	t.Run("删除农户", func(t *testing.T) {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, h.ID)))
		c.click("delete")
		c.typeInto("delete-reason", "重复建档")
		c.click("delete-confirm")
		c.confirmBox()
		eventually(t, func() string {
			got, err := c.db.Household(ctx, sysActor, h.ID)
			if err == nil && got.DeletedAt == nil {
				return "the household is not deleted"
			}
			return ""
		})
	})

	t.Run("新增农户", func(t *testing.T) {
		village := h.VillageCode
		c.addUser("cunwei", "村委会", auth.RoleVillage, village)
		c.signOut()
		c.signInAs("cunwei")
		c.do(chromedp.Navigate(c.url + "/#/households/new"))
		id := newID("19800101", 23)
		c.waitFor("the form", `document.querySelector('input[data-testid=member-0-name],[data-testid=member-0-name] input')`)
		// 监测对象类型 offers the categories in force for the village this year, as the server checks them.
		cats, err := c.db.MonitorCategoriesFor(ctx, sysActor, village, todayCST().Time().Year())
		if err != nil || len(cats.Effective) == 0 || len(cats.Effective) >= len(cats.Known) {
			t.Fatalf("categories of %s: %+v %v", village, cats, err)
		}
		var want []string
		for _, it := range cats.Effective {
			want = append(want, it.Label)
		}
		c.settle() // the categories of the village have arrived
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=monitor-type]`)))
		shown := `[...document.querySelectorAll('.el-select-dropdown__item')].filter((e) => e.offsetParent !== null).map((e) => e.innerText.trim())`
		c.waitFor("the category options", shown+`.length > 0`)
		if got := eval[[]string](c, shown); strings.Join(got, "、") != strings.Join(want, "、") {
			t.Errorf("监测对象类型 offers %q, the server allows %q in %s", got, want, village)
		}
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=monitor-type]`))) // closes the list
		c.typeInto("member-0-name", "新户主")
		c.typeInto("member-0-id", id)
		c.click("save")
		c.waitFor("the new household", `/^#\/households\/\d+$/.test(location.hash)`)
		page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Query: "新户主", Limit: 5})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("households of 新户主: %d, %v", len(page.Items), err)
		}
		if got := page.Items[0]; got.VillageCode != village || !strings.HasSuffix(eval[string](c, `location.hash`), fmt.Sprint(got.ID)) {
			t.Errorf("new household %d in %s, page %s", got.ID, got.VillageCode, eval[string](c, `location.hash`))
		}
	})
}
