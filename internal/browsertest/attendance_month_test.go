package browsertest

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// fakeToday makes the pages loaded from now on believe it is at (an
// RFC 3339 time): Date() and Date.now() answer it.
func (c *console) fakeToday(at string) {
	c.t.Helper()
	js := fmt.Sprintf(`(() => {
	  const D = Date, fixed = new D(%q).getTime()
	  function Fake(...a) { return new.target ? new D(...(a.length ? a : [fixed])) : new D(fixed).toString() }
	  Fake.prototype = D.prototype
	  Object.assign(Fake, { now: () => fixed, UTC: D.UTC, parse: D.parse })
	  window.Date = Fake
	})()`, at)
	if _, err := chromedp.Call(c.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		c.t.Fatal(err)
	}
}

// TestConsoleAttendanceDefaultMonth: 驻村考勤 opens on the month just ended
// before the 5th (the month to review) and on the current month from the
// 5th, when it says the requirement is pro-rated to today.
func TestConsoleAttendanceDefaultMonth(t *testing.T) {
	c := newConsole(t, 1366, 900)
	c.signIn()
	// The report's first line names its month ("2026-02：每人当月…").
	month := `(document.querySelector('[data-testid=attendance-summary]')?.innerText ?? '').split('：')[0]`
	for _, tt := range []struct{ today, want string }{
		{"2026-03-04T23:30:00+08:00", "2026-02"},
		{"2026-01-02T09:00:00+08:00", "2025-12"},
		{"2026-03-05T00:30:00+08:00", "2026-03"},
	} {
		c.fakeToday(tt.today)
		// A new document (the query differs) runs the fake clock first.
		c.do(chromedp.Navigate(fmt.Sprintf("%s/?day=%s#/aid/attendance", c.url, tt.today[:10])))
		c.waitFor("the report", month+` !== ''`)
		if got := eval[string](c, month); got != tt.want {
			t.Errorf("on %s 驻村考勤 opens on %s, want %s", tt.today, got, tt.want)
		}
		if tt.want == tt.today[:7] {
			c.waitFor("the pro-rating note", `document.querySelector('[data-testid=attendance-summary]')?.innerText.includes('截至今天（`+tt.today[:10]+`）')`)
		}
	}
}
