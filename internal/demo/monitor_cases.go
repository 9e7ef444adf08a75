package demo

import (
	"fmt"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/monitor"
)

// MonitorCandidate is a household the monitoring demo may use: live, not a
// monitoring object yet, with its head's ID number.
type MonitorCandidate struct {
	ID       int64
	Village  string
	Type     string
	IDNumber string
}

// DemoCase is a case to open and walk to Target (a monitor stage; Rollback
// walks to eliminated and rolls back). Objection is raised during the
// village notice and left open when Target is the notice.
type DemoCase struct {
	HouseholdID int64
	Village     string
	Category    string
	Risks       []string
	Path        string
	Target      string
	Rollback    bool
	Objection   string
	Measure     string // measure category of the plan
	Overdue     bool   // opened long enough ago that its current step is past its time limit
}

// DemoDeptList is a department list of the demo.
type DemoDeptList struct {
	Department string
	Name       string
	Rows       []monitor.DeptRow
}

// MonitorDemo is the monitoring demo: cases in every step (two villages in
// 公示, one with an open objection; an elimination rolled back) and lists
// from three departments with people inside and outside the registry.
type MonitorDemo struct {
	Cases []DemoCase
	Lists []DemoDeptList
}

// GenerateMonitor plans the monitoring demo over candidates (in id order).
// The same options and candidates give the same plan.
func GenerateMonitor(opts Options, cands []MonitorCandidate) MonitorDemo {
	r := &rng{s: uint64(opts.Seed) ^ 0x30A17}
	targets := []string{
		monitor.StageHomeCheck, monitor.StageHomeCheck, monitor.StageCrossCheck, monitor.StageReview,
		monitor.StageNotice, monitor.StageNotice, monitor.StageTownship, monitor.StageCounty,
		monitor.StageMonitored, monitor.StageMonitored, monitor.StageElimCheck, monitor.StageElimNotice,
		monitor.StageElimTownship, monitor.StageElimCounty, monitor.StageEliminated, monitor.StageRejected,
		monitor.StageMonitored, // rolled back
	}
	var out MonitorDemo
	noticeVillages := map[string]bool{}
	used := 0
	for i, target := range targets {
		var c *MonitorCandidate
		for used < len(cands) && c == nil {
			cand := &cands[used]
			used++
			// The two notices go to two different villages.
			if target == monitor.StageNotice && noticeVillages[cand.Village] {
				continue
			}
			c = cand
		}
		if c == nil {
			break
		}
		dc := DemoCase{HouseholdID: c.ID, Village: c.Village, Target: target, Rollback: i == len(targets)-1,
			Category: "marginal", Path: []string{"self_report", "cadre", "department", "engine"}[r.intn(4)],
			Risks: []string{suddenRisks[r.intn(len(suddenRisks))]}, Measure: []string{"employment", "health", "industry"}[r.intn(3)]}
		if c.Type == "ex_poor" {
			dc.Category = "unstable"
		}
		// The second 入户核查 has waited past its three working days, so the
		// demo shows an overdue step (flagged, counted, first in the list).
		dc.Overdue = target == monitor.StageHomeCheck && i == 1
		if target == monitor.StageNotice {
			if len(noticeVillages) == 0 {
				dc.Objection = "村民反映该户家庭收入较高，对纳入监测有异议"
			}
			noticeVillages[c.Village] = true
		}
		out.Cases = append(out.Cases, dc)
	}
	out.Lists = deptLists(r, opts.Today, cands[min(used, len(cands)):])
	return out
}

// deptLists makes three lists (医保, 残联, 教育): a few registered people
// each and one person outside the registry.
func deptLists(r *rng, today fupin.Date, cands []MonitorCandidate) []DemoDeptList {
	facts := map[string][]string{
		"medical":    {"住院合规自付 3.6 万元", "门诊慢特病自付 1.2 万元"},
		"disability": {"新办残疾人证（肢体二级）", "残疾等级调整为一级"},
		"education":  {"初中在校生连续旷课 15 天", "高中学生申请休学"},
	}
	var lists []DemoDeptList
	for k, dept := range []string{"medical", "disability", "education"} {
		l := DemoDeptList{Department: dept, Name: fmt.Sprintf("%s筛查名单（演示）.xlsx", monitor.Departments.LabelOf(dept))}
		for j := 0; j < 3 && 3*k+j < len(cands); j++ {
			c := cands[3*k+j]
			l.Rows = append(l.Rows, monitor.DeptRow{Row: j + 2, IDNumber: c.IDNumber,
				Fact: facts[dept][r.intn(2)], FactOn: fupin.DateOf(today.Time().AddDate(0, 0, -r.between(3, 20)))})
		}
		stranger := fmt.Sprintf("500236%04d%02d%02d%03d", 1960+r.intn(40), 1+r.intn(12), 1+r.intn(28), 100+r.intn(800))
		stranger += string(idcard.CheckChar(stranger))
		l.Rows = append(l.Rows, monitor.DeptRow{Row: len(l.Rows) + 2, IDNumber: stranger, Fact: facts[dept][0],
			FactOn: fupin.DateOf(today.Time().AddDate(0, 0, -5))})
		lists = append(lists, l)
	}
	return lists
}
