package browsertest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestConsolePrintDefaultArea opens the 问题清单 print view directly (a
// bookmark, a shared link: no area in the address) as a township account:
// the sheet lists the account's own area, as the list page does, with as
// many rows as the store's problems of that area, and no error.
func TestConsolePrintDefaultArea(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	township := fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}
	want, err := c.db.AssessmentProblems(ctx, township, sqlstore.ProblemFilter{Area: demo.TownshipCode,
		Year: fupin.AssessmentYear(fupin.DateOf(time.Now())), Status: "fail", Limit: 1})
	if err != nil || want.Total == 0 {
		t.Fatalf("problems of the township: %d %v", want.Total, err)
	}
	c.signIn()
	c.do(chromedp.Navigate(c.url + "/#/print/problems"))
	c.waitFor("the print view or its error", `document.querySelector('[data-testid=print-error]') || document.querySelector('[data-testid=print-row]')`)
	if msg := eval[string](c, `document.querySelector('[data-testid=print-error]')?.innerText ?? ''`); msg != "" {
		t.Fatalf("the print view opened without an area says %q", msg)
	}
	c.waitFor("the printed total", fmt.Sprintf(`document.querySelector('[data-testid=print-total]')?.innerText === %q`, strconv.Itoa(want.Total)))
	if got := eval[int](c, `document.querySelectorAll('[data-testid=print-row]').length`); got != want.Total {
		t.Errorf("the print view lists %d rows, the store %d problems in 平安乡", got, want.Total)
	}
	if title := eval[string](c, `document.querySelector('[data-testid=print-sheet] h1').innerText`); !strings.HasPrefix(title, "平安乡") {
		t.Errorf("the print view's title is %q, want the account's area 平安乡", title)
	}
}
