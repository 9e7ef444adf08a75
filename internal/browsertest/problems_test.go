package browsertest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestConsoleProblems: 问题清单 shows each household's village, and the
// year can be changed (the list then holds the API's total for that year).
func TestConsoleProblems(t *testing.T) {
	c := newConsole(t, 1366, 900)
	township := fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}
	year := fupin.AssessmentYear(fupin.DateOf(time.Now()))
	page := func(y int) sqlstore.ProblemPage {
		p, err := c.db.AssessmentProblems(context.Background(), township, sqlstore.ProblemFilter{Area: demo.TownshipCode, Year: y, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	now, before := page(year), page(year-1)
	if now.Total == 0 || now.Total == before.Total {
		t.Fatalf("need problems that differ by year: %d in %d, %d in %d", now.Total, year, before.Total, year-1)
	}
	c.signIn()
	c.do(chromedp.Navigate(c.url + "/#/problems"))
	c.waitFor("the list", fmt.Sprintf(`document.querySelector('[data-testid=total]')?.innerText === %q`, strconv.Itoa(now.Total)))
	c.waitFor("the village of the first row", `document.querySelector('[data-testid=problem-village]')`)
	if got, want := c.text(`[data-testid=problem-village]`), now.Items[0].VillageName; got != want || want == "" {
		t.Errorf("first row's village %q, want %q", got, want)
	}
	c.pick("problems-year", fmt.Sprintf("%d 年度", year-1))
	c.waitFor("the other year's total", fmt.Sprintf(`location.hash.includes('year=%d') && document.querySelector('[data-testid=total]')?.innerText === %q`,
		year-1, strconv.Itoa(before.Total)))
	c.shot("problems-desktop")
}
