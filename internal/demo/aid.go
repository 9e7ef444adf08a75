package demo

import (
	"fmt"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

// The aid forces of 平安乡 as reported in public accounts of its
// poverty-alleviation work: the 市政府办公厅 aid group with 22 member units, of which 市政府外办
// helps 茨竹村 and 市机关事务局 helps 文昌村, and 市政府驻四川办事处 sends the
// deputy director of the command-post office. The other 19 member units
// and every person are generated.

// AidHousehold is what the aid generator needs of a loaded household.
type AidHousehold struct {
	ID          int64
	VillageCode string
	Monitored   bool // a 监测户 whose risk is not eliminated
}

// AidPlan is the generated aid forces of the township: indexes refer to
// the plan's own slices (Unit -1 is a cadre from outside the group).
type AidPlan struct {
	GroupName, LeadUnit, AreaCode string
	Units                         []AidUnit
	Cadres                        []AidCadre
	Postings                      []AidPosting
	Pairings                      []AidPairing
	Visits                        []AidVisit
	CheckIns                      []AidCheckIn
	Leaves                        []AidLeave
	// Rotation is a rotation in progress: postings changing hands, with the
	// outgoing cadres' confirmations given and the rest outstanding.
	Rotation []AidHandover
}

// AidUnit is a member unit and its paired village.
type AidUnit struct{ Name, VillageCode string }

// AidCadre is a person sent by a unit (Unit is an index of Units, -1 for
// the lead unit or a county body named by UnitName).
type AidCadre struct {
	Name, IDNumber, Phone, UnitName, Post, Rank, Political string
	Unit                                                   int
}

// AidPosting is a cadre's posting (Cadre indexes Cadres).
type AidPosting struct {
	Cadre          int
	Role, AreaCode string
	StartedOn      fupin.Date
}

// AidPairing pairs a household with a helper (Cadre indexes Cadres).
type AidPairing struct {
	HouseholdID int64
	Cadre       int
	StartedOn   fupin.Date
}

// AidVisit is a visit of a helper to a household.
type AidVisit struct {
	HouseholdID    int64
	VillageCode    string
	Cadre          int
	On             fupin.Date
	Kind, Findings string
}

// AidCheckIn is a day a cadre was in the area of a posting.
type AidCheckIn struct {
	Cadre    int
	AreaCode string
	Day      fupin.Date
}

// AidLeave is an approved leave, returned on Returned.
type AidLeave struct {
	Cadre              int
	AreaCode, Reason   string
	From, To, Returned fupin.Date
}

// AidHandover is one posting of a rotation in progress (Posting indexes
// Postings, Incoming indexes Cadres).
type AidHandover struct{ Posting, Incoming int }

var realUnits = []AidUnit{{"市政府外办", "500236266208"}, {"市机关事务局", "500236266202"}, {"市政府驻四川办事处", ""}}

// GenerateAid builds the aid forces for the households that need helpers,
// deterministically from opts.Seed and opts.Today (a year of visits and
// check-ins up to the day before Today).
func GenerateAid(opts Options, households []AidHousehold) *AidPlan {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	fullNamesOnce.Do(buildFullNames)
	a := &aidGen{r: rng{s: uint64(opts.Seed) ^ 0xA1D}, today: opts.Today, p: &AidPlan{
		GroupName: "市政府办公厅帮扶集团", LeadUnit: "市政府办公厅", AreaCode: TownshipCode}}
	a.units()
	a.command()
	a.teams()
	a.helpers(households)
	a.attendance()
	a.rotation()
	return a.p
}

type aidGen struct {
	r      rng
	today  fupin.Date
	p      *AidPlan
	serial int
	// per village: the cadres who help households there
	helpersOf map[string][]int
}

func (a *aidGen) day(back int) fupin.Date { return fupin.DateOf(a.today.Time().AddDate(0, 0, -back)) }

// units pairs 22 member units with the 12 villages: the reported pairs
// first, then every village gets one before any gets a second.
func (a *aidGen) units() {
	taken := map[string]bool{"500236266208": true, "500236266202": true}
	next := 0
	free := func() string {
		for ; next < len(villages); next++ {
			if !taken[villages[next].Code] {
				taken[villages[next].Code] = true
				return villages[next].Code
			}
		}
		return villages[a.r.intn(len(villages))].Code
	}
	for _, u := range realUnits {
		if u.VillageCode == "" {
			u.VillageCode = free()
		}
		a.p.Units = append(a.p.Units, u)
	}
	for i := len(realUnits) + 1; i <= 22; i++ {
		a.p.Units = append(a.p.Units, AidUnit{fmt.Sprintf("演示成员单位%02d", i), free()})
	}
}

// cadre adds a generated person and returns their index.
func (a *aidGen) cadre(unit int, unitName, post, rank string) int {
	a.serial++
	male := a.r.chance(0.7)
	by := a.r.between(1966, 1992)
	sex, e := 0, era(by)
	if male {
		sex = 1
	}
	sur := a.r.pick(surnameTable)
	pool := namePools[sur][e][sex]
	name := fullName(pool.start, a.r.intn(int(pool.n)))
	seq := 2*(a.serial%499) + 2 - sex
	id := fmt.Sprintf("500103%04d%02d%02d%03d", by, a.r.between(1, 12), a.r.between(1, 28), seq)
	id += string(idcard.CheckChar(id))
	phone := phonePrefixes[a.r.intn(len(phonePrefixes))] + fmt.Sprintf("%08d", a.r.intn(100000000))
	if unit >= 0 {
		unitName = a.p.Units[unit].Name
	}
	political := "cpc_member"
	if a.r.chance(0.08) {
		political = "masses"
	}
	a.p.Cadres = append(a.p.Cadres, AidCadre{Name: name, IDNumber: id, Phone: phone, Unit: unit, UnitName: unitName,
		Post: post, Rank: rank, Political: political})
	return len(a.p.Cadres) - 1
}

func (a *aidGen) post(cadre int, role, area string, daysAgo int) int {
	a.p.Postings = append(a.p.Postings, AidPosting{Cadre: cadre, Role: role, AreaCode: area, StartedOn: a.day(daysAgo)})
	return len(a.p.Postings) - 1
}

// command staffs the command post with the posts named in the source story.
func (a *aidGen) command() {
	for _, c := range []struct{ role, unit, post, rank string }{
		{"commander", "奉节县委", "县委书记", "正处级"},
		{"deputy_commander", "奉节县人民政府", "县委副书记、县长", "正处级"},
		{"office_director", "奉节县政协", "县政协主席", "正处级"},
		{"office_deputy", "市政府办公厅", "市政府办公厅机关党委专职副书记", "正处级"},
	} {
		a.post(a.cadre(-1, c.unit, c.post, c.rank), c.role, TownshipCode, a.r.between(300, 700))
	}
	a.post(a.cadre(2, "", "信息调研处处长", "正处级"), "office_deputy", TownshipCode, a.r.between(300, 700))
}

// teams posts the township work team (term ending soon: it rotates) and a
// first secretary and a work-team member per village.
func (a *aidGen) teams() {
	started := 730 - a.r.between(20, 50) // two years ago, less a few weeks
	a.post(a.cadre(-1, "市政府办公厅", "市政府办公厅二级巡视员", "副厅级"), "township_leader", TownshipCode, started)
	for i := 0; i < 4; i++ {
		a.post(a.cadre(-1, "市政府办公厅", "市政府办公厅干部", "四级调研员"), "township_member", TownshipCode, started)
	}
	a.helpersOf = map[string][]int{}
	for vi, v := range villages {
		unit := a.unitOf(v.Code, 0)
		back := a.r.between(200, 500)
		if vi%4 == 1 {
			back = 730 + a.r.between(5, 40) // past term: an alert
		}
		fs := a.cadre(unit, "", "驻村第一书记", "正科级")
		a.post(fs, "first_secretary", v.Code, back)
		vm := a.cadre(a.unitOf(v.Code, 1), "", "驻村工作队员", "一级主任科员")
		a.post(vm, "village_member", v.Code, back)
		a.helpersOf[v.Code] = []int{fs, vm}
	}
}

// unitOf is the k-th unit paired with a village (wrapping).
func (a *aidGen) unitOf(village string, k int) int {
	var list []int
	for i, u := range a.p.Units {
		if u.VillageCode == village {
			list = append(list, i)
		}
	}
	return list[k%len(list)]
}

// helpers pairs every household with a helper of its village (about 12
// households each) and records a year of visits.
func (a *aidGen) helpers(households []AidHousehold) {
	count := map[string]int{}
	for _, h := range households {
		count[h.VillageCode]++
	}
	for _, v := range villages {
		for len(a.helpersOf[v.Code])*12 < count[v.Code] {
			c := a.cadre(a.unitOf(v.Code, len(a.helpersOf[v.Code])), "", "帮扶责任人", "二级主任科员")
			a.post(c, "helper", v.Code, a.r.between(60, 650))
			a.helpersOf[v.Code] = append(a.helpersOf[v.Code], c)
		}
	}
	posted := map[int]int{} // days since the cadre's (only) posting started
	for _, p := range a.p.Postings {
		posted[p.Cadre] = daysBetween(p.StartedOn, a.today)
	}
	seen := map[string]int{}
	for _, h := range households {
		hs := a.helpersOf[h.VillageCode]
		if len(hs) == 0 {
			continue
		}
		c := hs[seen[h.VillageCode]%len(hs)]
		seen[h.VillageCode]++
		// A pairing starts once the helper is posted, never before.
		since := min(a.r.between(380, 900), posted[c])
		a.p.Pairings = append(a.p.Pairings, AidPairing{HouseholdID: h.ID, Cadre: c, StartedOn: a.day(since)})
		a.visits(h, c, since)
	}
}

var findings = []string{"生产生活正常，家庭成员身体状况良好", "了解务工收入情况，宣讲小额信贷政策",
	"核实医保参保缴费情况", "查看住房和饮水情况，未发现问题", "了解子女上学情况，宣讲雨露计划",
	"家中老人慢性病用药正常，提醒签约家庭医生", "帮助联系公益性岗位", "了解产业发展（中药材、脐橙）情况"}

// visits records the household's year since its pairing (since days ago):
// monthly for 监测户, quarterly for the others, with some jitter; about one
// household in twelve misses its last.
func (a *aidGen) visits(h AidHousehold, c, since int) {
	every := 91
	if h.Monitored {
		every = 30
	}
	skipLast := a.r.chance(1.0 / 12)
	for back := a.r.between(3, every-2); back < min(365, since); back += every + a.r.between(-4, 4) {
		if skipLast && back < every*2 {
			continue
		}
		kind := "home"
		if a.r.chance(0.15) {
			kind = "phone"
		}
		a.p.Visits = append(a.p.Visits, AidVisit{HouseholdID: h.ID, VillageCode: h.VillageCode, Cadre: c,
			On: a.day(back), Kind: kind, Findings: findings[a.r.intn(len(findings))]})
	}
}

// attendance records a year of check-ins for the work teams, about 22 days
// a month, with a few short months and a leave now and then.
func (a *aidGen) attendance() {
	for _, p := range a.p.Postings {
		if teamKind(p.Role) == "" {
			continue
		}
		short := a.r.chance(0.2)
		start := daysBetween(p.StartedOn, a.today)
		for back := min(start, 365); back >= 1; back-- {
			d := a.day(back)
			wd := d.Time().Weekday()
			rate := 0.9
			if wd == time.Saturday || wd == time.Sunday {
				rate = 0.45
			}
			if short && d.Time().Month()%3 == 0 {
				rate = 0.5
			}
			if a.r.chance(rate) {
				a.p.CheckIns = append(a.p.CheckIns, AidCheckIn{Cadre: p.Cadre, AreaCode: p.AreaCode, Day: d})
			}
		}
		if a.r.chance(0.5) && start > 60 {
			from := a.day(a.r.between(40, min(start, 365)-10))
			to := fupin.DateOf(from.Time().AddDate(0, 0, a.r.between(2, 6)))
			a.p.Leaves = append(a.p.Leaves, AidLeave{Cadre: p.Cadre, AreaCode: p.AreaCode, Reason: "家中有事请假",
				From: from, To: to, Returned: fupin.DateOf(to.Time().AddDate(0, 0, 1))})
		}
	}
}

// teamKind mirrors the store's grouping of roles into work teams.
func teamKind(role string) string {
	switch role {
	case "township_leader", "township_member":
		return "township"
	case "first_secretary", "village_member":
		return "village"
	}
	return ""
}

func daysBetween(a, b fupin.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

// rotation plans the story's event: the township work team and the first
// secretaries past their term hand over to newly registered cadres.
func (a *aidGen) rotation() {
	for i, p := range a.p.Postings {
		old := daysBetween(p.StartedOn, a.today) > 730-60
		if p.Role == "township_leader" || p.Role == "township_member" || (p.Role == "first_secretary" && old) {
			c := a.p.Cadres[p.Cadre]
			post, rank := c.Post, c.Rank
			if p.Role == "first_secretary" {
				post = "新任驻村第一书记"
			}
			in := a.cadre(c.Unit, c.UnitName, post, rank)
			a.p.Rotation = append(a.p.Rotation, AidHandover{Posting: i, Incoming: in})
		}
	}
}
