package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"fupin/internal/aid"
	"fupin/internal/criteria"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// allowDownloads makes Chromium save downloads into a new directory, which
// it returns.
func (c *console) allowDownloads() string {
	c.t.Helper()
	dir := c.t.TempDir()
	yes := true
	if _, err := chromedp.CallBrowser(c.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: &yes}); err != nil {
		c.t.Fatal(err)
	}
	return dir
}

// exportFile presses the 导出 Excel button marked testid, waits for the
// download in dir and returns its file name and its rows after the header.
func (c *console) exportFile(dir, testid string) (string, [][]string) {
	c.t.Helper()
	c.click(testid)
	deadline := time.Now().Add(30 * time.Second)
	for {
		names, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		if len(names) == 1 {
			f, err := excelize.OpenFile(names[0])
			if err == nil {
				rows, err := f.GetRows(f.GetSheetList()[0])
				f.Close()
				os.Remove(names[0])
				if err != nil || len(rows) == 0 {
					c.t.Fatalf("%s: rows %v", names[0], err)
				}
				return filepath.Base(names[0]), rows[1:]
			}
		}
		if time.Now().After(deadline) {
			c.shot("failure")
			c.t.Fatalf("no download from %s in %s", testid, dir)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// column is the i-th cell of each row.
func column(rows [][]string, i int) []string {
	out := make([]string, len(rows))
	for k, r := range rows {
		if i < len(r) {
			out[k] = r[i]
		}
	}
	return out
}

// printRows presses 打印 and returns the number of rows of the print view
// once it has loaded total rows.
func (c *console) printRows(total int) int {
	c.t.Helper()
	c.click("print")
	c.waitFor("the print view", fmt.Sprintf(`location.hash.startsWith('#/print/') && document.querySelector('[data-testid=print-total]')?.innerText === %q`, strconv.Itoa(total)))
	return eval[int](c, `document.querySelectorAll('[data-testid=print-row]').length`)
}

// TestConsoleListExports sets a filter on 农户台账, 问题清单, 走访记录, 结对帮扶
// and 考勤月报, presses 导出 Excel and reads the downloaded file: its rows are
// the store's list for the same filter and sort, in the same order, and its
// name is 平安乡_<清单>_<today>.xlsx. 打印 of the four aid and problem lists
// shows the same number of rows.
func TestConsoleListExports(t *testing.T) {
	c := newConsole(t, 1366, 900)
	c.loadAid()
	dir := c.allowDownloads()
	ctx, township := context.Background(), fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}
	date := todayCST().String()
	c.signIn()

	// 农户台账: sorted by size, then 仅监测户 ticked on the page.
	f := fupin.HouseholdFilter{Area: demo.TownshipCode, Monitored: true, Sort: "-size", Limit: 500}
	want, err := c.db.ListHouseholds(ctx, township, f)
	if err != nil || want.Total < 2 {
		t.Fatalf("monitored households: %d %v", want.Total, err)
	}
	c.do(chromedp.Navigate(c.url + "/#/households?sort=-size"))
	c.waitFor("the list", `document.querySelector('[data-testid=household-table] .el-table__row')`)
	c.click("filter-monitored")
	c.waitFor("the filtered total", fmt.Sprintf(`location.hash.includes('monitored=true') && document.querySelector('[data-testid=total]')?.innerText === %q`, strconv.Itoa(want.Total)))
	name, rows := c.exportFile(dir, "export")
	if wantName := "平安乡_农户台账_" + date + ".xlsx"; name != wantName {
		t.Errorf("file name %q, want %q", name, wantName)
	}
	var nos []string
	for _, h := range want.Items {
		nos = append(nos, h.HouseholdNo)
	}
	if got := column(rows, 0); strings.Join(got, ",") != strings.Join(nos, ",") {
		t.Errorf("农户台账 export: %d rows %v…, want the filtered list's %d in its order %v…", len(got), head(got), len(nos), head(nos))
	}

	// 问题清单: the first item with households failing it.
	var problems sqlstore.ProblemPage
	var item criteria.Item
	for _, item = range criteria.Items {
		pf := sqlstore.ProblemFilter{Area: demo.TownshipCode, Year: fupin.AssessmentYear(fupin.DateOf(time.Now())), Item: string(item), Status: "fail", Limit: 500}
		if problems, err = c.db.AssessmentProblems(ctx, township, pf); err != nil || problems.Total > 0 {
			break
		}
	}
	if err != nil || problems.Total == 0 {
		t.Fatalf("problems: %d %v", problems.Total, err)
	}
	c.do(chromedp.Navigate(c.url + "/#/problems?item=" + string(item)))
	c.waitFor("the problems", fmt.Sprintf(`document.querySelector('[data-testid=total]')?.innerText === %q`, strconv.Itoa(problems.Total)))
	name, rows = c.exportFile(dir, "export")
	nos = nil
	for _, p := range problems.Items {
		nos = append(nos, p.HouseholdNo)
	}
	if got := column(rows, 0); name != "平安乡_问题清单_"+date+".xlsx" || strings.Join(got, ",") != strings.Join(nos, ",") {
		t.Errorf("问题清单 export %q: %v…, want %v…", name, head(got), head(nos))
	}
	if n := c.printRows(problems.Total); n != problems.Total {
		t.Errorf("问题清单 print view: %d rows, want %d", n, problems.Total)
	}
	c.shot("print-problems-desktop")

	// 走访记录 of one cadre.
	all, err := c.db.ListVisits(ctx, township, aid.VisitFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil || all.Total == 0 {
		t.Fatalf("visits: %v", err)
	}
	vf := aid.VisitFilter{Area: demo.TownshipCode, CadreID: all.Items[0].CadreID, Limit: 500}
	visits, err := c.db.ListVisits(ctx, township, vf)
	if err != nil || visits.Total == all.Total {
		t.Fatalf("one cadre's visits: %d of %d %v", visits.Total, all.Total, err)
	}
	c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/visits?cadre_id=%d", c.url, vf.CadreID)))
	c.waitFor("the visits", fmt.Sprintf(`document.querySelector('.el-tabs__item.is-active')?.innerText.includes('走访记录（%d）')`, visits.Total))
	name, rows = c.exportFile(dir, "export")
	if name != "平安乡_走访记录_"+date+".xlsx" || len(rows) != visits.Total || rows[0][1] != visits.Items[0].HeadName || rows[0][3] != visits.Items[0].CadreName {
		t.Errorf("走访记录 export %q: %d rows, first %v; want %d rows, first %s/%s", name, len(rows), rows[0], visits.Total, visits.Items[0].HeadName, visits.Items[0].CadreName)
	}
	if n := c.printRows(visits.Total); n != visits.Total {
		t.Errorf("走访记录 print view: %d rows, want %d", n, visits.Total)
	}

	// 结对帮扶.
	pairings, err := c.db.ListActivePairings(ctx, township, demo.TownshipCode, 0, 0, 500)
	if err != nil || pairings.Total == 0 {
		t.Fatalf("pairings: %v", err)
	}
	c.do(chromedp.Navigate(c.url + "/#/aid/pairings"))
	c.waitFor("the pairings", fmt.Sprintf(`document.querySelector('[data-testid=pairing-total]')?.innerText === %q`, strconv.Itoa(pairings.Total)))
	name, rows = c.exportFile(dir, "export")
	nos = nil
	for _, p := range pairings.Items {
		nos = append(nos, p.HouseholdNo)
	}
	if got := column(rows, 0); name != "平安乡_结对帮扶_"+date+".xlsx" || strings.Join(got, ",") != strings.Join(nos, ",") {
		t.Errorf("结对帮扶 export %q: %v…, want %v…", name, head(got), head(nos))
	}
	if n := c.printRows(pairings.Total); n != pairings.Total {
		t.Errorf("结对帮扶 print view: %d rows, want %d", n, pairings.Total)
	}

	// 考勤月报 of last month.
	month := time.Now().AddDate(0, -1, 0).Format("2006-01")
	rep, err := c.db.MonthlyAttendance(ctx, township, demo.TownshipCode, month)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, team := range rep.Teams {
		for _, ca := range team.Cadres {
			names = append(names, ca.CadreName)
		}
	}
	if len(names) == 0 {
		t.Fatalf("no cadres in the %s attendance report", month)
	}
	c.do(chromedp.Navigate(c.url + "/#/aid/attendance?month=" + month))
	c.waitFor("the report", `document.querySelector('[data-testid=attendance-report] .el-table__row')`)
	name, rows = c.exportFile(dir, "export")
	if got := column(rows, 2); name != "平安乡_考勤月报"+month+"_"+date+".xlsx" || strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("考勤月报 export %q: %v, want %v", name, got, names)
	}
	if n := c.printRows(len(names)); n != len(names) {
		t.Errorf("考勤月报 print view: %d rows, want %d", n, len(names))
	}
	c.shot("print-attendance-desktop")
}

func head(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}
