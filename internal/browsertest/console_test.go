// Package browsertest drives the embedded web console in Debian's headless
// Chromium against the real API over a demo database, and checks what a
// person would see: numbers, Chinese error messages beside their fields,
// progress, and that Chinese glyphs are drawn with a CJK font, not boxes.
package browsertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

const chromium = "/usr/bin/chromium"

// console is one signed-in browser tab on a running server.
type console struct {
	t     *testing.T
	ctx   context.Context
	url   string
	db    *sqlstore.DB
	shots string
}

// newConsole starts the API with a demo township and a township user, and a
// headless Chromium of width×height.
func newConsole(t *testing.T, width, height int) *console {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("FUPIN_REQUIRE_BROWSER") == "1" {
			t.Fatalf("FUPIN_REQUIRE_BROWSER=1 but %s is missing: apt-get install -y chromium fonts-wqy-zenhei", chromium)
		}
		t.Skipf("%s not installed (apt-get install -y chromium fonts-wqy-zenhei); set FUPIN_REQUIRE_BROWSER=1 to fail instead", chromium)
	}
	db := dbtest.SQLite(t)
	sys := fupin.SystemActor("测试")
	today := fupin.DateOf(time.Now())
	if _, err := db.BulkLoad(context.Background(), sys, "demo.load", func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: 300, Seed: 3, Today: today}, emit)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Assess(context.Background(), sys, demo.TownshipCode, fupin.AssessmentYear(today), nil); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(context.Background(), sys, sqlstore.User{Username: "pingan", DisplayName: "平安乡指挥部办公室",
		Role: string(auth.RoleTownship), Areas: []string{demo.TownshipCode}}, hash); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{}))
	t.Cleanup(srv.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Headless,
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithListener(recordNetwork))
	// Generous: the machine running the tests may be shared and loaded.
	ctx, cancelTimeout := context.WithTimeout(ctx, 8*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	c := &console{t: t, ctx: ctx, url: srv.URL, db: db, shots: screenshotDir(t)}
	c.do(chromedp.EmulateViewport(int64(width), int64(height)))
	c.trackFetches()
	return c
}

const password = "Pingan-test-2025!"

// screenshotDir is $FUPIN_SCREENSHOTS, or a temporary directory.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FUPIN_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (c *console) do(actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.ctx, actions...); err != nil {
		c.shot("failure")
		c.t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression and decodes its value.
