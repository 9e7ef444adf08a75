package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/sqlstore"
)

var (
	ctx      = context.Background()
	admin    = fupin.SystemActor("测试管理员")
	tiantai  = "500236266200"
	wenchang = "500236266202"
)

// idNumber builds a valid ID number: region, birth date and sequence.
func idNumber(t testing.TB, region, birth string, seq int) string {
	t.Helper()
	s := fmt.Sprintf("%s%s%03d", region, birth, seq)
	return s + string(idcard.CheckChar(s))
}

func family(t *testing.T, village string, base int) *fupin.Household {
	t.Helper()
	return familyTB(t, village, base)
}

func familyTB(t testing.TB, village string, base int) *fupin.Household {
	t.Helper()
	return &fupin.Household{
		VillageCode: village, Type: "ex_poor", PovertyAttr: "general",
		IdentifiedOn: fupin.NewDate(2015, 3, 1), ExitedOn: fupin.NewDate(2019, 12, 1),
		Members: []fupin.Member{
			{Name: "谭德明", IDNumber: idNumber(t, "512226", "19650304", base+1), Relation: "head", MedicalInsurance: "resident"},
			{Name: "向春梅", IDNumber: idNumber(t, "512226", "19680812", base+2), Relation: "spouse", MedicalInsurance: "resident"},
			{Name: "谭小军", IDNumber: idNumber(t, "500236", "20120101", base+1), Relation: "son", SchoolStatus: "primary"},
		},
	}
}

func TestMigrationFoldersMatch(t *testing.T) {
	lite, err := sqlstore.MigrationNames(sqlstore.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqlstore.MigrationNames(sqlstore.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(lite, pg); diff != "" || len(lite) == 0 {
		t.Fatalf("migration folders differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestCreateAndReadHousehold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 0))
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		got, err := db.Household(ctx, admin, h.ID)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if got.HeadName != "谭德明" || got.Size != 3 || got.Version != 1 || len(got.Members) != 3 {
			t.Fatalf("got head %q size %d version %d members %d", got.HeadName, got.Size, got.Version, len(got.Members))
		}
		m := got.Members[1]
		if m.Sex != "female" || m.BirthDate.String() != "1968-08-12" || m.JoinReason != "registered" {
			t.Errorf("derived fields: sex %q birth %s join %q", m.Sex, m.BirthDate, m.JoinReason)
		}
		hist, err := db.HouseholdHistory(ctx, admin, h.ID)
		if err != nil || len(hist) != 1 || hist[0].Action != "household.create" || hist[0].Actor != "测试管理员" {
			t.Fatalf("history = %+v, %v", hist, err)
		}
	})
}

func TestCreateRejectsBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		tests := []struct {
			name      string
			edit      func(h *fupin.Household)
			wantCode  string
			wantField string
		}{
			{"bad check digit", func(h *fupin.Household) { h.Members[1].IDNumber = h.Members[1].IDNumber[:17] + "0" }, fupin.EInvalid, "members[1].id_number"},
			{"scientific notation", func(h *fupin.Household) { h.Members[0].IDNumber = "5.00236E+17" }, fupin.EInvalid, "members[0].id_number"},
			{"two heads", func(h *fupin.Household) { h.Members[1].Relation = "head" }, fupin.EInvalid, "members"},
			{"no such village", func(h *fupin.Household) { h.VillageCode = "500236266999" }, fupin.EInvalid, "village_code"},
			{"township not village", func(h *fupin.Household) { h.VillageCode = "500236266000" }, fupin.EInvalid, "village_code"},
			{"unknown relation", func(h *fupin.Household) { h.Members[2].Relation = "cousin" }, fupin.EInvalid, "members[2].relation"},
			{"same person twice", func(h *fupin.Household) { h.Members[2].IDNumber = h.Members[1].IDNumber }, fupin.EInvalid, "members[2].id_number"},
			{"marginal must be ordinary", func(h *fupin.Household) { h.MonitorType = "marginal" }, fupin.EInvalid, "monitor_type"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h := family(t, tiantai, 10)
				tt.edit(h)
				_, err := db.CreateHousehold(ctx, admin, h)
				assertFieldError(t, err, tt.wantCode, tt.wantField)
			})
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{})
		if err != nil || page.Total != 0 {
			t.Fatalf("after rejected creates: total %d, %v; want 0", page.Total, err)
		}
	})
}

func assertFieldError(t *testing.T, err error, code, field string) {
	t.Helper()
	e, ok := err.(*fupin.Error)
	if !ok {
		t.Fatalf("err = %v (%T), want *fupin.Error", err, err)
	}
	if e.Code != code {
		t.Errorf("code = %q, want %q (%v)", e.Code, code, e.Fields)
	}
	if field != "" && e.Fields[field] == "" {
		t.Errorf("fields = %v, want a message for %q", e.Fields, field)
	}
}

