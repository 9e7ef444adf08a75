package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fupin/internal/aid"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// TestConsoleLedgerDutyCadres reads the 责任清单's people over two cadres
// of one name (测试张伟, in two villages and units) and a 责任人 known by
// name only: each cadre is a line of its own with its id, unit and posts;
// the name-only one is marked 未关联干部; a cadre's 未销号问题 opens the
// findings list of that cadre's id (what the server lists for it, never
// the other 张伟's), and the 在帮户 opens the cadre's pairings.
func TestConsoleLedgerDutyCadres(t *testing.T) {
	c := newConsole(t, 1366, 900)
	ctx := context.Background()
	c.signIn()
	area := fupin.Actor{Name: "t", Areas: []string{demo.TownshipCode}}
	var zhang []*aid.Cadre
	villages := demo.Villages()[:2]
	for i, v := range villages {
		first17 := fmt.Sprintf("500103198002%02d%03d", i+1, 31+i)
		cd, err := c.db.CreateCadre(ctx, area, aid.Cadre{Name: "测试张伟", IDNumber: first17 + string(idcard.CheckChar(first17)),
			UnitName: []string{"市政府外办", "市机关事务局"}[i], AreaCode: demo.TownshipCode})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.db.CreatePosting(ctx, area, aid.Posting{CadreID: cd.ID, Role: "helper", AreaCode: v.Code, StartedOn: fupin.NewDate(2024, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		zhang = append(zhang, cd)
	}
	hh, err := c.db.ListHouseholds(ctx, area, fupin.HouseholdFilter{Area: villages[0].Code, Limit: 1})
	if err != nil || len(hh.Items) != 1 {
		t.Fatalf("a household of %s: %v", villages[0].Name, err)
	}
	if _, err := c.db.PairHousehold(ctx, area, hh.Items[0].ID, aid.PairingChange{CadreID: zhang[0].ID, Reason: "测试"}); err != nil {
		t.Fatal(err)
	}
	insp, err := c.db.CreateInspection(ctx, sysActor, ledger.Inspection{Source: "inspection", Title: "责任清单测试", AreaCode: demo.TownshipCode})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []struct {
		village int
		cadre   *int64
		name    string
	}{{0, &zhang[0].ID, ""}, {0, &zhang[0].ID, ""}, {1, &zhang[1].ID, ""}, {1, nil, "测试李四"}} {
		if _, err := c.db.CreateFinding(ctx, sysActor, ledger.Finding{InspectionID: insp.ID, Number: fmt.Sprint(i + 1), Category: "water",
			Description: fmt.Sprintf("责任清单测试问题%d", i+1), AreaCode: villages[p.village].Code, LeadUnit: "乡水利站", Person: p.name, PersonID: p.cadre,
			Kind: ledger.KindDeadline, Deadline: fupin.DateOf(c.db.Now().AddDate(0, 1, i))}, nil); err != nil {
			t.Fatal(err)
		}
	}

	c.do(chromedp.Navigate(c.url + "/#/ledger/duty?tab=people"))
	for i, cd := range zhang {
		sel := fmt.Sprintf(`[data-testid=duty-person-c%d]`, cd.ID)
		c.waitFor("the cadre's line", `document.querySelector('`+sel+`')`)
		line := eval[string](c, `document.querySelector('`+sel+`').closest('tr').innerText`)
		for _, want := range []string{"测试张伟", fmt.Sprintf("编号 %d", cd.ID), cd.UnitName, "帮扶责任人 · " + villages[i].Name} {
			if !strings.Contains(line, want) {
				t.Errorf("line of cadre %d %q, want %q", cd.ID, line, want)
			}
		}
	}
	c.waitFor("the name-only line", `document.querySelector('[data-testid="duty-person-n-测试李四"]')?.closest('tr').innerText.includes('未关联干部')`)
	c.shot("ledger-duty-people")

	// The first 张伟's open findings: exactly his, by id.
	want, err := c.db.Findings(ctx, area, sqlstore.FindingFilter{Area: demo.TownshipCode, Status: "open", CadreID: zhang[0].ID})
	if err != nil || want.Total != 2 {
		t.Fatalf("server lists %d findings of cadre %d, want 2: %v", want.Total, zhang[0].ID, err)
	}
	c.click(fmt.Sprintf("duty-findings-%d", zhang[0].ID))
	c.waitFor("his findings", fmt.Sprintf(`location.hash.includes('cadre_id=%d') && document.querySelectorAll('[data-testid=finding-table] .el-table__body tbody tr').length === %d`,
		zhang[0].ID, want.Total))
	got := c.text("[data-testid=finding-table] .el-table__body tbody")
	for _, f := range want.Items {
		if !strings.Contains(got, f.Description) {
			t.Errorf("findings of cadre %d show %q, want %q", zhang[0].ID, got, f.Description)
		}
	}
	if strings.Contains(got, "责任清单测试问题3") {
		t.Errorf("the other 张伟's finding is listed: %q", got)
	}
	// The list's 责任人 column names him on every row.
	if people := eval[[]string](c, `[...document.querySelectorAll('[data-testid=finding-table] .el-table__body tbody [data-testid=finding-person]')].map((e) => e.innerText)`); len(people) != want.Total || strings.Count(strings.Join(people, "|"), "测试张伟") != want.Total {
		t.Errorf("责任人 column shows %q, want 测试张伟 on each of %d rows", people, want.Total)
	}
	if tag := c.text("[data-testid=filter-cadre]"); !strings.Contains(tag, "测试张伟") || !strings.Contains(tag, fmt.Sprint(zhang[0].ID)) {
		t.Errorf("cadre filter shows %q", tag)
	}
	c.shot("ledger-duty-cadre-findings")

	// His 在帮户 opens his pairings.
	c.do(chromedp.Navigate(c.url + "/#/ledger/duty?tab=people"))
	c.click(fmt.Sprintf("duty-paired-%d", zhang[0].ID))
	c.waitFor("his pairings", fmt.Sprintf(`location.hash.startsWith('#/aid/pairings') && location.hash.includes('cadre_id=%d')`, zhang[0].ID))
}
