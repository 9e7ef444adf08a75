package browsertest

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fupin/internal/aid"
	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/sqlstore"
)

// activeHelper is the household's active pairing, or nil.
func (c *console) activeHelper(householdID int64) *aid.Pairing {
	c.t.Helper()
	ps, err := c.db.ListHouseholdPairings(context.Background(), sysActor, householdID)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := range ps {
		if ps[i].EndedOn.IsZero() {
			return &ps[i]
		}
	}
	return nil
}

// eventually polls the server's state until check returns "" (or the
// last complaint after 20 s): the console's answer may arrive after the
// click returned.
func eventually(t *testing.T, check func() string) {
	t.Helper()
	var msg string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if msg = check(); msg == "" {
			return
		}
	}
	t.Fatal(msg)
}

// TestConsoleAidActions presses every write button of the aid pages as the
// township office and checks the server's state after each: pairings,
// postings, cadres, groups and units, check-ins and leave, rotations (the
// three confirmations by three accounts, completion, a plan with an added
// entry, cancellation) and visits with photos.
func TestConsoleAidActions(t *testing.T) {
	c := newConsole(t, 1366, 900)
	unpairedIDs := c.loadAid()
	ctx := context.Background()
	c.addUser("pingan2", "平安乡扶贫办", auth.RoleTownship, demo.TownshipCode)
	c.addUser("pingan3", "平安乡指挥部", auth.RoleTownship, demo.TownshipCode)
	c.signIn()

	load, err := c.db.ListWorkload(ctx, sysActor, demo.TownshipCode)
	if err != nil || len(load) < 3 {
		t.Fatalf("workload %d helpers, %v", len(load), err)
	}
	first, second := load[0].CadreName, load[1].CadreName
	target, err := c.db.Household(ctx, sysActor, unpairedIDs[0])
	if err != nil {
		t.Fatal(err)
	}

	t.Run("指定帮扶人", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/aid/pairings"))
		js := fmt.Sprintf(`[...document.querySelectorAll('[data-testid=unpaired-table] tbody tr')].find((tr) => tr.innerText.includes(%q))?.querySelector('[data-testid=assign-helper]')`, target.HeadName)
		c.waitFor("the unpaired household", js)
		c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
		c.pickRemote("helper-picker", first, first)
		c.click("helper-save")
		c.closed("the helper dialog")
		eventually(t, func() string {
			if p := c.activeHelper(target.ID); p == nil || p.CadreName != first {
				return fmt.Sprintf("household %d has helper %+v, want %s", target.ID, p, first)
			}
			return ""
		})
	})

	t.Run("更换帮扶人", func(t *testing.T) {
		p := c.activeHelper(target.ID)
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/pairings?cadre_id=%d", c.url, p.CadreID)))
		js := fmt.Sprintf(`[...document.querySelectorAll('[data-testid=pairing-table] tbody tr')].find((tr) => tr.innerText.includes(%q))?.querySelector('[data-testid=pairing-change]')`, target.HeadName)
		c.waitFor("the pairing", js)
		c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
		c.pickRemote("helper-picker", second, second)
		c.click("helper-save")
		c.closed("the helper dialog")
		eventually(t, func() string {
			if p := c.activeHelper(target.ID); p == nil || p.CadreName != second {
				return fmt.Sprintf("after 更换 household %d has helper %+v, want %s", target.ID, p, second)
			}
			return ""
		})
	})

	t.Run("解除结对", func(t *testing.T) {
		// An ordinary household needs no helper, so its pairing may end.
		page, err := c.db.ListHouseholds(ctx, sysActor, fupin.HouseholdFilter{Area: demo.TownshipCode, Type: "ordinary", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var h *fupin.Household
		for i := range page.Items {
			if page.Items[i].MonitorType == "" && c.activeHelper(page.Items[i].ID) == nil {
				h = &page.Items[i]
				break
			}
		}
		if h == nil {
			t.Fatal("no ordinary household without a helper")
		}
		p, err := c.db.PairHousehold(ctx, sysActor, h.ID, aid.PairingChange{CadreID: load[2].CadreID})
		if err != nil {
			t.Fatal(err)
		}
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/pairings?cadre_id=%d", c.url, p.CadreID)))
		js := fmt.Sprintf(`[...document.querySelectorAll('[data-testid=pairing-table] tbody tr')].find((tr) => tr.innerText.includes(%q))?.querySelector('[data-testid=pairing-end]')`, h.HeadName)
		c.waitFor("the pairing", js)
		c.do(chromedp.Evaluate[chromedp.Void](js + `.click()`))
		c.typeInto("release-reason", "农户已迁出本村")
		c.click("release-save")
		c.closed("the release dialog")
		eventually(t, func() string {
			if p := c.activeHelper(h.ID); p != nil {
				return fmt.Sprintf("household %d still has helper %s after 解除", h.ID, p.CadreName)
			}
			return ""
		})
	})

	var cadre *aid.Cadre
	t.Run("登记和修改干部", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/aid/forces?tab=cadres"))
		c.click("cadre-new")
		c.typeInto("cadre-name", "测试干部")
		base := "500236" + "19880412" + "031"
		c.typeInto("cadre-id-number", base+string(idcard.CheckChar(base)))
		c.click("cadre-save")
		c.closed("the cadre dialog")
		eventually(t, func() string {
			page, err := c.db.ListCadres(ctx, sysActor, aid.CadreFilter{Query: "测试干部", Limit: 5})
			if err != nil || len(page.Items) != 1 {
				return fmt.Sprintf("cadres named 测试干部: %d, %v", len(page.Items), err)
			}
			cadre = &page.Items[0]
			return ""
		})
		c.typeInto("cadre-search", "测试干部")
		c.do(chromedp.SendKeys(chromedp.CSS(`input[data-testid=cadre-search],[data-testid=cadre-search] input`), "\r"))
		c.click(fmt.Sprintf("cadre-edit-%d", cadre.ID))
		c.waitFor("the loaded cadre", `document.querySelector('input[data-testid=cadre-name],[data-testid=cadre-name] input')?.value === '测试干部'`)
		c.typeInto("cadre-name", "测试干部甲")
		c.click("cadre-save")
		c.closed("the cadre dialog")
		eventually(t, func() string {
			got, err := c.db.Cadre(ctx, sysActor, cadre.ID)
			if err != nil || got.Name != "测试干部甲" {
				return fmt.Sprintf("cadre after 修改: %+v, %v", got, err)
			}
			return ""
		})
	})

	var posting *aid.Posting
	t.Run("任命岗位", func(t *testing.T) {
		c.click(fmt.Sprintf("cadre-appoint-%d", cadre.ID))
		c.pick("posting-role", "驻乡工作队队员")
		c.click("posting-save")
		c.closed("the posting dialog")
		eventually(t, func() string {
			got, err := c.db.Cadre(ctx, sysActor, cadre.ID)
			if err != nil || len(got.Postings) != 1 || got.Postings[0].Role != "township_member" {
				return fmt.Sprintf("postings after 任命: %+v, %v", got, err)
			}
			posting = &got.Postings[0]
			return ""
		})
	})

	t.Run("延期", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/aid/forces?tab=postings"))
		c.click(fmt.Sprintf("posting-extend-%d", posting.ID))
		c.click("posting-change-save")
		c.closed("the posting dialog")
		eventually(t, func() string {
			got, err := c.db.Cadre(ctx, sysActor, cadre.ID)
			if err != nil || got.Postings[0].PlannedEndOn.String() != fupin.DateOf(posting.PlannedEndOn.Time().AddDate(0, 0, 365)).String() {
				return fmt.Sprintf("planned end after 延期: %v (was %v), %v", got.Postings[0].PlannedEndOn, posting.PlannedEndOn, err)
			}
			return ""
		})
	})

	t.Run("签到、请假、批准、销假、不批准", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/aid/attendance?tab=leaves"))
		c.click("checkin-new")
		c.pickRemote("checkin-cadre", "测试干部甲", "测试干部甲")
		c.waitFor("the place", `document.querySelector('[data-testid=checkin-place]')?.closest('.el-select')?.innerText.includes('（')`)
		c.click("checkin-save")
		c.closed("the check-in dialog")
		month := fupin.DateOf(time.Now()).String()[:7]
		eventually(t, func() string {
			cs, err := c.db.ListCheckIns(ctx, sysActor, demo.TownshipCode, month, cadre.ID)
			if err != nil || len(cs) != 1 {
				return fmt.Sprintf("check-ins of the cadre: %d, %v", len(cs), err)
			}
			return ""
		})
		c.click("leave-new")
		c.pickRemote("leave-cadre", "测试干部甲", "测试干部甲")
		// The place comes from the cadre's postings, fetched after the pick; saving before it
		// arrives sends an empty area (seen once in CI: 无权在 （）操作).
		c.waitFor("the place", `document.querySelector('[data-testid=leave-place]')?.closest('.el-select')?.innerText.includes('（')`)
		c.typeInto("leave-reason", "家中有事")
		c.click("leave-save")
		c.closed("the leave dialog")
		leave := func(status string) *aid.Leave {
			ls, err := c.db.ListLeaves(ctx, sysActor, demo.TownshipCode, "")
			if err != nil {
				t.Fatal(err)
			}
			for i := range ls {
				if ls[i].CadreID == cadre.ID && ls[i].Status == status {
					return &ls[i]
				}
			}
			return nil
		}
		var l *aid.Leave
		eventually(t, func() string {
			if l = leave("requested"); l == nil {
				return "no leave requested by the cadre"
			}
			return ""
		})
		c.click(fmt.Sprintf("leave-approve-%d", l.ID))
		c.confirmBox()
		eventually(t, func() string {
			if leave("approved") == nil {
				return "the leave was not approved"
			}
			return ""
		})
		c.click(fmt.Sprintf("leave-return-%d", l.ID))
		c.confirmBox()
		eventually(t, func() string {
			if leave("returned") == nil {
				return "the leave was not ended (销假)"
			}
			return ""
		})
		// A second request, made through the API, is refused in the console.
		day := fupin.DateOf(time.Now().AddDate(0, 0, 1))
		second, err := c.db.RequestLeave(ctx, fupin.Actor{Name: "pingan", Areas: []string{demo.TownshipCode}},
			aid.Leave{CadreID: cadre.ID, AreaCode: posting.AreaCode, FromOn: day, ToOn: day, Reason: "再请一天"})
		if err != nil {
			t.Fatal(err)
		}
		// Leave the page and come back, so that the list shows the request made behind its back.
		c.do(chromedp.Navigate(c.url + "/#/aid/pairings"))
		c.waitFor("another page", `document.querySelector('[data-testid=unpaired]')`)
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/attendance?tab=leaves&month=%s", c.url, day.String()[:7])))
		c.click(fmt.Sprintf("leave-reject-%d", second.ID))
		c.confirmBox()
		eventually(t, func() string {
			if leave("rejected") == nil {
				return "the second leave was not rejected"
			}
			return ""
		})
	})

	t.Run("制定轮换计划、取消轮换", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/aid/rotations"))
		c.click("rotation-new")
		c.typeInto("plan-title", "测试轮换")
		c.pickFirst("plan-posting-0", "测试干部甲")
		c.pickRemote("plan-incoming-0", second, second)
		c.click("rotation-plan-save")
		c.waitFor("the new rotation", `/#\/aid\/rotations\/\d+$/.test(location.hash) && document.querySelector('[data-testid=rotation-title]')?.innerText === '测试轮换'`)
		rots, err := c.db.ListRotations(ctx, sysActor, demo.TownshipCode, "planned")
		if err != nil {
			t.Fatal(err)
		}
		var rot *aid.Rotation
		for i := range rots {
			if rots[i].Title == "测试轮换" {
				rot = &rots[i]
			}
		}
		if rot == nil {
			t.Fatal("the planned rotation is not stored")
		}
		full, err := c.db.Rotation(ctx, sysActor, rot.ID)
		if err != nil || len(full.Items) != 1 || full.Items[0].PostingID != posting.ID || full.Items[0].IncomingName != second {
			t.Fatalf("rotation items %+v, %v", full, err)
		}
		c.click("rotation-cancel")
		c.confirmBox()
		eventually(t, func() string {
			got, err := c.db.Rotation(ctx, sysActor, rot.ID)
			if err != nil || got.Status != "cancelled" {
				return fmt.Sprintf("rotation after 取消: %s, %v", got.Status, err)
			}
			return ""
		})
	})

	t.Run("离任", func(t *testing.T) {
		c.do(chromedp.Navigate(c.url + "/#/aid/forces?tab=postings"))
		c.click(fmt.Sprintf("posting-end-%d", posting.ID))
		c.typeInto("posting-end-reason", "工作调动")
		c.click("posting-change-save")
		c.closed("the posting dialog")
		eventually(t, func() string {
			got, err := c.db.Cadre(ctx, sysActor, cadre.ID)
			if err != nil || got.Postings[0].EndedOn.IsZero() || got.Postings[0].EndReason != "工作调动" {
				return fmt.Sprintf("posting after 离任: %+v, %v", got.Postings, err)
			}
			return ""
		})
	})

	t.Run("添加事项、三方确认并完成交接", func(t *testing.T) {
		rots, err := c.db.ListRotations(ctx, sysActor, demo.TownshipCode, "planned")
		if err != nil || len(rots) != 1 {
			t.Fatalf("%d planned rotations, want the demo's 1 (%v)", len(rots), err)
		}
		id := rots[0].ID
		page := fmt.Sprintf("%s/#/aid/rotations/%d", c.url, id)
		confirmAll := func(party string) {
			c.do(chromedp.Navigate(page))
			c.waitFor("the items", `document.querySelectorAll('[data-testid=rotation-items] tbody tr').length > 0`)
			for {
				n := eval[int](c, fmt.Sprintf(`document.querySelectorAll('[data-testid=confirm-%s]').length`, party))
				if n == 0 {
					return
				}
				c.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('[data-testid=confirm-%s]').click()`, party)))
				c.waitFor("the confirmation", fmt.Sprintf(`document.querySelectorAll('[data-testid=confirm-%s]').length < %d`, party, n))
			}
		}
		// Adding an entry withdraws the demo's confirmations: all three are needed again.
		before, err := c.db.Rotation(ctx, sysActor, id)
		if err != nil {
			t.Fatal(err)
		}
		c.do(chromedp.Navigate(page))
		c.click("entry-new")
		c.typeInto("entry-title", "茨竹村产业路项目（在建）")
		c.click("entry-save")
		c.closed("the entry dialog")
		eventually(t, func() string {
			got, err := c.db.Rotation(ctx, sysActor, id)
			if err != nil || len(got.Entries) != len(before.Entries)+1 || got.Entries[len(got.Entries)-1].Title != "茨竹村产业路项目（在建）" {
				return fmt.Sprintf("entries after 添加事项: %d, want %d (%v)", len(got.Entries), len(before.Entries)+1, err)
			}
			return ""
		})
		confirmAll("outgoing")
		c.signOut()
		c.signInAs("pingan2")
		confirmAll("incoming")
		c.signOut()
		c.signInAs("pingan3")
		confirmAll("office")
		c.waitFor("ready", `!document.querySelector('[data-testid=rotation-complete]').disabled`)
		got, err := c.db.Rotation(ctx, sysActor, id)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Ready || got.OfficeConfirmedBy != "pingan3" {
			t.Fatalf("after the three confirmations: ready %v, office %q", got.Ready, got.OfficeConfirmedBy)
		}
		for _, it := range got.Items {
			if it.OutgoingConfirmedBy != "pingan" || it.IncomingConfirmedBy != "pingan2" {
				t.Errorf("item %d confirmed by %q and %q", it.ID, it.OutgoingConfirmedBy, it.IncomingConfirmedBy)
			}
		}
		// Confirmations read with display names, never login names.
		if body := c.text(`[data-testid=rotation-items]`); !strings.Contains(body, "平安乡指挥部办公室") || strings.Contains(body, "pingan") {
			t.Errorf("the confirmations name accounts by login: %.300s", body)
		}
		c.click("rotation-complete")
		c.confirmBox()
		eventually(t, func() string {
			got, err := c.db.Rotation(ctx, sysActor, id)
			if err != nil || got.Status != "completed" {
				return fmt.Sprintf("rotation after 完成交接: %s, %v", got.Status, err)
			}
			return ""
		})
		c.waitFor("the completed list", `document.querySelector('[data-testid=handover-entries]')?.innerText.includes('新任期')`)
		if body := c.text(`[data-testid=handover-entries]`); strings.Contains(body, "#") || strings.Contains(body, "pingan") {
			t.Errorf("the handover list shows internal numbers or logins: %.400s", body)
		}
		c.shot("aid-4-rotation-completed")
	})

	t.Run("推荐为典型案例（轮换）", func(t *testing.T) {
		rs, err := c.db.ListRotations(ctx, sysActor, demo.TownshipCode, "completed")
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		for _, r := range rs {
			if r.Status == "completed" {
				id = r.ID
			}
		}
		if id == 0 {
			t.Fatal("no completed rotation")
		}
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/rotations/%d", c.url, id)))
		c.click("propose-practice")
		c.waitFor("the draft from the rotation", `document.querySelector('[data-testid=practice-from]')?.innerText.includes('轮换交接') && document.querySelector('input[data-testid=practice-title],[data-testid=practice-title] input').value.endsWith('的交接经验')`)
		c.typeInto("practice-results", "岗位和结对农户一次移交，未出现帮扶断档")
		c.click("practice-save")
		c.waitFor("the case page", `location.hash.match(/#\/practices\/\d+$/) && document.querySelector('[data-testid=practice-heading]')`)
		page, err := c.db.ListPractices(ctx, sysActor, sqlstore.PracticeFilter{})
		if err != nil || page.Total != 1 {
			t.Fatalf("practices after 推荐: %+v, %v", page, err)
		}
		p := page.Items[0]
		if p.Source != "rotation" || p.SourceID != id || p.Status != "proposed" || p.Results != "岗位和结对农户一次移交，未出现帮扶断档" ||
			len(p.Figures) != 2 || p.Figures[0].Source != "rotation" || p.Figures[0].Value < 1 || p.Themes[0] != "forces" {
			t.Errorf("case from the rotation: %+v", p)
		}
	})

	t.Run("记录走访并上传照片", func(t *testing.T) {
		photo := filepath.Join(t.TempDir(), "走访.png")
		writePNG(t, photo)
		c.do(chromedp.Navigate(fmt.Sprintf("%s/#/aid/visits?household_id=%d", c.url, target.ID)))
		c.click("visit-new")
		c.waitFor("the household in the form", `(document.querySelector('[data-testid=visit-dialog] [data-testid=visit-household]')?.innerText ?? '').trim() !== ''`)
		c.waitFor("the helper as the cadre", `(document.querySelector('[data-testid=visit-dialog] [data-testid=visit-cadre]')?.innerText ?? '').trim() !== ''`)
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=visit-photo-input]`), []string{photo}))
		c.typeInto("visit-findings", "两不愁三保障情况良好")
		c.click("visit-save")
		c.closed("the visit dialog")
		var v aid.Visit
		eventually(t, func() string {
			page, err := c.db.ListVisits(ctx, sysActor, aid.VisitFilter{HouseholdID: target.ID})
			if err != nil || len(page.Items) == 0 || page.Items[0].Findings != "两不愁三保障情况良好" || len(page.Items[0].Photos) != 1 {
				return fmt.Sprintf("visits after 记录走访: %+v, %v", page.Items, err)
			}
			v = page.Items[0]
			return ""
		})
		// Add a second photo on the record's page.
		c.waitFor("the visit row", `document.querySelector('[data-testid=visit-table] tbody tr')`)
		c.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=visit-table] tbody tr td').click()`))
		c.waitFor("the visit record", `document.querySelector('[data-testid=visit-detail-photo]')`)
		c.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=visit-detail-photo]`), []string{photo}))
		eventually(t, func() string {
			got, err := c.db.Visit(ctx, sysActor, v.ID)
			if err != nil || len(got.Photos) != 2 {
				return fmt.Sprintf("photos after the upload: %+v, %v", got, err)
			}
			return ""
		})
	})
}

// writePNG writes a small PNG image.
func writePNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
