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
	"fupin/internal/redact"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

// TestConsoleCountyAudit: the county account (fengjie) finds 审计日志 in
// the menu, filters the log by action, account and household, and sees
// exactly the store's entries of its county — a household registered in
// 平安乡 but not one registered in 巫山县 — with identities masked and no
// chain-check button (the page says it is the administrator's).
func TestConsoleCountyAudit(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	inside := c.registerCopy(fupin.Actor{Name: "pingan", Areas: []string{demo.TownshipCode}}, demo.TownshipCode+"200", "19580314", 91)
	towns, err := region.Children("500237")
	if err != nil || len(towns) == 0 {
		t.Fatalf("巫山县 townships: %v", err)
	}
	villages, err := region.Children(towns[0].Code)
	if err != nil || len(villages) == 0 {
		t.Fatalf("巫山县 villages: %v", err)
	}
	c.addUser("wushan", "巫山县某乡", auth.RoleTownship, towns[0].Code)
	outside := c.registerCopy(fupin.Actor{Name: "wushan", Areas: []string{towns[0].Code}}, villages[0].Code, "19590415", 92)

	c.addUser("fengjie", "奉节县乡村振兴局", auth.RoleCounty, "500236")
	c.signInAs("fengjie")
	c.waitFor("the 审计日志 menu entry", `[...document.querySelectorAll('.el-menu-item')].some((m) => m.innerText.includes('审计日志'))`)
	c.do(chromedp.Navigate(c.url + "/#/audit"))
	c.waitFor("the scope notice", `document.querySelector('[data-testid=audit-scope]')`)
	if eval[bool](c, `!!document.querySelector('[data-testid=audit-verify]')`) {
		t.Error("the county page shows the chain-check button; verify is the administrator's")
	}
	if got := c.text(`[data-testid=audit-scope]`); !strings.Contains(got, "系统管理员") {
		t.Errorf("scope notice %q does not say the chain check is the administrator's", got)
	}

	c.pick("audit-action", "新增农户")
	c.click("audit-search")
	rows := c.auditRows("action=household.create")
	county := fupin.Actor{Name: "fengjie", Areas: []string{"500236"}}
	page, err := c.db.AuditLog(ctx, county, sqlstore.AuditFilter{Action: "household.create"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(page.Items) || len(rows) == 0 {
		t.Errorf("%d rows shown, the county's log has %d household.create entries", len(rows), len(page.Items))
	}
	text := strings.Join(rows, "\n")
	if !strings.Contains(text, fmt.Sprintf("#%d", inside.ID)) || strings.Contains(text, fmt.Sprintf("#%d", outside.ID)) {
		t.Errorf("rows %q: want household #%d of 平安乡 and not #%d of 巫山县", rows, inside.ID, outside.ID)
	}
	for _, h := range []*fupin.Household{inside, outside} {
		for _, m := range h.Members {
			if strings.Contains(text, m.IDNumber) || strings.Contains(text, m.IDNumber[6:14]) {
				t.Errorf("an audit row shows the ID number or birth date of %s", m.IDNumber)
			}
		}
	}
	// The answer behind the rows, as the page's session gets it: before/after
	// documents masked (ID numbers 4+4, birth dates to the year).
	eval[bool](c, `window.__audit = null; fetch('/api/v1/audit?action=household.create&limit=200').then((r) => r.text()).then((t) => { window.__audit = t }); true`)
	c.waitFor("the audit answer", `window.__audit !== null`)
	answer := eval[string](c, `window.__audit`)
	if head := inside.Members[0].IDNumber; !strings.Contains(answer, redact.ID(head)) {
		t.Errorf("the county's answer lacks the masked number %s", redact.ID(head))
	}
	for _, h := range []*fupin.Household{inside, outside} {
		for _, m := range h.Members {
			b := m.IDNumber[6:14]
			for _, v := range []string{m.IDNumber, b, b[:4] + "-" + b[4:6] + "-" + b[6:]} {
				if strings.Contains(answer, v) {
					t.Errorf("the county's audit answer holds %s (of %s)", v, m.IDNumber)
				}
			}
		}
	}

	// Another county's account and household: nothing, whatever the filter.
	for _, f := range []struct{ field, value, hash string }{
		{"audit-actor", "wushan", "actor=wushan"},
		{"audit-household", fmt.Sprint(outside.ID), fmt.Sprintf("household_id=%d", outside.ID)},
	} {
		c.do(chromedp.Navigate(c.url + "/#/audit"))
		c.waitFor("the scope notice", `document.querySelector('[data-testid=audit-scope]')`)
		c.typeInto(f.field, f.value)
		c.click("audit-search")
		if rows := c.auditRows(f.hash); len(rows) != 0 {
			t.Errorf("filter %s shows %q of 巫山县", f.hash, rows)
		}
	}
	c.do(chromedp.Navigate(c.url + "/#/audit?actor=pingan"))
	if rows := c.auditRows("actor=pingan"); len(rows) == 0 || !strings.Contains(strings.Join(rows, "\n"), "新增农户") {
		t.Errorf("pingan's entries: %q, want its 新增农户", rows)
	}
	c.shot("county-audit")
}

// registerCopy registers, as actor, a copy of a demo household in village
// with fresh ID numbers born on birth (YYYYMMDD), seq apart.
func (c *console) registerCopy(actor fupin.Actor, village, birth string, seq int) *fupin.Household {
	c.t.Helper()
	ctx := context.Background()
	page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil || len(page.Items) == 0 {
		c.t.Fatalf("a demo household: %v", err)
	}
	h, err := c.db.Household(ctx, sysActor, page.Items[0].ID)
	if err != nil {
		c.t.Fatal(err)
	}
	h.ID, h.HouseholdNo, h.VillageCode, h.Incomes = 0, "", village, nil
	for i := range h.Members {
		h.Members[i].ID = 0
		h.Members[i].IDNumber = newID(birth, seq*10+i)
	}
	h.Members = h.Members[:1]
	made, err := c.db.CreateHousehold(ctx, actor, h)
	if err != nil {
		var fields map[string]string
		if e, ok := err.(*fupin.Error); ok {
			fields = e.Fields
		}
		c.t.Fatalf("registering a household in %s: %v %v", village, err, fields)
	}
	return made
}

// auditRows waits for the audit table to answer the query hash and returns
// its rows' text (none when the table is empty).
func (c *console) auditRows(hash string) []string {
	c.t.Helper()
	c.waitFor("the filtered log", `location.hash.includes('`+hash+`') && (document.querySelector('[data-testid=audit-result]')?.dataset.loaded ?? '').includes('`+hash+`')`)
	return eval[[]string](c, `[...document.querySelectorAll('[data-testid=audit-table] tbody tr')].map((tr) => tr.innerText).filter((t) => !t.includes('没有符合条件的记录'))`)
}
