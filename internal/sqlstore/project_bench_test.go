package sqlstore_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// BenchmarkProjectRollup: the funds roll-up of a county with 2,000
// projects (two budget lines and one payment each), on SQLite, and on
// PostgreSQL when FUPIN_TEST_POSTGRES_URL is set.
func BenchmarkProjectRollup(b *testing.B) {
	engines := map[string]func(testing.TB) *sqlstore.DB{"sqlite": dbtest.SQLite}
	if os.Getenv("FUPIN_TEST_POSTGRES_URL") != "" {
		engines["postgres"] = dbtest.Postgres
	}
	for name, open := range engines {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			db.Now = func() time.Time { return time.Date(2025, 11, 3, 2, 0, 0, 0, time.UTC) }
			county := fupin.Actor{Name: "奉节县", Areas: []string{"500236"}}
			for i := range 2000 {
				p := newProject()
				p.Name = fmt.Sprintf("项目 %d", i)
				p.AreaCode = []string{tiantai, wenchang}[i%2]
				d, err := db.CreateProject(ctx, county, "county", p)
				if err != nil {
					b.Fatal(err)
				}
				if d, err = db.ActOnProject(ctx, county, "county", d.ID, sqlstore.ProjectAction{Kind: "approve", Version: d.Version}); err != nil {
					b.Fatal(err)
				}
				if _, err := db.AddDisbursement(ctx, county, "county", d.ID, project.Disbursement{PaidOn: fupin.NewDate(2025, 11, 3), Amount: 10_000_00, Source: "central"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				r, err := db.ProjectRollup(ctx, county, sqlstore.ProjectFilter{Area: pingan})
				if err != nil || r.Projects != 2000 {
					b.Fatalf("%+v %v", r.Projects, err)
				}
			}
		})
	}
}
