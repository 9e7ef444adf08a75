package ledger

import (
	"cmp"
	"slices"
	"strings"
)

// UnitDuty is one unit's line of the 责任清单 and its roll-up: what it
// answers for (villages, paired households, findings it leads, tasks it
// leads) and how that stands (overdue findings, tasks and visits).
type UnitDuty struct {
	Unit             string   `json:"unit"`
	Villages         []string `json:"villages" description:"对口帮扶村（区划代码）"`
	Cadres           int      `json:"cadres" description:"在岗派出干部"`
	HouseholdsPaired int      `json:"households_paired" description:"本单位干部在帮的农户"`
	VisitsOverdue    int      `json:"visits_overdue" description:"本单位干部在帮户中走访超期的户数（按走访周期）"`
	FindingsOpen     int      `json:"findings_open" description:"牵头的未销号问题"`
	FindingsClosed   int      `json:"findings_closed" description:"牵头的已销号问题"`
	FindingsOverdue  int      `json:"findings_overdue" description:"牵头的超期问题"`
	Tasks            int      `json:"tasks" description:"牵头的重点工作"`
	TasksOverdue     int      `json:"tasks_overdue" description:"有超期节点的重点工作"`
	Rank             int      `json:"rank" description:"排名：超期问题和超期工作少者在前，其次销号率高者"`
}

// PersonDuty is one leader's or cadre's line of the 责任清单: a cadre with
// an active posting in the area, or (CadreID 0) a name that findings or
// tasks carry without a link to one cadre (someone outside Fupin, or a
// name two listed cadres share).
type PersonDuty struct {
	CadreID          int64    `json:"cadre_id" description:"干部编号（同名干部以此区分）；0 表示只填了姓名、未关联干部"`
	Name             string   `json:"name"`
	Unit             string   `json:"unit"`
	Posts            []string `json:"posts" description:"在岗岗位（岗位代码@区划代码）"`
	PostLabels       []string `json:"post_labels" description:"在岗岗位（岗位 · 驻点）"`
	HouseholdsPaired int      `json:"households_paired"`
	FindingsOpen     int      `json:"findings_open" description:"作为责任人的未销号问题"`
	Tasks            int      `json:"tasks" description:"作为责任领导的重点工作"`
}

// Responsibility is the 责任清单 of an area, generated from postings,
// pairings, findings and tasks.
type Responsibility struct {
	Units  []UnitDuty   `json:"units"`
	People []PersonDuty `json:"people"`
}

// RankUnits orders units side by side: fewer overdue findings and tasks
// first, then the higher share of closed findings, then by name; Rank is
// 1-based and shared by ties.
func RankUnits(us []UnitDuty) {
	key := func(u UnitDuty) (int, float64) {
		rate := 1.0
		if n := u.FindingsOpen + u.FindingsClosed; n > 0 {
			rate = float64(u.FindingsClosed) / float64(n)
		}
		return u.FindingsOverdue + u.TasksOverdue, rate
	}
	slices.SortFunc(us, func(a, b UnitDuty) int {
		ao, ar := key(a)
		bo, br := key(b)
		return cmp.Or(cmp.Compare(ao, bo), cmp.Compare(br, ar), strings.Compare(a.Unit, b.Unit))
	})
	for i := range us {
		us[i].Rank = i + 1
		if i > 0 {
			po, pr := key(us[i-1])
			if o, r := key(us[i]); o == po && r == pr {
				us[i].Rank = us[i-1].Rank
			}
		}
	}
}