func TestPersonInOneHousehold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		first, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 20))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateHousehold(ctx, admin, family(t, wenchang, 20))
		assertFieldError(t, err, fupin.EConflict, "members[0].id_number")
		if err := db.DeleteHousehold(ctx, admin, first.ID, first.Version, "重复录入"); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 20)); err != nil {
			t.Fatalf("after the first household was deleted: %v", err)
		}
	})
}

func TestStaleVersionChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 30))
		if err != nil {
			t.Fatal(err)
		}
		edit := *h
		edit.Address = "天台村3组"
		if _, err := db.UpdateHousehold(ctx, admin, &edit); err != nil {
			t.Fatalf("first update: %v", err)
		}
		stale := *h
		stale.Address = "覆盖"
		_, err = db.UpdateHousehold(ctx, admin, &stale)
		assertFieldError(t, err, fupin.EConflict, "version")
		got, _ := db.Household(ctx, admin, h.ID)
		if got.Address != "天台村3组" || got.Version != 2 {
			t.Fatalf("address %q version %d, want the first update only", got.Address, got.Version)
		}
	})
}

func TestMembersLeaveAndIncomePerHead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC) }
		h, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 40))
		if err != nil {
			t.Fatal(err)
		}
		in := fupin.IncomeInput{Version: h.Version, Transfer: 300000, Items: []fupin.IncomeItem{
			{Category: "wage", Name: "务工收入", Amount: 2000000}, {Category: "wage", Name: "村级公益岗", Amount: 400000},
		}, BusinessExpense: 100000}
		y, err := db.PutIncome(ctx, admin, h.ID, 2024, in)
		if err != nil {
			t.Fatalf("income: %v", err)
		}
		if y.Wage != 2400000 || y.Net != 2600000 || y.Size != 3 || *y.PerCapitaNet != 866667 {
			t.Fatalf("income 2024 = wage %v net %v size %d per head %v", y.Wage, y.Net, y.Size, *y.PerCapitaNet)
		}
		h, _ = db.Household(ctx, admin, h.ID)
		head := h.Members[0]
		_, err = db.LeaveMember(ctx, admin, h.ID, head.ID, fupin.MemberLeave{Version: h.Version, LeftOn: fupin.NewDate(2025, 2, 1), Reason: "death"})
		assertFieldError(t, err, fupin.EInvalid, "new_head_id")
		h2, err := db.LeaveMember(ctx, admin, h.ID, head.ID, fupin.MemberLeave{Version: h.Version,
			LeftOn: fupin.NewDate(2025, 2, 1), Reason: "death", NewHeadID: h.Members[1].ID})
		if err != nil {
			t.Fatalf("leave: %v", err)
		}
		if h2.Size != 2 || h2.HeadName != "向春梅" {
			t.Fatalf("after leave: size %d head %q", h2.Size, h2.HeadName)
		}
		if _, err := db.PutIncome(ctx, admin, h.ID, 2025, fupin.IncomeInput{Version: h2.Version, Wage: 2000000}); err != nil {
			t.Fatal(err)
		}
		h3, _ := db.Household(ctx, admin, h.ID)
		got := map[int]int{}
		for _, y := range h3.Incomes {
			got[y.Year] = y.Size
		}
		if diff := cmp.Diff(map[int]int{2024: 3, 2025: 2}, got); diff != "" {
			t.Errorf("size per year (-want +got):\n%s", diff)
		}
	})
}

func TestAreaScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		a, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 50))
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateHousehold(ctx, admin, family(t, wenchang, 60))
		if err != nil {
			t.Fatal(err)
		}
		cadre := fupin.Actor{Name: "天台村干部", Areas: []string{tiantai}}
		if _, err := db.Household(ctx, cadre, b.ID); fupin.ErrorCode(err) != fupin.ENotFound {
			t.Errorf("read outside area: %v, want not_found", err)
		}
		edit := *b
		edit.Address = "越权"
		if _, err := db.UpdateHousehold(ctx, cadre, &edit); fupin.ErrorCode(err) != fupin.ENotFound {
			t.Errorf("write outside area: %v, want not_found", err)
		}
		if _, err := db.CreateHousehold(ctx, cadre, family(t, wenchang, 70)); fupin.ErrorCode(err) != fupin.EForbidden {
			t.Errorf("create outside area: %v, want forbidden", err)
		}
		for _, area := range []string{"", "500236266", tiantai} {
			page, err := db.ListHouseholds(ctx, cadre, fupin.HouseholdFilter{Area: area})
			if err != nil || page.Total != 1 || page.Items[0].ID != a.ID {
				t.Errorf("list area %q: total %d, %v", area, page.Total, err)
			}
		}
		page, _ := db.ListHouseholds(ctx, cadre, fupin.HouseholdFilter{Area: wenchang})
		if page.Total != 0 {
			t.Errorf("list of another village: total %d, want 0", page.Total)
		}
		got, _ := db.Household(ctx, admin, b.ID)
		if got.Address != "" || got.Version != 1 {
			t.Errorf("household outside the area changed: %q v%d", got.Address, got.Version)
		}
	})
}