func eval[T any](c *console, js string) T {
	c.t.Helper()
	v, err := chromedp.Run(c.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		c.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it is truthy.
func (c *console) waitFor(what, js string) {
	c.t.Helper()
	if _, err := chromedp.Run(c.ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		c.shot("failure")
		c.t.Fatalf("waiting for %s (%s): %v", what, js, err)
	}
}

// text is the trimmed text of the first element matching a CSS selector.
func (c *console) text(sel string) string {
	c.t.Helper()
	return eval[string](c, fmt.Sprintf(`(document.querySelector(%q)?.innerText ?? '').trim()`, sel))
}

func (c *console) shot(name string) {
	// Let loading masks fade and progress bars finish their transition.
	chromedp.Run(c.ctx, chromedp.Poll[chromedp.Void](`!document.querySelector('.el-loading-mask')`, chromedp.WithPollingTimeout(3*time.Second)))
	time.Sleep(700 * time.Millisecond)
	buf, err := chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(c.shots, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		c.t.Fatal(err)
	}
	c.t.Logf("screenshot %s", path)
}

func (c *console) signIn() {
	c.t.Helper()
	c.signInAs("pingan")
	c.waitFor("the dashboard", `document.querySelector('[data-testid=kpi-households] [data-testid=kpi-value]')`)
}

// count parses a number as the console shows it (12,345).
func count(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil {
		t.Fatalf("not a count: %q", s)
	}
	return n
}

// listTotal is what the household list answers for a filter.
func (c *console) listTotal(f fupin.HouseholdFilter) int {
	c.t.Helper()
	page, err := c.db.ListHouseholds(context.Background(), fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}, f)
	if err != nil {
		c.t.Fatal(err)
	}
	return page.Total
}

// checkCJK asserts that Chinese text in the page is drawn with real
// glyphs: a canvas drawing of 扶贫监测 in the page's font must differ from
// the drawing of characters no font has (the .notdef box), and the
// element's text must have width.
func (c *console) checkCJK(sel string) {
	c.t.Helper()
	js := fmt.Sprintf(`(() => {
	  const el = document.querySelector(%q);
	  const font = getComputedStyle(el).fontFamily;
	  const draw = (s) => {
	    const cv = document.createElement('canvas'); cv.width = 160; cv.height = 40;
	    const g = cv.getContext('2d'); g.font = '28px ' + font; g.fillStyle = '#000'; g.fillText(s, 2, 30);
	    return Array.from(g.getImageData(0, 0, 160, 40).data).join(',');
	  };
	  const han = draw('扶贫监测'), tofu = draw('\u{10FFFD}\u{10FFFC}\u{10FFFB}\u{10FFFA}'), latin = draw('llll');
	  return { width: el.getBoundingClientRect().width, text: el.innerText, differs: han !== tofu && han !== latin,
	           font, zenhei: document.fonts.check('16px "WenQuanYi Zen Hei"') };
	})()`, sel)
	got := eval[struct {
		Width   float64 `json:"width"`
		Text    string  `json:"text"`
		Differs bool    `json:"differs"`
		Font    string  `json:"font"`
	}](c, js)
	if got.Width <= 0 || !got.Differs {
		c.t.Errorf("Chinese text %q in %s does not render with a CJK font (width %v, glyphs differ from .notdef: %v, font-family %s); install fonts-wqy-zenhei",
			got.Text, sel, got.Width, got.Differs, got.Font)
	}
}

func TestConsoleDesktop(t *testing.T) {
	c := newConsole(t, 1366, 768)
	c.signIn()

	t.Run("dashboard equals the lists", func(t *testing.T) {
		c.waitFor("the problem chart", `document.querySelector('[data-testid=chart-items][data-ready=true]')`)
		c.shot("desktop-1-dashboard")
		for key, f := range map[string]fupin.HouseholdFilter{
			"households": {Area: demo.TownshipCode},
			"ex_poor":    {Area: demo.TownshipCode, Type: "ex_poor"},
			"monitored":  {Area: demo.TownshipCode, Monitored: true},
		} {
			got := count(t, c.text(`[data-testid=kpi-`+key+`] [data-testid=kpi-value]`))
			if want := c.listTotal(f); got != want {
				t.Errorf("dashboard %s shows %d, the list has %d", key, got, want)
			}
		}
		c.checkCJK(`[data-testid=kpi-households] .kpi-label`)
		// The 监测户 number opens the list with that filter, and its total matches.
		want := c.text(`[data-testid=kpi-monitored] [data-testid=kpi-value]`)
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=kpi-monitored]`)))
		c.waitFor("the filtered list", fmt.Sprintf(`location.hash.includes('monitored=true') && document.querySelector('[data-testid=total]')?.innerText === %q`, want))
	})

	t.Run("filter the list", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/households"))
		all := c.listTotal(fupin.HouseholdFilter{Area: demo.TownshipCode})
		c.waitFor("the whole list", fmt.Sprintf(`document.querySelectorAll('[data-testid=household-table] tbody tr').length === 20 &&
			document.querySelector('[data-testid=total]')?.innerText === '%d'`, all))
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=filter-monitored]`)))
		want := c.listTotal(fupin.HouseholdFilter{Area: demo.TownshipCode, Monitored: true})
		c.waitFor("the monitored households", fmt.Sprintf(`document.querySelector('[data-testid=total]')?.innerText === '%d'`, want))
		// Search a head's surname among them.
		name := c.text(`[data-testid=household-table] tbody tr td:nth-child(2)`)
		c.do(chromedp.SendKeys(chromedp.CSS(`input[data-testid=search],[data-testid=search] input`), name), chromedp.Click(chromedp.CSS(`[data-testid=search-button]`)))
		want = c.listTotal(fupin.HouseholdFilter{Area: demo.TownshipCode, Monitored: true, Query: name})
		c.waitFor("the search result", fmt.Sprintf(`location.hash.includes('q=') && document.querySelector('[data-testid=total]')?.innerText === '%d'`, want))
		c.shot("desktop-2-list-filtered")
	})

	var householdURL string
	t.Run("open a household", func(t *testing.T) {
		c.do(chromedp.Click(chromedp.CSS(`[data-testid=household-table] tbody tr td:nth-child(2) a`)))
		c.waitFor("the verdicts", `document.querySelectorAll('[data-testid=verdicts] .verdict').length >= 7`)
		c.waitFor("the members", `document.querySelectorAll('[data-testid=members] tbody tr').length > 0`)
		householdURL = eval[string](c, `location.href`)
		if reason := c.text(`[data-testid=verdict-medical] .reason`); reason == "" {
			t.Error("基本医疗 has no reason")
		}
		if pc := c.text(`[data-testid=per-capita]`); pc == "" || pc == "—" {
			t.Errorf("per-capita net income %q", pc)
		}
		c.checkCJK(`[data-testid=verdict-medical] .reason`)
		c.shot("desktop-3-household")
	})

	t.Run("an invalid ID number shows beside its field", func(t *testing.T) {
		c.do(chromedp.Navigate(householdURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid=edit]`)),
			chromedp.Click(chromedp.CSS(`[data-testid=edit]`)),
			chromedp.WaitVisible(chromedp.CSS(`input[data-testid=member-0-id],[data-testid=member-0-id] input`)))
		// A wrong check digit: the API says so in Chinese at members[0].id_number.
		id := eval[string](c, `document.querySelector('input[data-testid=member-0-id],[data-testid=member-0-id] input').value`)
		last := map[byte]byte{'0': '1'}[id[17]]
		if last == 0 {
			last = '0'
		}
		bad := id[:17] + string(last)
		c.do(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector('input[data-testid=member-0-id],[data-testid=member-0-id] input'); i.value = ''; i.dispatchEvent(new Event('input')); })()`),
			chromedp.SendKeys(chromedp.CSS(`input[data-testid=member-0-id],[data-testid=member-0-id] input`), bad),
			chromedp.Click(chromedp.CSS(`[data-testid=save]`)))
		c.waitFor("the field error", `document.querySelector('[data-testid=member-0-id]')?.closest('.el-form-item')?.querySelector('.el-form-item__error')`)
		msg := eval[string](c, `document.querySelector('[data-testid=member-0-id]').closest('.el-form-item').querySelector('.el-form-item__error').innerText`)
		if !strings.Contains(msg, "校验位") {
			t.Errorf("error beside the ID field = %q, want the check-digit message", msg)
		}
		c.checkCJK(`.el-form-item__error`)
		c.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=member-0]').scrollIntoView()`))
		c.shot("desktop-4-invalid-id")
	})

	t.Run("import a file and watch the progress finish", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "平安乡新增农户.xlsx")
		writeImportFile(t, file)
		c.do(chromedp.Navigate(c.url+"/#/imports"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=import-file]`)),
			chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=import-file]`), []string{file}),
			chromedp.Click(chromedp.CSS(`[data-testid=import-start]`)))
		c.waitFor("the job", `document.querySelector('[data-testid=import-job]')`)
		c.waitFor("the job to finish", `['done','failed','rejected'].includes(document.querySelector('[data-testid=import-job]').dataset.state)`)
		state := eval[string](c, `document.querySelector('[data-testid=import-job]').dataset.state`)
		progress := c.text(`[data-testid=import-progress]`)
		c.shot("desktop-5-import-done")
		if state != "done" || !strings.Contains(progress, "100%") {
			t.Errorf("import ended %q with progress %q: %s", state, progress, c.text(`[data-testid=import-job]`))
		}
		if got := c.listTotal(fupin.HouseholdFilter{Area: demo.TownshipCode}); got != 300+importHouseholds {
			t.Errorf("after the import the township has %d households, want %d", got, 300+importHouseholds)
		}
	})
}

