package sqlstore_test

import (
	"os"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// BenchmarkAuditLogArea measures the first page (50 entries) of the audit
// log narrowed to an area, on a log of 20,000 平安乡 households × 10
// entries each (9 household updates, 1 visit by the township's account):
// everywhere (admin), 奉节县 (every entry is its own: the best case) and
// 巫山县 (no entry is: the whole log is scanned), without and with an
// action filter. Set FUPIN_BENCH_AUDIT=postgres to run it on
// FUPIN_TEST_POSTGRES_URL.
//
//	go test -run '^$' -bench AuditLogArea -benchtime 20x ./internal/sqlstore
func BenchmarkAuditLogArea(b *testing.B) {
	open := dbtest.SQLite
	if os.Getenv("FUPIN_BENCH_AUDIT") == "postgres" {
		open = dbtest.Postgres
	}
	db := open(b)
	if _, err := db.BulkLoad(ctx, admin, "bench", func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: 20000, Seed: 1, Today: fupin.NewDate(2026, 11, 29)}, emit)
	}); err != nil {
		b.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, admin, sqlstore.User{Username: "pingan", Role: string(auth.RoleTownship), Areas: []string{demo.TownshipCode}}, "x"); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 10; i++ {
		q := `INSERT INTO audit_log (at, actor, action, entity, entity_id, household_id, after_json, prev_hash, hash)
			SELECT $1, 'pingan', 'household.update', 'household', CAST(id AS TEXT), id, '{"phone":"13900000000"}', '', '' FROM households`
		if i == 5 {
			q = `INSERT INTO audit_log (at, actor, action, entity, entity_id, household_id, after_json, prev_hash, hash)
			SELECT $1, 'pingan', 'aid.visit.create', 'visit', CAST(id AS TEXT), NULL, '{}', '', '' FROM households`
		}
		if err := db.Exec(q, at.Add(time.Duration(i)*time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name   string
		areas  []string
		action string
	}{
		{"admin", []string{""}, ""},
		{"county-own", []string{"500236"}, ""},
		{"county-other", []string{"500237"}, ""},
		{"county-own-visits", []string{"500236"}, "aid.visit.create"},
		{"county-other-visits", []string{"500237"}, "aid.visit.create"},
	} {
		b.Run(c.name, func(b *testing.B) {
			actor := fupin.Actor{Name: "bench", Areas: c.areas}
			for i := 0; i < b.N; i++ {
				page, err := db.AuditLog(ctx, actor, sqlstore.AuditFilter{Action: c.action})
				if err != nil {
					b.Fatal(err)
				}
				if own := c.areas[0] != "500237"; own != (len(page.Items) == 50) {
					b.Fatalf("%d entries", len(page.Items))
				}
			}
		})
	}
}