func TestEncodeItemsMatchesJSON(t *testing.T) {
	items := []fupin.IncomeItem{{Category: "wage", Name: "务工收入", Amount: 1234567},
		{Category: "transfer", Name: `低保金 "A" <b>\`, Amount: 5}, {Category: "property", Name: "分红", Amount: -10}}
	for _, in := range [][]fupin.IncomeItem{nil, {}, items} {
		want, _ := json.Marshal(in)
		if in == nil {
			want = []byte("[]")
		}
		if got := sqlstore.EncodeItems(in); got != string(want) {
			t.Errorf("EncodeItems = %s, want %s", got, want)
		}
	}
}

// FuzzListFilter feeds arbitrary filter text to the list query: it must
// answer a page or an invalid error, never a database error.
func FuzzListFilter(f *testing.F) {
	db := dbtest.SQLite(f)
	if _, err := db.CreateHousehold(ctx, admin, familyTB(f, tiantai, 80)); err != nil {
		f.Fatal(err)
	}
	f.Add("谭", "500236266", "-head_name", 0)
	f.Add("5122261965", "", "size", 5)
	f.Add(`%_\'"`, "50", "updated_at", -1)
	f.Fuzz(func(t *testing.T, q, area, sort string, offset int) {
		_, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Query: q, Area: area, Sort: sort, Offset: offset})
		if code := fupin.ErrorCode(err); code != "" && code != fupin.EInvalid {
			t.Fatalf("q=%q area=%q sort=%q: %v", q, area, sort, err)
		}
	})
}

func TestBulkLoadAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		gen := func(n int, dup bool) func(emit func(*fupin.Household) error) error {
			return func(emit func(*fupin.Household) error) error {
				var first string
				return demo.Generate(demo.Options{Households: n, Seed: 3, Today: fupin.NewDate(2026, 11, 29)}, func(h *fupin.Household) error {
					if first == "" {
						first = h.Members[0].IDNumber
					} else if dup {
						h.Members[0].IDNumber, dup = first, false
					}
					return emit(h)
				})
			}
		}
		// A duplicate person in an empty registry fails the whole load,
		// and the indexes dropped for speed are back afterwards.
		_, err := db.BulkLoad(ctx, admin, "test.load", gen(600, true))
		if fupin.ErrorCode(err) != fupin.EConflict {
			t.Fatalf("load with a duplicate: %v, want conflict", err)
		}
		page, _ := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{})
		if page.Total != 0 {
			t.Fatalf("after a failed load: %d households, want 0", page.Total)
		}
		st, err := db.BulkLoad(ctx, admin, "test.load", gen(600, false))
		if err != nil || st.Households != 600 || st.Members < 1500 {
			t.Fatalf("load: %+v, %v", st, err)
		}
		page, _ = db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: "500236266208", Limit: 5})
		if page.Total == 0 || page.Items[0].HeadName == "" || page.Items[0].Size == 0 {
			t.Fatalf("village page after load: %+v", page)
		}
		h, err := db.Household(ctx, admin, page.Items[0].ID)
		if err != nil || len(h.Incomes) != 3 || h.Incomes[0].PerCapitaNet == nil {
			t.Fatalf("loaded household: %v incomes, %v", len(h.Incomes), err)
		}
		again := family(t, tiantai, 90)
		again.Members[0].IDNumber = h.Members[0].IDNumber
		_, err = db.CreateHousehold(ctx, admin, again)
		assertFieldError(t, err, fupin.EConflict, "members[0].id_number")
		// New rows after a load get fresh ids.
		created, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 95))
		if err != nil || created.ID != 601 {
			t.Fatalf("create after load: id %v, %v; want 601", created, err)
		}
	})
}

func demoHouseholds(n int) func(emit func(*fupin.Household) error) error {
	return func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: n, Seed: 5, Today: fupin.NewDate(2026, 11, 29)}, emit)
	}
}

