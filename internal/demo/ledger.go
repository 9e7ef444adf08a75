package demo

import (
	"fmt"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// LedgerDemo is the rectification ledger of the demo township: a municipal
// inspection's feedback with findings over the 12 villages in every status,
// a 回头看 that finds one of them recurred, and key tasks.
type LedgerDemo struct {
	Inspection ledger.Inspection
	Findings   []DemoFinding
	Recheck    ledger.Inspection
	// Recurred is the index in Findings of the closed finding the 回头看
	// finds recurred.
	Recurred int
	Tasks    []ledger.Task
	// TasksDone lists, per task, how many of its first milestones are done.
	TasksDone []int
}

// DemoFinding is a finding and the steps (by distinct demo accounts) that
// bring it to its status.
type DemoFinding struct {
	Finding ledger.Finding
	Steps   []ledger.Action
}

// demoStations are the township stations that share the work of a
// finding as responsible units; the lead units are the aid group's members.
var demoStations = []string{"乡水利站", "乡中心校", "乡卫生院", "乡村镇建设服务中心", "乡农业服务中心", "乡社会保障服务所"}

var demoProblems = []struct{ category, text string }{
	{"water", "部分农户旱季饮水不稳定，供水保障不足"},
	{"basic_needs", "个别适龄儿童控辍保学台账与实际不符"},
	{"basic_needs", "家庭医生签约服务履约不到位"},
	{"basic_needs", "危房改造验收资料不全"},
	{"funds", "产业扶持资金拨付滞后"},
	{"conduct", "帮扶干部走访记录不实"},
	{"data", "监测户信息采集不全、数据更新不及时"},
	{"income", "部分脱贫户收入测算不准确"},
	{"policy", "临时救助政策宣传不到位"},
	{"funds", "村级光伏收益分配未公示"},
}

// GenerateLedger builds the ledger demo for opts.Today: 20 findings, each
// village named at least once, deadlines from three weeks ago to two months
// ahead, statuses cycling through 未启动, 整改中, 已完成待验收 (applied and
// reviewed), 已销号 and 长期坚持; and 10 key tasks with milestones. A
// finding is led by an aid member unit paired with its village (taking the
// village's units in turn), so the units' roll-up ranks them on their own
// records; the tasks are led by the member units that lead no finding
// first. A finding's 责任人 is its village's first secretary (linked to the
// cadre when loaded); a task's 责任领导 is a name only, as for leaders
// outside Fupin.
func GenerateLedger(opts Options) LedgerDemo {
	today := opts.Today.Time()
	vs := Villages()
	units := AidUnits(opts)
	paired := map[string][]string{}
	for _, u := range units {
		paired[u.VillageCode] = append(paired[u.VillageCode], u.Name)
	}
	leads := map[string]bool{}
	secretaries := AidSecretaries(opts)
	d := LedgerDemo{
		Inspection: ledger.Inspection{Source: "inspection", Title: "市委第三巡视组脱贫攻坚专项巡视反馈意见", Batch: "第一轮",
			AreaCode: TownshipCode, FeedbackOn: fupin.DateOf(today.AddDate(0, -3, 0))},
		Recheck: ledger.Inspection{Source: "recheck", Title: "巡视整改“回头看”", Batch: "第一轮",
			AreaCode: TownshipCode, FeedbackOn: fupin.DateOf(today.AddDate(0, 0, -7))},
	}
	cun := ledger.Action{Kind: ledger.ActStart, Account: "演示村干部", Role: ledger.RoleVillage}
	steps := [][]ledger.Action{
		nil, // 未启动
		{cun, {Kind: ledger.ActReport, Account: "演示村干部", Role: ledger.RoleVillage, Text: "已入户核实，正在整改"}},
		{cun, {Kind: ledger.ActApply, Account: "演示村干部", Role: ledger.RoleVillage, Text: "整改完成，附照片和台账"}},
		{cun, {Kind: ledger.ActApply, Account: "演示村干部", Role: ledger.RoleVillage, Text: "整改完成，附验收单"},
			{Kind: ledger.ActReview, Account: "演示牵头单位", Role: ledger.RoleTownship}},
		{cun, {Kind: ledger.ActApply, Account: "演示村干部", Role: ledger.RoleVillage, Text: "整改完成"},
			{Kind: ledger.ActReview, Account: "演示牵头单位", Role: ledger.RoleTownship},
			{Kind: ledger.ActClose, Account: "演示乡镇办公室", Role: ledger.RoleTownship, Text: "经核查整改到位，同意销号"}},
	}
	for i := 0; i < 20; i++ {
		p := demoProblems[i%len(demoProblems)]
		v := vs[i%len(vs)]
		kind := ledger.KindDeadline
		if i%7 == 0 {
			kind = ledger.KindImmediate
		}
		lead := paired[v.Code][(i/len(vs))%len(paired[v.Code])]
		leads[lead] = true
		f := ledger.Finding{Number: fmt.Sprintf("%d", i+1), Category: p.category, Description: v.Name + p.text,
			AreaCode: v.Code, LeadUnit: lead, Person: secretaries[v.Code], Responsible: demoStations[i%len(demoStations)] + "、" + v.Name + "村委会",
			Measures: "逐户排查，建立台账，限期整改到位", Kind: kind,
			Deadline: fupin.DateOf(today.AddDate(0, 0, -21+i*4))}
		st := steps[i%len(steps)]
		if i%6 == 5 {
			f.Kind, f.Deadline, st = ledger.KindLongTerm, fupin.Date{}, steps[1]
		}
		d.Findings = append(d.Findings, DemoFinding{Finding: f, Steps: st})
	}
	d.Recurred = 4 // a closed one
	var taskUnits []string
	for _, u := range units {
		if !leads[u.Name] {
			taskUnits = append(taskUnits, u.Name)
		}
	}
	for _, u := range units {
		if leads[u.Name] {
			taskUnits = append(taskUnits, u.Name)
		}
	}
	for i := 0; i < 10; i++ {
		due := today.AddDate(0, 0, -30+i*15)
		t := ledger.Task{Title: fmt.Sprintf("阶段性重点工作%02d：%s", i+1, []string{"饮水巩固提升", "控辍保学", "危房清零", "产业路建设", "就业帮扶", "监测帮扶", "资金项目公示", "档案规范", "消费帮扶", "人居环境整治"}[i]),
			AreaCode: TownshipCode, LeadUnit: taskUnits[i%len(taskUnits)], Responsible: demoStations[i%len(demoStations)], Leader: fmt.Sprintf("演示分管领导%02d", i+1),
			Deadline: fupin.DateOf(due.AddDate(0, 3, 0)),
			Milestones: []ledger.Milestone{
				{Title: "摸底排查", DueOn: fupin.DateOf(due)},
				{Title: "组织实施", DueOn: fupin.DateOf(due.AddDate(0, 1, 0))},
				{Title: "验收总结", DueOn: fupin.DateOf(due.AddDate(0, 3, 0))},
			}}
		d.Tasks = append(d.Tasks, t)
		d.TasksDone = append(d.TasksDone, i%3)
	}
	return d
}
