package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"fupin/internal/aid"
	"fupin/internal/criteria"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

const pingan = "500236266"

// pinAid pins the store's clock to 2025-06-15 10:00 in China.
func pinAid(db *sqlstore.DB) {
	db.Now = func() time.Time { return time.Date(2025, 6, 15, 2, 0, 0, 0, time.UTC) }
}

func code(err error) string { return fupin.ErrorCode(err) }

// aidWorld is a township with a group, cadres posted in 天台村 and
// 文昌村 and some ex-poor households there.
type aidWorld struct {
	group      *aid.Group
	secretary  map[string]*aid.Cadre // first secretary by village
	helper     map[string]*aid.Cadre // a helper by village
	newcomer   *aid.Cadre            // registered, not yet posted
	households map[string][]int64    // by village
	postings   map[string]*aid.Posting
}

func newCadre(t *testing.T, db *sqlstore.DB, name string, seq int) *aid.Cadre {
	t.Helper()
	c, err := db.CreateCadre(ctx, admin, aid.Cadre{Name: name, IDNumber: idNumber(t, "500103", "19800101", seq),
		Phone: "13900001111", UnitName: "市政府外办", Post: "四级调研员", Political: "cpc_member", AreaCode: pingan})
	if err != nil {
		t.Fatalf("cadre %s: %v", name, err)
	}
	return c
}

func post(t *testing.T, db *sqlstore.DB, c *aid.Cadre, role, area string, started fupin.Date) *aid.Posting {
	t.Helper()
	p, err := db.CreatePosting(ctx, admin, aid.Posting{CadreID: c.ID, Role: role, AreaCode: area, StartedOn: started})
	if err != nil {
		t.Fatalf("posting %s %s: %v", c.Name, role, err)
	}
	return p
}

func buildAidWorld(t *testing.T, db *sqlstore.DB, perVillage int) *aidWorld {
	t.Helper()
	pinAid(db)
	w := &aidWorld{secretary: map[string]*aid.Cadre{}, helper: map[string]*aid.Cadre{},
		households: map[string][]int64{}, postings: map[string]*aid.Posting{}}
	var err error
	if w.group, err = db.CreateAidGroup(ctx, admin, aid.Group{Name: "市政府办公厅帮扶集团", AreaCode: pingan, LeadUnit: "市政府办公厅"}); err != nil {
		t.Fatal(err)
	}
	seq := 1
	for vi, v := range []string{tiantai, wenchang} {
		w.secretary[v] = newCadre(t, db, "书记"+v[9:], seq)
		w.helper[v] = newCadre(t, db, "帮扶"+v[9:], seq+1)
		seq += 2
		w.postings[v] = post(t, db, w.secretary[v], "first_secretary", v, fupin.NewDate(2023, 7, 1))
		post(t, db, w.helper[v], "helper", v, fupin.NewDate(2024, 1, 1))
		for i := 0; i < perVillage; i++ {
			h, err := db.CreateHousehold(ctx, admin, family(t, v, 3*(vi*perVillage+i)+10))
			if err != nil {
				t.Fatal(err)
			}
			w.households[v] = append(w.households[v], h.ID)
			cadre := w.secretary[v]
			if i%2 == 1 {
				cadre = w.helper[v]
			}
			if _, err := db.PairHousehold(ctx, admin, h.ID, aid.PairingChange{CadreID: cadre.ID, StartedOn: fupin.NewDate(2024, 3, 1)}); err != nil {
				t.Fatalf("pair: %v", err)
			}
		}
	}
	w.newcomer = newCadre(t, db, "新任书记", 90)
	return w
}

