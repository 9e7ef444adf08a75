package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

func application(village string) monitor.Application {
	return monitor.Application{Village: village, Name: "谭德明", Phone: "13800001234", Content: "户主住院，医药费负担重"}
}

// TestSubmitApplicationBounds checks what an unauthenticated client can
// make the store write: bounded fields, five a day per address (a few KB
// in all), a daily cap per township that a flood from many addresses uses
// up for that township only, nothing written when refused, only townships
// the system serves, and a new allowance the next day.
func TestSubmitApplicationBounds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := pinMonitor(db, fupin.NewDate(2026, 3, 2))
		const other = "500236001001" // a village of 永安街道, another township
		if _, err := db.SubmitApplication(ctx, "10.0.0.1", "", application(tiantai)); !hasField(err, "village") {
			t.Errorf("a township the system does not serve yet: %v, want invalid village", err)
		}
		for i, v := range []string{tiantai, other} {
			if _, err := db.CreateHousehold(ctx, admin, family(t, v, 700+10*i)); err != nil {
				t.Fatal(err)
			}
		}
		bad := []struct {
			edit  func(*monitor.Application)
			field string
		}{
			{func(a *monitor.Application) { a.Village = pingan }, "village"},
			{func(a *monitor.Application) { a.Village = "" }, "village"},
			{func(a *monitor.Application) { a.Name = strings.Repeat("谭", monitor.MaxApplyName+1) }, "name"},
			{func(a *monitor.Application) { a.Name = "  " }, "name"},
			{func(a *monitor.Application) { a.Phone = "call me" }, "phone"},
			{func(a *monitor.Application) { a.Phone = strings.Repeat("1", 21) }, "phone"},
			{func(a *monitor.Application) { a.Content = strings.Repeat("难", monitor.MaxApplyContent+1) }, "content"},
			{func(a *monitor.Application) { a.Content = "a\x00b" }, "content"},
		}
		for _, b := range bad {
			a := application(tiantai)
			b.edit(&a)
			if _, err := db.SubmitApplication(ctx, "10.0.0.1", "", a); !hasField(err, b.field) {
				t.Errorf("%+v: %v, want invalid %s", a, err, b.field)
			}
		}
		if _, err := db.SubmitApplication(ctx, "10.0.0.1", "500236001", application(tiantai)); !hasField(err, "village") {
			t.Errorf("a village outside the page's township: %v", err)
		}
		big := monitor.Application{Village: tiantai, Name: strings.Repeat("谭", monitor.MaxApplyName),
			Phone: "+86 138-0000-1234-56", Content: strings.Repeat("难", monitor.MaxApplyContent)}
		receipts := map[string]bool{}
		for i := 0; i < monitor.MaxApplyPerAddr; i++ {
			r, err := db.SubmitApplication(ctx, "10.0.0.1", "", big)
			if err != nil {
				t.Fatalf("application %d: %v", i+1, err)
			}
			receipts[r] = true
		}
		if _, err := db.SubmitApplication(ctx, "10.0.0.1", "", big); code(err) != fupin.ERateLimited {
			t.Errorf("application %d from one address: %v, want rate_limited", monitor.MaxApplyPerAddr+1, err)
		}
		page, err := db.MonitorApplications(ctx, admin, sqlstore.ApplicationFilter{Limit: 500})
		if err != nil || page.Total != monitor.MaxApplyPerAddr || len(receipts) != monitor.MaxApplyPerAddr {
			t.Fatalf("stored %d (%v), %d receipts", page.Total, err, len(receipts))
		}
		stored := 0
		for _, a := range page.Items {
			stored += len(a.Receipt) + len(a.VillageCode) + len(a.Name) + len(a.Phone) + len(a.Content)
			if !receipts[a.Receipt] || strings.Contains(a.Receipt, "谭") {
				t.Errorf("receipt %q", a.Receipt)
			}
		}
		if stored > 4<<10 {
			t.Errorf("one address stored %d bytes of text in a day, want at most 4 KiB", stored)
		}
		// A flood from many addresses uses up 平安乡's cap ...
		n := monitor.MaxApplyPerAddr
		for addr := 2; n < monitor.MaxApplyPerTownship; addr++ {
			for i := 0; i < monitor.MaxApplyPerAddr && n < monitor.MaxApplyPerTownship; i++ {
				if _, err := db.SubmitApplication(ctx, fmt.Sprintf("10.0.0.%d", addr), "", application(wenchang)); err != nil {
					t.Fatalf("application %d: %v", n+1, err)
				}
				n++
			}
		}
		written := func() [3]int {
			return [3]int{countRows(t, db, "monitor_applications"), countRows(t, db, "monitor_apply_quota"), countRows(t, db, "audit_log")}
		}
		before := written()
		if _, err := db.SubmitApplication(ctx, "10.0.9.9", "", application(wenchang)); code(err) != fupin.ERateLimited ||
			!strings.Contains(err.Error(), "本乡镇（街道）今日网上申报已达上限") {
			t.Errorf("application over the township's cap: %v, want rate_limited", err)
		}
		if after := written(); after != before {
			t.Errorf("a refused application wrote rows: applications, counters, audit %v → %v", before, after)
		}
		if page, _ := db.MonitorApplications(ctx, admin, sqlstore.ApplicationFilter{}); page.Total != monitor.MaxApplyPerTownship {
			t.Errorf("stored %d, want exactly the township's cap %d", page.Total, monitor.MaxApplyPerTownship)
		}
		// ... and not the other township's, while the per-address limit holds there too.
		for i := 0; i < monitor.MaxApplyPerAddr; i++ {
			if _, err := db.SubmitApplication(ctx, "10.0.9.9", "", application(other)); err != nil {
				t.Fatalf("another township after 平安乡's flood, application %d: %v", i+1, err)
			}
		}
		if _, err := db.SubmitApplication(ctx, "10.0.9.9", "", application(other)); code(err) != fupin.ERateLimited ||
			!strings.Contains(err.Error(), "同一网络") {
			t.Errorf("application %d from one address to another township: %v, want rate_limited", monitor.MaxApplyPerAddr+1, err)
		}
		if page, _ := db.MonitorApplications(ctx, admin, sqlstore.ApplicationFilter{Area: "500236001"}); page.Total != monitor.MaxApplyPerAddr {
			t.Errorf("the other township's queue holds %d, want %d", page.Total, monitor.MaxApplyPerAddr)
		}
		// The counters hold one row per address that got through and one per township.
		if got, want := countRows(t, db, "monitor_apply_quota"), monitor.MaxApplyPerTownship/monitor.MaxApplyPerAddr+1+2; got != want {
			t.Errorf("counter rows %d, want %d", got, want)
		}
		clk.add(1)
		if _, err := db.SubmitApplication(ctx, "10.0.0.1", "", application(tiantai)); err != nil {
			t.Errorf("next day: %v", err)
		}
	})
}

