package project

import (
	"strings"
	"testing"
	"time"

	"fupin/internal/fupin"
)

func road() Project {
	return Project{Name: "平安村通组公路硬化", Type: TypeInfrastructure, Subtype: "road", AreaCode: "500236266200", Year: 2025,
		PlannedEnd: fupin.NewDate(2025, 10, 31), Households: []int64{1, 2, 3}, HouseholdCount: 3,
		Budget: []BudgetLine{{"central", 80_000_00}, {"east_west", 20_000_00}}}
}

func fields(err error) map[string]string {
	if e, ok := err.(*fupin.Error); ok {
		return e.Fields
	}
	return nil
}

func TestValidate(t *testing.T) {
	ok := road()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid project: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*Project)
		field string
	}{
		{"no name", func(p *Project) { p.Name = "  " }, "name"},
		{"long name", func(p *Project) { p.Name = strings.Repeat("路", MaxName+1) }, "name"},
		{"bad type", func(p *Project) { p.Type = "bridge" }, "type"},
		{"infrastructure without kind", func(p *Project) { p.Subtype = "" }, "subtype"},
		{"kind on industry", func(p *Project) { p.Type = TypeIndustry }, "subtype"},
		{"county area", func(p *Project) { p.AreaCode = "500236" }, "area_code"},
		{"village outside", func(p *Project) { p.Villages = []string{"500236100200"} }, "villages[0]"},
		{"village twice", func(p *Project) { p.AreaCode = "500236266"; p.Villages = []string{"500236266200", "500236266200"} }, "villages[1]"},
		{"too many households", func(p *Project) { p.Households = make([]int64, MaxHouseholds+1) }, "households"},
		{"household twice", func(p *Project) { p.Households = []int64{4, 4} }, "households[1]"},
		{"end before start", func(p *Project) { p.PlannedStart = fupin.NewDate(2025, 11, 1) }, "planned_end"},
		{"no end", func(p *Project) { p.PlannedEnd = fupin.Date{} }, "planned_end"},
		{"no budget", func(p *Project) { p.Budget = nil }, "budget"},
		{"unknown source", func(p *Project) { p.Budget[1].Source = "bank" }, "budget[1].source"},
		{"source twice", func(p *Project) { p.Budget[1].Source = "central" }, "budget[1].source"},
		{"zero amount", func(p *Project) { p.Budget[0].Amount = 0 }, "budget[0].amount"},
		{"huge amount", func(p *Project) { p.Budget[0].Amount = MaxAmount + 1 }, "budget[0].amount"},
		{"year", func(p *Project) { p.Year = 1999 }, "year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := road()
			tt.edit(&p)
			err := p.Validate()
			if fields(err)[tt.field] == "" {
				t.Errorf("Validate() = %v, want an error on %s", err, tt.field)
			}
		})
	}
}

func TestActByRole(t *testing.T) {
	at := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	steps := []struct {
		kind, status string
		roles        map[string]bool // role → allowed
	}{
		{ActApprove, StatusApproved, map[string]bool{"admin": true, "county": true, "township": false, "village": false, "aid_unit": false, "inspector": false}},
		{ActStart, StatusBuilding, map[string]bool{"admin": true, "county": true, "township": true, "village": false, "aid_unit": false, "inspector": false}},
		{ActAccept, StatusAccepted, map[string]bool{"admin": true, "county": true, "township": false, "village": false, "aid_unit": false, "inspector": false}},
	}
	p := road()
	p.Status = StatusPlan
	for _, st := range steps {
		for role, allowed := range st.roles {
			q := p
			err := Act(&q, Action{Kind: st.kind, Account: "u-" + role, Role: role, Opinion: "合格", At: at})
			if got := err == nil; got != allowed {
				t.Errorf("%s by %s: err %v, want allowed %v", st.kind, role, err, allowed)
			}
			if err != nil && fupin.ErrorCode(err) != fupin.EForbidden {
				t.Errorf("%s by %s: code %s", st.kind, role, fupin.ErrorCode(err))
			}
		}
		if err := Act(&p, Action{Kind: st.kind, Account: "county1", Role: "county", Opinion: " 质量合格，同意验收 ", At: at}); err != nil || p.Status != st.status {
			t.Fatalf("%s: %v status %s", st.kind, err, p.Status)
		}
	}
	if p.ApprovedBy != "county1" || p.AcceptedAt == nil || !p.AcceptedAt.Equal(at) || p.AcceptOpinion != "质量合格，同意验收" {
		t.Errorf("who/when not recorded: %+v", p)
	}
	if err := Act(&p, Action{Kind: ActApprove, Role: "admin", At: at}); fupin.ErrorCode(err) != fupin.EConflict {
		t.Errorf("approve an accepted project: %v", err)
	}
	if err := CheckEdit(p.Status); fupin.ErrorCode(err) != fupin.EConflict {
		t.Errorf("edit an accepted project: %v", err)
	}
	q := road()
	q.Status = StatusBuilding
	if err := Act(&q, Action{Kind: ActAccept, Role: "county", At: at}); fields(err)["opinion"] == "" {
		t.Errorf("accept without an opinion: %v", err)
	}
	if err := Act(&q, Action{Kind: "demolish", Role: "admin", At: at}); fields(err)["kind"] == "" {
		t.Errorf("unknown action: %v", err)
	}
}

