package sqlstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestDataTokenFollowsWritesNotReads checks the key of the dashboard (and
// list total) caches: reads, including the audited view of a household's
// people and an export, leave it; every kind of write the dashboard can
// show moves it.
func TestDataTokenFollowsWritesNotReads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC) }
		var h *fupin.Household
		reload := func() {
			t.Helper()
			var err error
			if h, err = db.Household(ctx, admin, h.ID); err != nil {
				t.Fatal(err)
			}
		}
		steps := []struct {
			name   string
			change bool
			do     func() error
		}{
			{"create household", true, func() (err error) { h, err = db.CreateHousehold(ctx, admin, cleanFamily(t, 300)); return err }},
			{"read household", false, func() error { _, err := db.Household(ctx, admin, h.ID); return err }},
			{"person.view", false, func() error {
				return db.AuditEvent(ctx, "查看者", "person.view", "household", "1", map[string]string{"path": "/x"})
			}},
			{"registry.export", false, func() error {
				return db.AuditEvent(ctx, "查看者", "registry.export", "area", "500236", map[string]string{"format": "csv"})
			}},
			{"list.export", false, func() error {
				return db.AuditEvent(ctx, "查看者", "list.export", "area", "500236", map[string]string{"list": "农户台账", "rows": "1"})
			}},
			{"list", false, func() error { _, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Query: "谭"}); return err }},
			{"dashboard", false, func() error { _, err := db.Dashboard(ctx, admin, "500236266", 2025); return err }},
			{"token", false, func() error {
				_, err := db.CreateToken(ctx, admin, sqlstore.APIToken{Name: "t", Role: "viewer", Areas: []string{"500236"}}, "hash")
				return err
			}},
			{"update household", true, func() error {
				c := *h
				c.Address = "新地址"
				_, err := db.UpdateHousehold(ctx, admin, &c)
				return err
			}},
			{"add member", true, func() error {
				reload()
				_, err := db.AddMember(ctx, admin, h.ID, sqlstore.MemberChange{Version: h.Version, Member: fupin.Member{
					Name: "谭小红", IDNumber: idNumber(t, "500236", "20200101", 302), Relation: "daughter", MedicalInsurance: "resident",
					JoinReason: "birth", JoinedOn: fupin.NewDate(2020, 1, 1)}})
				return err
			}},
			{"update member", true, func() error {
				reload()
				m := h.Members[1]
				m.Health = "chronic"
				_, err := db.UpdateMember(ctx, admin, h.ID, m.ID, sqlstore.MemberChange{Version: h.Version, Member: m})
				return err
			}},
			{"leave member", true, func() error {
				reload()
				_, err := db.LeaveMember(ctx, admin, h.ID, h.Members[2].ID, fupin.MemberLeave{Version: h.Version,
					LeftOn: fupin.NewDate(2026, 1, 1), Reason: "move_out"})
				return err
			}},
			{"income", true, func() error {
				reload()
				_, err := db.PutIncome(ctx, admin, h.ID, 2025, fupin.IncomeInput{Version: h.Version, Wage: 2000000})
				return err
			}},
			{"policy", true, func() error {
				return db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: "500236266", Year: 2024, Key: criteria.KeyWaterMinLPD, Value: "70"})
			}},
			{"assess a year without verdicts", true, func() error { _, err := db.Assess(ctx, admin, "500236266", 2021, nil); return err }},
			{"assess again, nothing to write", false, func() error { _, err := db.Assess(ctx, admin, "500236266", 2021, nil); return err }},
			{"bulk load", true, func() error { _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(5)); return err }},
			{"delete household", true, func() error {
				reload()
				return db.DeleteHousehold(ctx, admin, h.ID, h.Version, "测试删除")
			}},
		}
		prev, err := db.DataToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			got, err := db.DataToken(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if changed := got != prev; changed != s.change {
				t.Errorf("%s: token %s → %s, changed = %v, want %v", s.name, prev, got, changed, s.change)
			}
			prev = got
		}
	})
}

// TestDashboardSeesOtherProcessWrites checks that a memoised dashboard is
// recomputed after another handle on the same file (the CLI beside the
// server) writes, and kept after that handle only views a household.
func TestDashboardSeesOtherProcessWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.db")
	open := func() *sqlstore.DB {
		db, err := sqlstore.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}
	server, cli := open(), open()
	households := func() int {
		t.Helper()
		d, err := server.Dashboard(ctx, admin, "500236266", 2025)
		if err != nil {
			t.Fatal(err)
		}
		return d.Total.Households
	}
	if got := households(); got != 0 {
		t.Fatalf("empty: %d households", got)
	}
	if _, err := cli.BulkLoad(ctx, admin, "test.import", demoHouseholds(3)); err != nil {
		t.Fatal(err)
	}
	if got := households(); got != 3 {
		t.Fatalf("after the other handle's import: %d households, want 3", got)
	}
	before, _ := server.DataToken(ctx)
	if err := cli.AuditEvent(ctx, "查看者", "person.view", "household", "1", nil); err != nil {
		t.Fatal(err)
	}
	if after, _ := server.DataToken(ctx); after != before {
		t.Errorf("a view by the other handle moved the token %s → %s", before, after)
	}
}