// TestApplicationQueue checks the queue by area and the two outcomes:
// accept opens a 自主申报 case for the matched household, decline needs a
// reason; a decided application cannot be decided again.
func TestApplicationQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2))
		h := monitoredHousehold(t, db, 10)
		for _, v := range []string{tiantai, tiantai, wenchang} {
			if _, err := db.SubmitApplication(ctx, "10.0.0.1", "", application(v)); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			actor fupin.Actor
			want  int
		}{{villageActor, 2}, {wenchangActor, 1}, {townActor, 3}, {countyActor, 3}, {fupin.Actor{Name: "别县", Areas: []string{"110101"}}, 0}} {
			page, err := db.MonitorApplications(ctx, tc.actor, sqlstore.ApplicationFilter{})
			if err != nil || page.Total != tc.want || len(page.Items) != tc.want {
				t.Errorf("%s sees %d applications (%v), want %d", tc.actor.Name, page.Total, err, tc.want)
			}
		}
		page, _ := db.MonitorApplications(ctx, villageActor, sqlstore.ApplicationFilter{})
		first, second := page.Items[0], page.Items[1]
		accept := sqlstore.ApplicationDecision{Version: first.Version, Outcome: "accept", HouseholdID: h.ID,
			Category: "unstable", Risks: []string{"illness"}}
		if _, err := db.DecideApplication(ctx, wenchangActor, first.ID, accept); code(err) != fupin.ENotFound {
			t.Errorf("decide outside the area: %v, want not_found", err)
		}
		if _, err := db.DecideApplication(ctx, villageActor, first.ID, sqlstore.ApplicationDecision{Version: first.Version, Outcome: "accept"}); !hasField(err, "household_id") {
			t.Errorf("accept without a household: %v", err)
		}
		got, err := db.DecideApplication(ctx, villageActor, first.ID, accept)
		if err != nil || got.Outcome != "accept" || got.CaseID == nil || got.DecidedBy != villageActor.Name {
			t.Fatalf("accept: %+v %v", got, err)
		}
		c, err := db.MonitorCase(ctx, townActor, *got.CaseID)
		if err != nil || c.Path != "self_report" || c.HouseholdID != h.ID || c.Stage != monitor.StageHomeCheck ||
			!strings.Contains(c.Facts.Note, first.Receipt) {
			t.Errorf("case %+v %v", c, err)
		}
		if _, err := db.DecideApplication(ctx, villageActor, first.ID, accept); code(err) != fupin.EConflict {
			t.Errorf("decided twice: %v, want conflict", err)
		}
		if _, err := db.DecideApplication(ctx, townActor, second.ID, sqlstore.ApplicationDecision{Version: second.Version, Outcome: "decline"}); !hasField(err, "reason") {
			t.Errorf("decline without a reason: %v", err)
		}
		got, err = db.DecideApplication(ctx, townActor, second.ID, sqlstore.ApplicationDecision{Version: second.Version, Outcome: "decline", Reason: "经核实家庭收入稳定"})
		if err != nil || got.Outcome != "decline" || got.CaseID != nil {
			t.Errorf("decline: %+v %v", got, err)
		}
		if open, _ := db.MonitorApplications(ctx, townActor, sqlstore.ApplicationFilter{Open: true}); open.Total != 1 {
			t.Errorf("open applications %d, want 1", open.Total)
		}
		for _, tc := range []struct {
			actor fupin.Actor
			want  int
		}{{villageActor, 0}, {wenchangActor, 1}, {townActor, 1}} {
			if todo, err := db.MonitorTodo(ctx, tc.actor, ""); err != nil || todo.Applications != tc.want {
				t.Errorf("%s: %d applications to handle (%v), want %d", tc.actor.Name, todo.Applications, err, tc.want)
			}
		}
	})
}