func TestCheckDisbursement(t *testing.T) {
	approved := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	today := fupin.NewDate(2025, 6, 1)
	p := road()
	p.Status, p.ApprovedAt = StatusApproved, &approved
	spent := map[string]fupin.Money{"central": 70_000_00}
	ok := Disbursement{PaidOn: fupin.NewDate(2025, 5, 1), Amount: 10_000_00, Source: "central"}
	if err := CheckDisbursement(&p, spent, 1, &ok, today); err != nil {
		t.Fatalf("the rest of the budget: %v", err)
	}
	tests := []struct {
		name  string
		d     Disbursement
		field string
	}{
		{"one fen over", Disbursement{PaidOn: ok.PaidOn, Amount: 10_000_01, Source: "central"}, "amount"},
		{"source not budgeted", Disbursement{PaidOn: ok.PaidOn, Amount: 1, Source: "social"}, "source"},
		{"unknown source", Disbursement{PaidOn: ok.PaidOn, Amount: 1, Source: "bank"}, "source"},
		{"negative", Disbursement{PaidOn: ok.PaidOn, Amount: -1, Source: "central"}, "amount"},
		{"future", Disbursement{PaidOn: fupin.NewDate(2025, 6, 2), Amount: 1, Source: "central"}, "paid_on"},
		{"before approval", Disbursement{PaidOn: fupin.NewDate(2025, 2, 28), Amount: 1, Source: "central"}, "paid_on"},
		{"no date", Disbursement{Amount: 1, Source: "central"}, "paid_on"},
	}
	for _, tt := range tests {
		if err := CheckDisbursement(&p, spent, 1, &tt.d, today); fields(err)[tt.field] == "" {
			t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
		}
	}
	p.Status = StatusPlan
	if err := CheckDisbursement(&p, spent, 1, &ok, today); fupin.ErrorCode(err) != fupin.EConflict {
		t.Errorf("pay a planned project: %v", err)
	}
	p.Status = StatusBuilding
	if err := CheckDisbursement(&p, spent, MaxDisbursements, &ok, today); fupin.ErrorCode(err) != fupin.EConflict {
		t.Errorf("too many payments: %v", err)
	}
	p.Budget[0].Amount = 60_000_00
	if err := CheckBudget(&p, spent); fields(err)["budget[0].amount"] == "" {
		t.Errorf("budget below paid: %v", err)
	}
	p.Budget[0].Amount = 70_000_00
	if err := CheckBudget(&p, spent); err != nil {
		t.Errorf("budget equal to paid: %v", err)
	}
}

