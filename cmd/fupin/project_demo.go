package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// loadProjectDemo writes the demo's aid projects through the store, as the
// county office would: each created, moved through its actions, paid, and
// the accepted one's asset registered and checked.
func loadProjectDemo(ctx context.Context, db *sqlstore.DB, opts demo.Options, stdout io.Writer) error {
	start := time.Now()
	county := fupin.Actor{Name: "演示县乡村振兴局", Areas: []string{demo.TownshipCode[:6]}}
	var paid fupin.Money
	assets := 0
	for _, dp := range demo.GenerateProjects(opts) {
		p := dp.Project
		if dp.Households > 0 {
			page, err := db.ListHouseholds(ctx, county, fupin.HouseholdFilter{Area: p.AreaCode, Limit: dp.Households})
			if err != nil {
				return err
			}
			for _, h := range page.Items {
				p.Households = append(p.Households, h.ID)
			}
		}
		d, err := db.CreateProject(ctx, county, "county", p)
		if err != nil {
			return fmt.Errorf("写入演示项目 %s：%w", p.Name, err)
		}
		for _, act := range dp.Actions {
			in := sqlstore.ProjectAction{Kind: act, Version: d.Version}
			if act == project.ActAccept {
				// Payments are made while it is built, before acceptance.
				if d, err = payDemo(ctx, db, county, d, dp.Paid); err != nil {
					return err
				}
				in.Version, in.Opinion = d.Version, "工程质量合格，资金使用规范，同意验收"
			}
			if d, err = db.ActOnProject(ctx, county, "county", d.ID, in); err != nil {
				return fmt.Errorf("演示项目 %s：%w", p.Name, err)
			}
		}
		if d.Status != project.StatusAccepted {
			if d, err = payDemo(ctx, db, county, d, dp.Paid); err != nil {
				return err
			}
		}
		paid += d.Spent
		if dp.Asset != nil {
			a := *dp.Asset
			a.ProjectID = d.ID
			saved, err := db.CreateAsset(ctx, county, "county", a)
			if err != nil {
				return fmt.Errorf("演示项目资产 %s：%w", a.Name, err)
			}
			if _, err := db.CheckAsset(ctx, county, "county", saved.ID, *dp.Check); err != nil {
				return fmt.Errorf("演示项目资产核查 %s：%w", a.Name, err)
			}
			assets++
		}
	}
	fmt.Fprintf(stdout, "帮扶项目已写入：%d 个项目（已拨付 %.2f 万元），%d 项资产，用时 %.2f 秒\n",
		len(demo.GenerateProjects(opts)), paid.Yuan()/10000, assets, time.Since(start).Seconds())
	return nil
}

// payDemo pays lines on the day the project was approved (a payment may be
// neither before the approval nor after today).
func payDemo(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, d *sqlstore.ProjectDetail, lines []project.BudgetLine) (*sqlstore.ProjectDetail, error) {
	for _, l := range lines {
		if d.ApprovedAt == nil {
			return nil, fmt.Errorf("演示项目 %s 未批复，不能拨付", d.Name)
		}
		var err error
		if d, err = db.AddDisbursement(ctx, actor, "county", d.ID, project.Disbursement{
			PaidOn: fupin.DateOf(*d.ApprovedAt), Amount: l.Amount, Source: l.Source, Note: "演示拨付"}); err != nil {
			return nil, fmt.Errorf("演示项目 %s 拨付：%w", d.Name, err)
		}
	}
	return d, nil
}
