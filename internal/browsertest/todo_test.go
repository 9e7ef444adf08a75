package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestConsoleTodo: 总览 shows the 待办 panel of the signed-in township with
// the API's counts, and a count opens the list holding exactly those
// records (未落实帮扶人 → 结对帮扶's unpaired list).
func TestConsoleTodo(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1366, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			c := newConsole(t, size.width, size.height)
			c.loadAid()
			township := fupin.Actor{Name: "pingan", Areas: []string{demo.TownshipCode}}
			want, err := c.db.Todo(context.Background(), township, "", sqlstore.TodoCaller{Role: "township", CanWrite: true})
			if err != nil {
				t.Fatal(err)
			}
			if want.Unpaired == 0 || want.RotationsToConfirm == 0 {
				t.Fatalf("the demo has nothing to do: %+v", want)
			}
			c.signIn()
			c.waitFor("the 待办 panel", `document.querySelector('[data-testid=todo-unpaired] [data-testid=todo-value]')`)
			for key, n := range map[string]int{"unpaired": want.Unpaired, "overdue_visits": want.OverdueVisits, "uncovered": want.Uncovered,
				"rotations_to_confirm": want.RotationsToConfirm, "terms_ending": want.TermsEnding, "leaves_pending": want.LeavesPending,
				"applications_open": want.ApplicationsOpen} {
				if got := count(t, c.text(fmt.Sprintf(`[data-testid=todo-%s] [data-testid=todo-value]`, key))); got != n {
					t.Errorf("待办 %s shows %d, the API counts %d", key, got, n)
				}
			}
			c.checkCJK(`[data-testid=todo] h3`)
			c.shot("todo-" + size.name)
			c.do(chromedp.Click(chromedp.CSS(`[data-testid=todo-unpaired]`)))
			c.waitFor("the unpaired list", fmt.Sprintf(`location.hash.startsWith('#/aid/pairings') && document.querySelector('[data-testid=unpaired-count]')?.innerText === '%d'`, want.Unpaired))
		})
	}
}