func TestAidGroupsCadresPostings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		g, err := db.CreateAidUnit(ctx, admin, w.group.ID, aid.Unit{Name: "市政府外办", VillageCode: "500236266208"})
		if err != nil || len(g.Units) != 2 || g.Units[1].VillageName != "茨竹村" || !g.Units[0].IsLead {
			t.Fatalf("unit: %+v %v", g, err)
		}
		if _, err := db.CreateAidUnit(ctx, admin, w.group.ID, aid.Unit{Name: "市政府外办", VillageCode: tiantai}); code(err) != fupin.EConflict {
			t.Errorf("duplicate unit name: %v, want conflict", err)
		}
		// Whether a unit is the lead one comes from the stored group, never
		// from the request: a "lead" member unit without a village is refused.
		_, err = db.CreateAidUnit(ctx, admin, w.group.ID, aid.Unit{Name: "冒充牵头单位", IsLead: true})
		if fe, ok := err.(*fupin.Error); !ok || fe.Fields["village_code"] == "" {
			t.Errorf("member unit claiming to lead, without a village: %v", err)
		}
		_, err = db.CreateAidUnit(ctx, admin, w.group.ID, aid.Unit{Name: "市外单位", VillageCode: "500237100001"})
		if fe, ok := err.(*fupin.Error); !ok || fe.Fields["village_code"] == "" {
			t.Errorf("village outside the township: %v", err)
		}
		_, err = db.CreateCadre(ctx, admin, aid.Cadre{Name: "重复", IDNumber: w.newcomer.IDNumber, AreaCode: pingan})
		if code(err) != fupin.EConflict {
			t.Errorf("duplicate ID number: %v", err)
		}
		_, err = db.CreateCadre(ctx, admin, aid.Cadre{Name: "错号", IDNumber: "500103198001010011", AreaCode: pingan})
		if fe, ok := err.(*fupin.Error); !ok || fe.Fields["id_number"] == "" {
			t.Errorf("bad ID number: %v", err)
		}
		// One first secretary per village.
		_, err = db.CreatePosting(ctx, admin, aid.Posting{CadreID: w.newcomer.ID, Role: "first_secretary", AreaCode: tiantai, StartedOn: fupin.NewDate(2025, 1, 1)})
		if code(err) != fupin.EConflict {
			t.Errorf("second first secretary: %v", err)
		}
		// The term defaults to two years; 2023-07-01 + 24 months is within 60 days of 2025-06-15.
		if p := w.postings[tiantai]; p.PlannedEndOn != fupin.NewDate(2025, 7, 1) {
			t.Errorf("planned end = %s", p.PlannedEndOn)
		}
		alerts, err := db.ListTermAlerts(ctx, admin, pingan)
		if err != nil || len(alerts) != 2 || alerts[0].Kind != "ending" || alerts[0].DaysLeft != 16 {
			t.Errorf("alerts = %+v %v", alerts, err)
		}
		teams, err := db.ListWorkTeams(ctx, admin, tiantai)
		if err != nil || len(teams) != 1 || teams[0].Leader == nil || teams[0].Leader.CadreName != w.secretary[tiantai].Name {
			t.Errorf("teams = %+v %v", teams, err)
		}
		// A village user sees its township's group, not another village's cadres.
		village := fupin.Actor{Name: "天台村", Areas: []string{tiantai}}
		if gs, err := db.ListAidGroups(ctx, village, ""); err != nil || len(gs) != 1 {
			t.Errorf("village sees groups %d %v", len(gs), err)
		}
		if _, err := db.Cadre(ctx, village, w.secretary[wenchang].ID); code(err) != fupin.ENotFound {
			t.Errorf("village reads another village's cadre: %v", err)
		}
		if _, err := db.Cadre(ctx, village, w.secretary[tiantai].ID); err != nil {
			t.Errorf("village reads its own first secretary: %v", err)
		}
		if _, err := db.CreatePosting(ctx, village, aid.Posting{CadreID: w.newcomer.ID, Role: "helper", AreaCode: wenchang, StartedOn: fupin.NewDate(2025, 1, 1)}); code(err) != fupin.EForbidden {
			t.Errorf("posting outside the area: %v", err)
		}
	})
}

func TestPairingInvariant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 3)
		orphan, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 900))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := db.Unpaired(ctx, admin, pingan)
		if err != nil || rep.Total != 1 || rep.Need != 7 || rep.Items[0].HouseholdID != orphan.ID {
			t.Fatalf("unpaired = %+v %v", rep, err)
		}
		hid := w.households[tiantai][0]
		if _, err := db.PairHousehold(ctx, admin, hid, aid.PairingChange{CadreID: w.helper[tiantai].ID, Reason: "调整"}); err != nil {
			t.Fatal(err)
		}
		hist, err := db.ListHouseholdPairings(ctx, admin, hid)
		if err != nil || len(hist) != 2 || !hist[0].EndedOn.IsZero() || hist[1].EndedOn != fupin.NewDate(2025, 6, 15) || hist[1].EndReason != "调整" {
			t.Errorf("history = %+v %v", hist, err)
		}
		if err := db.EndPairing(ctx, admin, hid, "不再帮扶"); code(err) != fupin.EConflict {
			t.Errorf("ending an ex-poor household's only helper: %v", err)
		}
		// At most one active helper is the database's rule, whatever the code does.
		err = db.Exec(`INSERT INTO pairings (household_id, cadre_id, village_code, started_on, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, '2025-01-01', 't', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`, hid, w.secretary[tiantai].ID, tiantai)
		if err == nil {
			t.Error("a second active pairing was accepted")
		}
		load, err := db.ListWorkload(ctx, admin, tiantai)
		if err != nil || len(load) != 2 || load[0].Households != 2 || load[0].CadreID != w.helper[tiantai].ID {
			t.Errorf("workload = %+v %v", load, err)
		}
		// A helper's last posting cannot end while they help households.
		p := w.postings[wenchang]
		_, err = db.ChangePosting(ctx, admin, p.ID, aid.PostingChange{Version: p.Version, EndedOn: fupin.NewDate(2025, 6, 1), EndReason: "调离"})
		if code(err) != fupin.EConflict {
			t.Errorf("ending a posting of a cadre with pairings: %v", err)
		}
	})
}

