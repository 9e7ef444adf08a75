package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// TestConsoleDueMeasures: with a measure past its end date and one ending
// in 10 days in the township, the 待办 panel shows the API's 帮扶措施 counts,
// and each count opens the 帮扶措施到期 list with the server's total and
// the same households in the same order.
func TestConsoleDueMeasures(t *testing.T) {
	c := newConsole(t, 1366, 900)
	c.loadAid()
	ctx := context.Background()
	cs := c.walkCase(c.spareHouseholds(nil)[0], 3, monitor.StageHomeCheck)
	today := todayCST()
	var err error
	for _, m := range []sqlstore.MonitorMeasure{
		{Category: "health", Content: "慢病签约服务", Responsible: "村医", StartsOn: monitor.AddDays(today, -60), EndsOn: monitor.AddDays(today, -5), Status: "active"},
		{Category: "employment", Content: "公益岗位", Responsible: "第一书记", StartsOn: monitor.AddDays(today, -60), EndsOn: monitor.AddDays(today, 10), Status: "planned"},
	} {
		if cs, err = c.db.AddMeasure(ctx, sysActor, cs.ID, cs.Version, m); err != nil {
			t.Fatal(err)
		}
	}
	township := fupin.Actor{Name: "pingan", Areas: []string{demo.TownshipCode}}
	want, err := c.db.Todo(ctx, township, "", sqlstore.TodoCaller{Role: "township", CanWrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if want.MeasuresOverdue == 0 || want.MeasuresDue == 0 {
		t.Fatalf("no due measures to show: %+v", want)
	}
	c.signIn()
	for _, due := range []struct {
		key, query string
		n          int
	}{{"measures_overdue", monitor.MeasureOverdue, want.MeasuresOverdue}, {"measures_due", monitor.MeasureSoon, want.MeasuresDue}} {
		c.visit("/#/")
		sel := fmt.Sprintf(`[data-testid=todo-%s]`, due.key)
		c.waitFor("the 待办 panel", fmt.Sprintf(`document.querySelector('%s [data-testid=todo-value]')`, sel))
		if got := count(t, c.text(sel+` [data-testid=todo-value]`)); got != due.n {
			t.Errorf("待办 %s shows %d, the API counts %d", due.key, got, due.n)
		}
		page, err := c.db.DueMeasures(ctx, township, sqlstore.MeasureFilter{Due: due.query, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var heads []string
		for _, m := range page.Items {
			heads = append(heads, m.HeadName)
		}
		c.settle()
		c.do(chromedp.Click(chromedp.CSS(sel)))
		c.waitFor("the 帮扶措施到期 list", fmt.Sprintf(`location.hash.startsWith('#/monitor/measures') && location.hash.includes('due=%s')
			&& document.querySelector('[data-testid=measures-total]')?.innerText === '%d'
			&& document.querySelectorAll('[data-testid=measure-head]').length === %d`, due.query, page.Total, len(heads)))
		got := eval[string](c, `Array.from(document.querySelectorAll('[data-testid=measure-head]')).map((e) => e.innerText.trim()).join('|')`)
		if got != strings.Join(heads, "|") {
			t.Errorf("%s list shows %q, the API lists %q", due.key, got, strings.Join(heads, "|"))
		}
		if due.n != page.Total {
			t.Errorf("%s: panel %d, list total %d", due.key, due.n, page.Total)
		}
		c.checkCJK(`[data-testid=measures-table]`)
	}
	c.shot("due-measures")
}
