package demo

import (
	"fupin/internal/fupin"
	"fupin/internal/project"
)

// DemoProject is one aid project of the demo and how far it got: the
// actions applied in order (project.ActApprove, ActStart, ActAccept), the
// payments made, the number of its village's households that benefit and,
// for an accepted project, the asset it left with this year's check.
type DemoProject struct {
	Project    project.Project
	Actions    []string
	Paid       []project.BudgetLine
	Households int
	Asset      *project.Asset
	Check      *project.AssetCheck
}

// GenerateProjects returns the demo's projects of opts.Today's year in 平安乡:
// one in each status, one overdue (planned end passed, not accepted), funds
// from the sources the story's aid group brings (东西部协作, 定点帮扶) beside
// the 衔接资金, and one accepted industry project that left a collective
// asset whose income is shared with households.
func GenerateProjects(opts Options) []DemoProject {
	v := Villages()
	year := opts.Today.Time().Year()
	day := func(d int) fupin.Date { return fupin.DateOf(opts.Today.Time().AddDate(0, 0, d)) }
	yuan := func(y int64) fupin.Money { return fupin.Money(y * 100) }
	line := func(src string, y int64) project.BudgetLine { return project.BudgetLine{Source: src, Amount: yuan(y)} }
	return []DemoProject{
		{
			Project: project.Project{Name: v[0].Name + "饮水巩固提升工程", Type: project.TypeInfrastructure, Subtype: "water",
				AreaCode: v[0].Code, Year: year, Content: "新建蓄水池 2 口、铺设管网 6.5 公里，解决季节性缺水", Unit: "奉节县水利局",
				PlannedStart: day(-60), PlannedEnd: day(45), People: 620,
				Budget: []project.BudgetLine{line("central", 600000), line("county", 100000)}},
			Actions: []string{project.ActApprove, project.ActStart}, Paid: []project.BudgetLine{line("central", 400000)}, Households: 40,
		},
		{
			Project: project.Project{Name: v[1].Name + "脆李种植基地", Type: project.TypeIndustry,
				AreaCode: v[1].Code, Year: year, Content: "流转土地 300 亩种植脆李，配套灌溉和冷库", Unit: v[1].Name + "股份经济合作社",
				PlannedStart: day(-200), PlannedEnd: day(-20), People: 350,
				Budget: []project.BudgetLine{line("east_west", 800000), line("paired", 200000)}},
			Actions: []string{project.ActApprove, project.ActStart, project.ActAccept},
			Paid:    []project.BudgetLine{line("east_west", 800000), line("paired", 150000)}, Households: 30,
			Asset: &project.Asset{Name: v[1].Name + "脆李基地及冷库", Kind: "operating", Owner: "collective", Village: v[1].Code,
				Value: yuan(950000), Operator: v[1].Name + "股份经济合作社", Status: "operating", Note: "收益的 30% 按户分配给脱贫户和监测户"},
			Check: &project.AssetCheck{Year: year, Income: yuan(120000), Shared: yuan(36000), Households: 30, Status: "operating", Note: "运营正常，分红已到户"},
		},
		{
			Project: project.Project{Name: "平安乡就业帮扶车间", Type: project.TypeEmployment,
				AreaCode: TownshipCode, Year: year, Content: "改造闲置厂房 800 平方米，吸纳脱贫劳动力就近就业", Unit: "平安乡人民政府",
				PlannedStart: day(10), PlannedEnd: day(120), People: 80,
				Budget: []project.BudgetLine{line("municipal", 300000), line("social", 50000)}},
			Actions: []string{project.ActApprove},
		},
		{
			Project: project.Project{Name: v[2].Name + "组道硬化", Type: project.TypeInfrastructure, Subtype: "road",
				AreaCode: v[2].Code, Year: year, Content: "硬化组道 3.2 公里", Unit: "奉节县交通运输局",
				PlannedStart: day(-120), PlannedEnd: day(-10), People: 410,
				Budget: []project.BudgetLine{line("central", 450000)}},
			Actions: []string{project.ActApprove, project.ActStart}, Paid: []project.BudgetLine{line("central", 300000)}, Households: 25,
		},
		{
			Project: project.Project{Name: v[3].Name + "农村危房改造", Type: project.TypeInfrastructure, Subtype: "housing",
				AreaCode: v[3].Code, Year: year, Content: "改造 C、D 级危房 12 户", Unit: "奉节县住房城乡建设委",
				PlannedStart: day(30), PlannedEnd: day(150), People: 40,
				Budget: []project.BudgetLine{line("central", 240000), line("county", 60000)}},
			Households: 12,
		},
	}
}