func TestVisitFeedsPolicyEngine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 2)
		hid := w.households[tiantai][0]
		before, _ := db.Household(ctx, admin, hid)
		no := false
		v, err := db.RecordVisit(ctx, admin, hid, aid.Visit{CadreID: w.secretary[tiantai].ID, VisitedOn: fupin.NewDate(2025, 6, 10),
			Kind: "home", Findings: "家中缺粮", FoodSecure: &no})
		if err != nil || !v.HouseholdUpdated {
			t.Fatalf("visit: %+v %v", v, err)
		}
		after, _ := db.Household(ctx, admin, hid)
		if after.Version != before.Version+1 || after.Basics.FoodSecure == nil || *after.Basics.FoodSecure ||
			after.Basics.CheckedOn != fupin.NewDate(2025, 6, 10) {
			t.Errorf("household basics after visit: v%d %+v", after.Version, after.Basics)
		}
		as, err := db.AssessHousehold(ctx, admin, hid, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := as.Verdict.Result(criteria.ItemFood); r.Status != criteria.Fail || len(as.History) == 0 {
			t.Errorf("food verdict %v, %d replaced verdicts (the stored one was not recomputed)", r.Status, len(as.History))
		}
		acts, _ := db.AuditActionCounts(ctx)
		if acts["aid.visit.create"] != 1 || acts["household.update"] != 1 {
			t.Errorf("audit = %v", acts)
		}
		// An older visit does not overwrite a newer observation; a phone call records none.
		yes := true
		old, err := db.RecordVisit(ctx, admin, hid, aid.Visit{CadreID: w.secretary[tiantai].ID, VisitedOn: fupin.NewDate(2025, 5, 1), Kind: "home", FoodSecure: &yes})
		if err != nil || old.HouseholdUpdated {
			t.Errorf("older visit: %+v %v", old, err)
		}
		if _, err := db.RecordVisit(ctx, admin, hid, aid.Visit{CadreID: w.secretary[tiantai].ID, VisitedOn: fupin.NewDate(2025, 6, 1), Kind: "phone", FoodSecure: &yes}); code(err) != fupin.EInvalid {
			t.Errorf("phone visit with observations: %v", err)
		}
		if _, err := db.RecordVisit(ctx, admin, hid, aid.Visit{CadreID: w.secretary[tiantai].ID, VisitedOn: fupin.NewDate(2025, 7, 1), Kind: "home"}); code(err) != fupin.EInvalid {
			t.Errorf("visit in the future: %v", err)
		}
		// Overdue: the other household was paired on 2024-03-01 and never visited
		// (quarterly: due 2024-05-30); the visited one is not overdue.
		list, err := db.ListOverdueVisits(ctx, admin, tiantai)
		if err != nil || len(list) != 1 || list[0].HouseholdID != w.households[tiantai][1] || list[0].DueOn != fupin.NewDate(2024, 5, 30) {
			t.Errorf("overdue = %+v %v", list, err)
		}
		// Photos: type sniffed from the bytes, size limited, served back.
		jpeg := testJPEG(t)
		p, err := db.AddVisitPhoto(ctx, admin, v.ID, `C:\相册\走访.jpg`, jpeg)
		if err != nil || p.ContentType != "image/jpeg" || p.FileName != "走访.jpg" {
			t.Fatalf("photo: %+v %v", p, err)
		}
		if _, err := db.AddVisitPhoto(ctx, admin, v.ID, "x.png", []byte("GIF89a....")); code(err) != fupin.EInvalid {
			t.Errorf("GIF named .png: %v", err)
		}
		if _, err := db.AddVisitPhoto(ctx, admin, v.ID, "big.jpg", append(jpeg, make([]byte, sqlstore.MaxPhotoBytes)...)); code(err) != fupin.ETooLarge {
			t.Errorf("photo over the limit: %v", err)
		}
		got, err := db.VisitPhotoData(ctx, admin, p.ID)
		if err != nil || !sameJPEG(got.Data, jpeg) {
			t.Errorf("photo data: %v", err)
		}
		if _, err := db.VisitPhotoData(ctx, fupin.Actor{Name: "文昌", Areas: []string{wenchang}}, p.ID); code(err) != fupin.ENotFound {
			t.Errorf("photo outside the area: %v", err)
		}
		// A page lists each visit with its own photos, in order (one query for the page).
		p2, err := db.AddVisitPhoto(ctx, admin, v.ID, "第二张.jpg", jpeg)
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.ListVisits(ctx, admin, aid.VisitFilter{Area: tiantai, Limit: 500})
		if err != nil || len(page.Items) < 2 {
			t.Fatalf("visits page: %d items, %v", len(page.Items), err)
		}
		for _, it := range page.Items {
			want := []int64{}
			if it.ID == v.ID {
				want = []int64{p.ID, p2.ID}
			}
			if fmt.Sprint(it.Photos) != fmt.Sprint(want) || it.Photos == nil {
				t.Errorf("visit %d lists photos %v, want %v", it.ID, it.Photos, want)
			}
		}
	})
}