const importHouseholds = 12

// writeImportFile writes households of another generated township in the
// national layout: new people, so the import adds them.
func writeImportFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := exchange.WriteHouseholds(f, "xlsx", func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: importHouseholds, Seed: 977, Today: fupin.DateOf(time.Now())}, func(h *fupin.Household) error {
			h.HouseholdNo = "" // numbered anew, not matched to the loaded township
			return emit(h)
		})
	}); err != nil {
		t.Fatal(err)
	}
}

func TestConsolePhone(t *testing.T) {
	c := newConsole(t, 390, 844)
	c.signIn()
	c.waitFor("the problem chart", `document.querySelector('[data-testid=chart-items][data-ready=true]')`)
	c.shot("phone-1-dashboard")
	if w := eval[float64](c, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the dashboard is %vpx wide on a 390px phone", w)
	}
	c.do(chromedp.Navigate(c.url + "/#/households"))
	c.waitFor("the household cards", `document.querySelectorAll('[data-testid=household-cards] .hcard').length > 0`)
	if eval[bool](c, `!!document.querySelector('[data-testid=household-table]')`) {
		t.Error("the phone list shows the desktop table")
	}
	if w := eval[float64](c, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the list is %vpx wide on a 390px phone", w)
	}
	c.checkCJK(`[data-testid=household-cards] .hcard b`)
	c.shot("phone-2-list")
	c.do(chromedp.Click(chromedp.CSS(`[data-testid=household-cards] .hcard`)))
	c.waitFor("the verdicts", `document.querySelectorAll('[data-testid=verdicts] .verdict').length >= 7`)
	if w := eval[float64](c, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the household page is %vpx wide on a 390px phone", w)
	}
	c.shot("phone-3-household")
}