var authorizationPDF = []byte("%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// TestRecordApplication checks the cadre-recorded application: the
// household's head and village, the 承诺授权书 checked and readable only in
// the area, and the application accepted like a public one.
func TestRecordApplication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		pinMonitor(db, fupin.NewDate(2026, 3, 2))
		h := monitoredHousehold(t, db, 10)
		in := sqlstore.CadreApplication{HouseholdID: h.ID, Phone: "13800001234", Content: "户主住院，申请纳入监测"}
		if _, err := db.RecordApplication(ctx, wenchangActor, in, "授权书.pdf", authorizationPDF); code(err) != fupin.ENotFound {
			t.Errorf("a household outside the area: %v, want not_found", err)
		}
		if _, err := db.RecordApplication(ctx, villageActor, in, "授权书.txt", []byte("签字了")); !hasField(err, "file") {
			t.Errorf("not a PDF or image: %v, want invalid file", err)
		}
		bad := in
		bad.Phone = "x"
		if _, err := db.RecordApplication(ctx, villageActor, bad, "授权书.pdf", authorizationPDF); !hasField(err, "phone") {
			t.Errorf("bad phone: %v, want invalid phone", err)
		}
		a, err := db.RecordApplication(ctx, villageActor, in, `C:\扫描\承诺授权书.pdf`, authorizationPDF)
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != h.HeadName || a.VillageCode != h.VillageCode || a.HouseholdID == nil || *a.HouseholdID != h.ID ||
			a.RecordedBy != villageActor.Name || !a.Authorization {
			t.Errorf("recorded application %+v", a)
		}
		f, err := db.ApplicationAuthorization(ctx, townActor, a.ID)
		if err != nil || string(f.Data) != string(authorizationPDF) || f.ContentType != "application/pdf" || f.FileName != "承诺授权书.pdf" {
			t.Errorf("authorization %+v %v", f, err)
		}
		if _, err := db.ApplicationAuthorization(ctx, wenchangActor, a.ID); code(err) != fupin.ENotFound {
			t.Errorf("authorization outside the area: %v", err)
		}
		if page, _ := db.MonitorApplications(ctx, townActor, sqlstore.ApplicationFilter{Open: true}); page.Total != 1 {
			t.Errorf("queue holds %d, want the recorded application", page.Total)
		}
		got, err := db.DecideApplication(ctx, townActor, a.ID, sqlstore.ApplicationDecision{Version: a.Version, Outcome: "accept",
			HouseholdID: h.ID, Category: "unstable", Risks: []string{"illness"}})
		if err != nil || got.CaseID == nil {
			t.Errorf("accept: %+v %v", got, err)
		}
	})
}