func TestAuditChainCatchesTampering(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for i := 0; i < 3; i++ {
			if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 200+10*i)); err != nil {
				t.Fatal(err)
			}
		}
		n, prob, err := db.VerifyAudit(ctx)
		if err != nil || prob != nil || n != 3 {
			t.Fatalf("clean chain: %d entries, %+v, %v", n, prob, err)
		}
		tests := []struct {
			name, sql string
			wantID    int64
		}{
			{"edited", `UPDATE audit_log SET actor = '别人' WHERE id = 2`, 2},
			{"deleted", `DELETE FROM audit_log WHERE id = 2`, 3},
			{"reordered", `UPDATE audit_log SET id = 1000 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3;
				UPDATE audit_log SET id = 3 WHERE id = 1000`, 2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := db.Exec(`CREATE TABLE audit_backup AS SELECT * FROM audit_log`); err != nil {
					t.Fatal(err)
				}
				defer func() {
					db.Exec(`DELETE FROM audit_log`)
					db.Exec(`INSERT INTO audit_log SELECT * FROM audit_backup`)
					db.Exec(`DROP TABLE audit_backup`)
				}()
				if err := db.Exec(tt.sql); err != nil {
					t.Fatal(err)
				}
				_, prob, err := db.VerifyAudit(ctx)
				if err != nil || prob == nil || prob.ID != tt.wantID {
					t.Errorf("verify after %s: %+v, %v; want a problem at entry %d", tt.name, prob, err, tt.wantID)
				}
			})
		}
	})
}

func TestBulkLoadMergesExisting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(50)); err != nil {
			t.Fatal(err)
		}
		nos, err := db.LiveHouseholdNos(ctx, admin)
		if err != nil || len(nos) != 50 {
			t.Fatalf("household numbers: %d, %v", len(nos), err)
		}
		again := func(edit func(h *fupin.Household)) sqlstore.BulkStats {
			t.Helper()
			st, err := db.BulkLoad(ctx, admin, "test.import", func(emit func(*fupin.Household) error) error {
				return demoHouseholds(50)(func(h *fupin.Household) error {
					h.ID = nos[h.HouseholdNo]
					edit(h)
					return emit(h)
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		if st := again(func(*fupin.Household) {}); st.Unchanged != 50 || st.Updated != 0 || st.Households != 0 {
			t.Fatalf("same data again: %+v, want 50 unchanged", st)
		}
		target := nos[firstNo(nos)]
		before, _ := db.Household(ctx, admin, target)
		newborn := idNumber(t, "500236", "20250101", 777)
		st := again(func(h *fupin.Household) {
			if h.ID != target {
				return
			}
			h.Address = "导入修改的地址"
			h.Members[0].Health = "serious"
			h.Members = append(h.Members, fupin.Member{Name: "新生儿", IDNumber: newborn, Relation: "grandson",
				JoinReason: "birth", JoinedOn: fupin.NewDate(2025, 1, 1), Sex: "male", BirthDate: fupin.NewDate(2025, 1, 1)})
		})
		if st.Updated != 1 || st.Unchanged != 49 {
			t.Fatalf("one household changed: %+v", st)
		}
		after, _ := db.Household(ctx, admin, target)
		if after.Address != "导入修改的地址" || after.Version != before.Version+1 || len(after.Members) != len(before.Members)+1 {
			t.Errorf("after merge: address %q version %d→%d members %d→%d", after.Address, before.Version, after.Version, len(before.Members), len(after.Members))
		}
		hist, _ := db.HouseholdHistory(ctx, admin, target)
		if len(hist) == 0 || hist[0].Action != "household.import" {
			t.Errorf("history: %+v", hist)
		}
	})
}

func firstNo(m map[string]int64) string {
	best := ""
	for k := range m {
		if best == "" || k < best {
			best = k
		}
	}
	return best
}

// A household created while a load is under way neither takes one of the
// ids the load assigns nor breaks the load: it waits for the load's commit
// (on PostgreSQL the load locks the two tables against other writers).
func TestCreateDuringBulkLoad(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		// A household first, so that its village is registered (a village
		// the load registers would make the create wait anyway).
		if _, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 200)); err != nil {
			t.Fatal(err)
		}
		halfway, release := make(chan struct{}), make(chan struct{})
		loaded := make(chan error, 1)
		go func() {
			n := 0
			_, err := db.BulkLoad(ctx, admin, "test.load", func(emit func(*fupin.Household) error) error {
				return demoHouseholds(1200)(func(h *fupin.Household) error {
					if n++; n == 700 { // after the first batches went in
						close(halfway)
						<-release
					}
					return emit(h)
				})
			})
			loaded <- err
		}()
		<-halfway
		created := make(chan error, 1)
		go func() {
			_, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 300))
			created <- err
		}()
		time.Sleep(300 * time.Millisecond) // let the create reach the database
		close(release)
		if err := <-loaded; err != nil {
			t.Fatalf("load with a concurrent create: %v", err)
		}
		if err := <-created; err != nil {
			t.Fatalf("create during a load: %v", err)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{})
		if err != nil || page.Total != 1202 {
			t.Fatalf("after load and create: %d households, %v; want 1202", page.Total, err)
		}
	})
}
