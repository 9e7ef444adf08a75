package sqlstore_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

func newProject(hh ...int64) project.Project {
	return project.Project{Name: "天台村产业路硬化", Type: project.TypeInfrastructure, Subtype: "road", AreaCode: tiantai, Year: 2025,
		PlannedEnd: fupin.NewDate(2025, 9, 30), Households: hh, People: 12,
		Budget: []project.BudgetLine{{Source: "east_west", Amount: 20_000_00}, {Source: "central", Amount: 80_000_00}}}
}

// TestProjectLifecycle: a township creates a project for two households;
// approval and acceptance need the county; payments stay within each
// source's budget; the budget cannot drop below what was paid; an accepted
// project is closed; every write is audited; the notice names households
// by head and village only.
func TestProjectLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2025, 11, 3, 2, 0, 0, 0, time.UTC) }
		var hh []int64
		var heads []string
		for i, v := range []string{tiantai, tiantai, wenchang} {
			h, err := db.CreateHousehold(ctx, admin, family(t, v, 800+10*i))
			if err != nil {
				t.Fatal(err)
			}
			hh, heads = append(hh, h.ID), append(heads, h.HeadName)
		}
		township := fupin.Actor{Name: "平安乡", Areas: []string{pingan}}
		county := fupin.Actor{Name: "奉节县", Areas: []string{"500236"}}
		if _, err := db.CreateProject(ctx, township, "township", newProject(hh[0], hh[2])); fieldOf(err) != "households[1]" {
			t.Fatalf("household outside the village: %v", err)
		}
		if _, err := db.CreateProject(ctx, township, "village", newProject()); code(err) != fupin.EForbidden {
			t.Fatalf("village user creates: %v", err)
		}
		other := newProject()
		towns, err := region.Children("500237")
		if err != nil || len(towns) == 0 {
			t.Fatalf("巫山县 townships: %v", err)
		}
		other.AreaCode = towns[0].Code
		if _, err := db.CreateProject(ctx, township, "township", other); code(err) != fupin.EForbidden {
			t.Fatalf("outside the township: %v", err)
		}
		p, err := db.CreateProject(ctx, township, "township", newProject(hh[0], hh[1]))
		if err != nil || p.Status != project.StatusPlan || p.HouseholdCount != 2 || p.BudgetTotal != 100_000_00 || p.Budget[0].Source != "central" {
			t.Fatalf("create %+v, %v", p, err)
		}
		if !p.Overdue {
			t.Errorf("planned end 2025-09-30 passed on 2025-11-03, not accepted: not overdue")
		}
		pay := project.Disbursement{PaidOn: fupin.NewDate(2025, 11, 3), Amount: 50_000_00, Source: "central"}
		if _, err := db.AddDisbursement(ctx, township, "township", p.ID, pay); code(err) != fupin.EConflict {
			t.Fatalf("pay before approval: %v", err)
		}
		if _, err := db.ActOnProject(ctx, township, "township", p.ID, sqlstore.ProjectAction{Kind: "approve", Version: p.Version}); code(err) != fupin.EForbidden {
			t.Fatalf("township approves: %v", err)
		}
		if p, err = db.ActOnProject(ctx, county, "county", p.ID, sqlstore.ProjectAction{Kind: "approve", Version: p.Version}); err != nil || p.ApprovedBy != "奉节县" {
			t.Fatalf("approve: %+v %v", p, err)
		}
		if _, err := db.ActOnProject(ctx, township, "township", p.ID, sqlstore.ProjectAction{Kind: "start", Version: p.Version - 1}); code(err) != fupin.EConflict {
			t.Fatalf("stale start: %v", err)
		}
		if p, err = db.ActOnProject(ctx, township, "township", p.ID, sqlstore.ProjectAction{Kind: "start", Version: p.Version}); err != nil || p.Status != project.StatusBuilding {
			t.Fatalf("start: %v", err)
		}
		if p, err = db.AddDisbursement(ctx, township, "township", p.ID, pay); err != nil || p.Spent != 50_000_00 {
			t.Fatalf("pay: %+v %v", p, err)
		}
		// Two concurrent payments of 30,000 against the 30,000 left: one wins.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.AddDisbursement(ctx, township, "township", p.ID, project.Disbursement{PaidOn: pay.PaidOn, Amount: 30_000_00, Source: "central"})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || fieldOf(errs[0])+fieldOf(errs[1]) != "amount" {
			t.Fatalf("concurrent payments: %v, %v", errs[0], errs[1])
		}
		if p, err = db.Project(ctx, township, p.ID); err != nil || p.SpentBySource["central"] != 80_000_00 || len(p.Disbursements) != 2 {
			t.Fatalf("after payments %+v %v", p, err)
		}
		edit := newProject(hh[0])
		edit.Version, edit.Budget[1].Amount = p.Version, 79_999_99
		if _, err := db.UpdateProject(ctx, township, "township", p.ID, edit); fieldOf(err) != "budget[1].amount" {
			t.Fatalf("budget below paid: %v", err)
		}
		edit.Budget[1].Amount, edit.Name = 90_000_00, "天台村产业路硬化（变更）"
		if p, err = db.UpdateProject(ctx, township, "township", p.ID, edit); err != nil || p.HouseholdCount != 1 || p.BudgetTotal != 110_000_00 {
			t.Fatalf("update %+v %v", p, err)
		}
		if _, err := db.ActOnProject(ctx, county, "county", p.ID, sqlstore.ProjectAction{Kind: "accept", Version: p.Version}); fieldOf(err) != "opinion" {
			t.Fatalf("accept without opinion: %v", err)
		}
		if p, err = db.ActOnProject(ctx, county, "county", p.ID, sqlstore.ProjectAction{Kind: "accept", Opinion: "工程质量合格", Version: p.Version}); err != nil || p.Overdue {
			t.Fatalf("accept %+v %v", p, err)
		}
		edit.Version = p.Version
		if _, err := db.UpdateProject(ctx, township, "township", p.ID, edit); code(err) != fupin.EConflict {
			t.Fatalf("edit accepted: %v", err)
		}
		n, err := db.Notice(ctx, fupin.Actor{Name: "天台村", Areas: []string{tiantai}}, p.ID)
		if err != nil || n.Stage != "after" || len(n.Households) != 1 || n.Households[0].HeadName != heads[0] || n.Households[0].VillageName == "" ||
			len(n.Lines) != 2 || n.Lines[0].Spent != 80_000_00 || len(n.Project.Households) != 0 {
			t.Fatalf("notice %+v %v", n, err)
		}
		if _, err := db.Notice(ctx, fupin.Actor{Name: "文昌村", Areas: []string{wenchang}}, p.ID); code(err) != fupin.ENotFound {
			t.Fatalf("notice seen from another village: %v", err)
		}
		events, err := db.AuditLog(ctx, fupin.SystemActor("test"), sqlstore.AuditFilter{Action: "project."})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events.Items {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, " "); strings.Count(got, "project.") != 7 {
			t.Errorf("audit %s", got)
		}
	})
}

