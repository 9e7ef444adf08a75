package browsertest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/appraisal"
	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// TestConsoleReportPack generates the township's pack from live data and
// from a snapshot on the 年度材料包 page and exports it: the page's 总览
// shows the server's dashboard count, then the snapshot's count (after a
// household was deleted, so the two differ), and the download has the
// pack's 说明 sheet.
func TestConsoleReportPack(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	year := fupin.AssessmentYear(fupin.DateOf(time.Now()))
	snap, err := c.db.CreateSnapshot(ctx, sysActor, appraisal.Snapshot{Year: year, AreaCode: demo.TownshipCode, Name: "年度基数"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.db.DeleteHousehold(ctx, sysActor, page.Items[0].ID, page.Items[0].Version, "重复登记"); err != nil {
		t.Fatal(err)
	}
	dash, err := c.db.Dashboard(ctx, sysActor, demo.TownshipCode, year)
	if err != nil {
		t.Fatal(err)
	}
	if dash.Total.Households != snap.Households-1 {
		t.Fatalf("dashboard %d households, snapshot %d", dash.Total.Households, snap.Households)
	}
	c.signIn()
	firstCount := `document.querySelector('[data-testid=pack-总览] tbody tr td:nth-child(2)')?.innerText`
	c.do(chromedp.Navigate(fmt.Sprintf("%s/#/report-pack?area=%s&year=%d", c.url, demo.TownshipCode, year)))

	t.Run("实时数据", func(t *testing.T) {
		c.click("pack-generate")
		c.waitFor("the live 总览", fmt.Sprintf(`%s === %q`, firstCount, strconv.Itoa(dash.Total.Households)))
		if got := c.text(`[data-testid=pack] .meta`); !strings.Contains(got, "实时数据") {
			t.Errorf("source shown: %q", got)
		}
	})

	t.Run("快照", func(t *testing.T) {
		c.click("pack-snapshot")
		c.pickClosing("pack-snapshot-id", fmt.Sprintf("#%d ", snap.ID))
		c.click("pack-generate")
		c.waitFor("the snapshot's 总览", fmt.Sprintf(`%s === %q`, firstCount, strconv.Itoa(snap.Households)))
		if got := c.text(`[data-testid=pack] .meta`); !strings.Contains(got, fmt.Sprintf("快照 #%d「年度基数」", snap.ID)) {
			t.Errorf("source shown: %q", got)
		}
		c.shot("report-pack")
	})

	t.Run("导出 Excel", func(t *testing.T) {
		dir := c.allowDownloads()
		name, rows := c.exportFile(dir, "pack-export")
		if len(rows) < 4 || rows[0][0] != "材料名称" || !strings.Contains(rows[3][1], fmt.Sprintf("快照 #%d", snap.ID)) || !strings.Contains(name, "年度成效材料") {
			t.Errorf("pack download %s: %q", name, rows)
		}
	})
}