func TestAttendance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 0)
		sec := w.secretary[tiantai]
		for d := 1; d <= 21; d++ {
			if _, err := db.RecordCheckIn(ctx, admin, aid.CheckIn{CadreID: sec.ID, AreaCode: tiantai, Day: fupin.NewDate(2025, 5, d)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RecordCheckIn(ctx, admin, aid.CheckIn{CadreID: sec.ID, AreaCode: tiantai, Day: fupin.NewDate(2025, 5, 1)}); code(err) != fupin.EConflict {
			t.Errorf("second check-in the same day: %v", err)
		}
		if _, err := db.RecordCheckIn(ctx, admin, aid.CheckIn{CadreID: sec.ID, AreaCode: wenchang, Day: fupin.NewDate(2025, 5, 2)}); code(err) != fupin.EConflict {
			t.Errorf("check-in where not posted: %v", err)
		}
		// The other secretary: 10 days and an approved leave of 5, returned a day early.
		other := w.secretary[wenchang]
		for d := 1; d <= 10; d++ {
			db.RecordCheckIn(ctx, admin, aid.CheckIn{CadreID: other.ID, AreaCode: wenchang, Day: fupin.NewDate(2025, 5, d)})
		}
		l, err := db.RequestLeave(ctx, admin, aid.Leave{CadreID: other.ID, AreaCode: wenchang, FromOn: fupin.NewDate(2025, 5, 20), ToOn: fupin.NewDate(2025, 5, 24), Reason: "病假"})
		if err != nil {
			t.Fatal(err)
		}
		village := fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}
		if _, err := db.ActOnLeave(ctx, village, l.ID, aid.LeaveAction{Version: l.Version, Action: "approve"}); code(err) != fupin.EForbidden {
			t.Errorf("village approves leave: %v", err)
		}
		if l, err = db.ActOnLeave(ctx, admin, l.ID, aid.LeaveAction{Version: l.Version, Action: "approve"}); err != nil || l.Status != "approved" {
			t.Fatalf("approve: %+v %v", l, err)
		}
		if l, err = db.ActOnLeave(ctx, village, l.ID, aid.LeaveAction{Version: l.Version, Action: "return", ReturnedOn: fupin.NewDate(2025, 5, 24)}); err != nil || l.Status != "returned" {
			t.Fatalf("return: %+v %v", l, err)
		}
		rep, err := db.MonthlyAttendance(ctx, admin, pingan, "2025-05")
		if err != nil || len(rep.Teams) != 2 || rep.Short != 1 {
			t.Fatalf("report = %+v %v", rep, err)
		}
		got := map[int64]aid.CadreAttendance{}
		for _, tm := range rep.Teams {
			for _, c := range tm.Cadres {
				got[c.CadreID] = c
			}
		}
		if a := got[sec.ID]; a.Present != 21 || a.Required != 20 || !a.Met {
			t.Errorf("tiantai secretary = %+v", a)
		}
		if a := got[other.ID]; a.Present != 10 || a.LeaveDays != 4 || a.Met {
			t.Errorf("wenchang secretary = %+v", a)
		}
		if _, err := db.MonthlyAttendance(ctx, admin, pingan, "2025-5"); code(err) != fupin.EInvalid {
			t.Errorf("bad month: %v", err)
		}
	})
}
