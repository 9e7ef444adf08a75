package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/aid"
	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

// TestConsoleHouseholdFile opens 一户一档 from a household page: the print
// view lists the members with their ID numbers, the income years, every
// verdict with its reason, the helper and the visits as the store has them;
// a county user (identities masked) gets the same file with no full ID
// number or birth date in it.
func TestConsoleHouseholdFile(t *testing.T) {
	c := newConsole(t, 1366, 900)
	c.loadAid()
	ctx := context.Background()
	visits, err := c.db.ListVisits(ctx, sysActor, aid.VisitFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil || visits.Total == 0 {
		t.Fatalf("visits: %v", err)
	}
	id := visits.Items[0].HouseholdID
	h, err := c.db.Household(ctx, sysActor, id)
	if err != nil {
		t.Fatal(err)
	}
	pairings, err := c.db.ListHouseholdPairings(ctx, sysActor, id)
	if err != nil {
		t.Fatal(err)
	}
	helper := ""
	for _, p := range pairings {
		if p.EndedOn.IsZero() {
			helper = p.CadreName
		}
	}
	a, err := c.db.AssessHousehold(ctx, sysActor, id, fupin.AssessmentYear(fupin.DateOf(time.Now())))
	if err != nil {
		t.Fatal(err)
	}
	open := func() string {
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/households/%d", c.url, id)))
		c.click("household-file")
		c.waitFor("the file", `document.querySelector('[data-testid=file-verdicts] tbody tr') && document.querySelector('[data-testid=file-visits] tbody tr') && !document.querySelector('.el-loading-mask')`)
		return c.text(`[data-testid=household-file]`)
	}

	c.signIn()
	text := open()
	var missing []string
	for _, m := range h.Members {
		if m.LeftOn.IsZero() && !strings.Contains(text, m.Name) {
			missing = append(missing, m.Name)
		}
		if m.LeftOn.IsZero() && !strings.Contains(text, m.IDNumber) {
			missing = append(missing, m.IDNumber)
		}
	}
	for _, r := range a.Verdict.Items {
		if !strings.Contains(text, r.Reason) {
			missing = append(missing, r.Reason)
		}
	}
	if helper == "" || !strings.Contains(c.text(`[data-testid=file-helper]`), helper) {
		missing = append(missing, "helper "+helper)
	}
	own, err := c.db.ListVisits(ctx, sysActor, aid.VisitFilter{HouseholdID: id, Limit: 30})
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[int](c, `document.querySelectorAll('[data-testid=file-visits] tbody tr').length`); got != len(own.Items) {
		t.Errorf("一户一档 lists %d visits, the household has %d", got, len(own.Items))
	}
	if len(h.Incomes) > 0 && eval[int](c, `document.querySelectorAll('[data-testid=file-incomes] tbody tr').length`) != len(h.Incomes) {
		t.Errorf("一户一档 income years differ from the household's %d", len(h.Incomes))
	}
	if len(missing) > 0 {
		t.Errorf("一户一档 as the township office lacks %q", missing)
	}
	c.shot("household-file-desktop")

	c.signOut()
	c.addUser("fengjie", "奉节县乡村振兴局", auth.RoleCounty, "500236")
	c.signInAs("fengjie")
	text = open()
	for _, m := range h.Members {
		if m.LeftOn.IsZero() && !strings.Contains(text, m.Name) {
			t.Errorf("masked 一户一档 lacks member %s", m.Name)
		}
		if strings.Contains(text, m.IDNumber) || strings.Contains(text, m.BirthDate.String()) {
			t.Errorf("masked 一户一档 shows %s's ID number or birth date", m.Name)
		}
		if m.LeftOn.IsZero() && !strings.Contains(text, idcard.Mask(m.IDNumber)) {
			t.Errorf("masked 一户一档 lacks %s's masked ID number %s", m.Name, idcard.Mask(m.IDNumber))
		}
	}
}