// TestProjectListAndRollup: filters by village, year, status and type;
// the roll-up sums budgets and payments of the projects the caller sees.
func TestProjectListAndRollup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2025, 11, 3, 2, 0, 0, 0, time.UTC) }
		county := fupin.Actor{Name: "奉节县", Areas: []string{"500236"}}
		a, err := db.CreateProject(ctx, county, "county", newProject())
		if err != nil {
			t.Fatal(err)
		}
		b := newProject()
		b.AreaCode, b.Villages, b.Type, b.Subtype, b.Year = pingan, []string{wenchang}, project.TypeIndustry, "", 2024
		b.PlannedEnd = fupin.NewDate(2026, 1, 1)
		b.Budget = []project.BudgetLine{{Source: "county", Amount: 50_000_00}}
		if _, err := db.CreateProject(ctx, county, "county", b); err != nil {
			t.Fatal(err)
		}
		a, _ = db.ActOnProject(ctx, county, "county", a.ID, sqlstore.ProjectAction{Kind: "approve", Version: a.Version})
		if _, err := db.AddDisbursement(ctx, county, "county", a.ID, project.Disbursement{PaidOn: fupin.NewDate(2025, 11, 3), Amount: 25_000_00, Source: "central"}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			f    sqlstore.ProjectFilter
			want int
		}{
			{sqlstore.ProjectFilter{}, 2},
			{sqlstore.ProjectFilter{Village: wenchang}, 1},
			{sqlstore.ProjectFilter{Year: 2025}, 1},
			{sqlstore.ProjectFilter{Status: "approved"}, 1},
			{sqlstore.ProjectFilter{Type: "industry"}, 1},
			{sqlstore.ProjectFilter{Area: "500236100"}, 0},
		}
		for _, tt := range tests {
			tt.f.Limit = 20
			page, err := db.Projects(ctx, county, tt.f)
			if err != nil || page.Total != tt.want || len(page.Items) != tt.want {
				t.Errorf("Projects(%+v) = %+v, %v; want %d", tt.f, page, err, tt.want)
			}
		}
		r, err := db.ProjectRollup(ctx, county, sqlstore.ProjectFilter{})
		if err != nil || r.Projects != 2 || r.Budget != 150_000_00 || r.Spent != 25_000_00 || len(r.Rows) != 3 || len(r.Overdue) != 1 {
			t.Fatalf("rollup %+v %v", r, err)
		}
		if want := 25.0 / 150; r.SpendRate < want-1e-9 || r.SpendRate > want+1e-9 {
			t.Errorf("spend rate %v, want %v", r.SpendRate, want)
		}
		r, err = db.ProjectRollup(ctx, fupin.Actor{Name: "天台村", Areas: []string{tiantai}}, sqlstore.ProjectFilter{})
		if err != nil || r.Projects != 2 {
			t.Fatalf("village roll-up (own project and the township's): %+v %v", r, err)
		}
	})
}

// fieldOf is the single field an invalid error names ("" otherwise).
func fieldOf(err error) string {
	e, ok := err.(*fupin.Error)
	if !ok || e.Code != fupin.EInvalid || len(e.Fields) != 1 {
		return ""
	}
	for f := range e.Fields {
		return f
	}
	return ""
}