// TestSummarise checks the roll-up against a hand-computed table: two
// projects in one village (2025) and one in another (2024).
func TestSummarise(t *testing.T) {
	today := fupin.NewDate(2025, 12, 1)
	a := road()
	a.ID, a.Status = 1, StatusBuilding // ends 2025-10-31: overdue
	b := Project{ID: 2, Type: TypeIndustry, AreaCode: "500236266200", Year: 2025, Status: StatusAccepted,
		PlannedEnd: fupin.NewDate(2025, 9, 1), HouseholdCount: 2,
		Budget: []BudgetLine{{"central", 50_000_00}}}
	c := Project{ID: 3, Type: TypeEmployment, AreaCode: "500236266201", Year: 2024, Status: StatusApproved,
		PlannedEnd: fupin.NewDate(2026, 1, 1), HouseholdCount: 5,
		Budget: []BudgetLine{{"county", 50_000_00}}}
	spent := map[int64]map[string]fupin.Money{1: {"central": 40_000_00, "east_west": 20_000_00}, 2: {"central": 50_000_00}}
	got := Summarise([]Project{c, b, a}, spent, today)
	// Budget 80k+20k+50k+50k = 200,000 yuan; spent 110,000; households 3+2+5 = 10.
	if got.Projects != 3 || got.Budget != 200_000_00 || got.Spent != 110_000_00 || got.Households != 10 {
		t.Errorf("totals %+v", got)
	}
	if got.SpendRate != 0.55 || got.PerTenThousand != 0.5 {
		t.Errorf("spend rate %v, households per 10k %v; want 0.55 and 0.5", got.SpendRate, got.PerTenThousand)
	}
	want := []FundRow{
		{AreaCode: "500236266200", Year: 2025, Type: "industry", Source: "central", Budget: 50_000_00, Spent: 50_000_00},
		{AreaCode: "500236266200", Year: 2025, Type: "infrastructure", Source: "central", Budget: 80_000_00, Spent: 40_000_00},
		{AreaCode: "500236266200", Year: 2025, Type: "infrastructure", Source: "east_west", Budget: 20_000_00, Spent: 20_000_00},
		{AreaCode: "500236266201", Year: 2024, Type: "employment", Source: "county", Budget: 50_000_00},
	}
	if len(got.Rows) != len(want) {
		t.Fatalf("rows %+v", got.Rows)
	}
	for i := range want {
		if got.Rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got.Rows[i], want[i])
		}
	}
	if len(got.Overdue) != 1 || got.Overdue[0].ID != 1 {
		t.Errorf("overdue %+v", got.Overdue)
	}
	if empty := Summarise(nil, nil, today); empty.SpendRate != 0 || empty.PerTenThousand != 0 || empty.Rows == nil {
		t.Errorf("empty roll-up %+v", empty)
	}
}

func TestAssetRules(t *testing.T) {
	a := Asset{ProjectID: 1, Name: "光伏电站", Kind: "operating", Owner: "collective", Village: "500236266200", Value: 300_000_00,
		Operator: "天台村股份经济合作社", Status: "operating"}
	if err := a.Validate(); err != nil {
		t.Fatalf("valid asset: %v", err)
	}
	bad := a
	bad.Operator, bad.Owner, bad.Value = "", "bank", 0
	if f := fields(bad.Validate()); f["operator"] == "" || f["owner"] == "" || f["value"] == "" {
		t.Errorf("bad asset fields %v", f)
	}
	p := road()
	p.Status = StatusBuilding
	if err := CheckAssetSource(&p, &a); fupin.ErrorCode(err) != fupin.EConflict {
		t.Errorf("asset of a project in construction: %v", err)
	}
	p.Status = StatusAccepted
	if err := CheckAssetSource(&p, &a); err != nil {
		t.Errorf("asset of an accepted project: %v", err)
	}
	a.Village = "500236266201"
	if err := CheckAssetSource(&p, &a); fields(err)["village_code"] == "" {
		t.Errorf("asset outside the project's village: %v", err)
	}
	c := AssetCheck{Year: 2025, Income: 12_000_00, Shared: 12_000_01, Households: 30, Status: "operating"}
	if fields(c.Validate())["shared"] == "" {
		t.Error("shared more than the income")
	}
	c.Shared, c.Households = 8_000_00, 0
	if fields(c.Validate())["households"] == "" {
		t.Error("shared with no households")
	}
	c.Households = 30
	if err := c.Validate(); err != nil {
		t.Errorf("valid check: %v", err)
	}
}
