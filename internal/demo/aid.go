package demo

import (
	"fmt"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

// The aid forces of 平安乡 as reported in public accounts of its
// poverty-alleviation work: the 市政府办公厅 aid group with 22 member units, of which 市政府外办
// helps 茨竹村 and 市机关事务局 helps 文昌村, and 市政府驻四川办事处 sends the
// deputy director of the command-post office. The other 19 member units
// and every person are generated.

var realUnits = []aid.DatasetUnit{{Name: "市政府外办", VillageCode: "500236266208"}, {Name: "市机关事务局", VillageCode: "500236266202"}, {Name: "市政府驻四川办事处", VillageCode: ""}}

// GenerateAid builds the aid forces for the households that need helpers,
// deterministically from opts.Seed and opts.Today (a year of visits and
// check-ins up to the day before Today).
func GenerateAid(opts Options, households []aid.HouseholdNeed) *aid.Dataset {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	fullNamesOnce.Do(buildFullNames)
	a := &aidGen{r: rng{s: uint64(opts.Seed) ^ 0xA1D}, today: opts.Today, p: &aid.Dataset{
		GroupName: "市政府办公厅帮扶集团", LeadUnit: "市政府办公厅", AreaCode: TownshipCode}}
	a.units()
	a.command()
	a.teams()
	a.helpers(households)
	a.attendance()
	a.rotation()
	return a.p
}

// AidUnits is the aid group's member units and the villages they are
// paired with, exactly as GenerateAid makes them for opts (the pairing
// depends on the seed only), so other parts of the demo can name them.
func AidUnits(opts Options) []aid.DatasetUnit { return aidStaff(opts).Units }

// AidSecretaries is the name of each village's first secretary (驻村第一书记,
// by village code) as GenerateAid posts them for opts, before any rotation.
func AidSecretaries(opts Options) map[string]string {
	d := aidStaff(opts)
	out := map[string]string{}
	for _, p := range d.Postings {
		if p.Role == "first_secretary" {
			out[p.AreaCode] = d.Cadres[p.Cadre].Name
		}
	}
	return out
}

// aidStaff runs GenerateAid's first steps, which depend on the seed only:
// the units, the command post and the work teams.
func aidStaff(opts Options) *aid.Dataset {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	fullNamesOnce.Do(buildFullNames)
	a := &aidGen{r: rng{s: uint64(opts.Seed) ^ 0xA1D}, today: opts.Today, p: &aid.Dataset{}}
	a.units()
	a.command()
	a.teams()
	return a.p
}

type aidGen struct {
	r      rng
	today  fupin.Date
	p      *aid.Dataset
	serial int
	// ids holds the cadres' ID numbers so far (without the check character).
	ids map[string]bool
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
		a.p.Units = append(a.p.Units, aid.DatasetUnit{Name: fmt.Sprintf("演示成员单位%02d", i), VillageCode: free()})
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
	// The store refuses a second cadre with the same ID number. Serials 499
	// apart share a sequence number, so from some tens of thousands of
	// cadres (a township of 3 million households) birth dates collide:
	// draw another date. Only a collision draws again, so smaller demos
	// keep their data.
	for a.ids[id] {
		id = fmt.Sprintf("500103%04d%02d%02d%03d", a.r.between(1966, 1992), a.r.between(1, 12), a.r.between(1, 28), seq)
	}
	if a.ids == nil {
		a.ids = map[string]bool{}
	}
	a.ids[id] = true
	id += string(idcard.CheckChar(id))
	phone := phonePrefixes[a.r.intn(len(phonePrefixes))] + fmt.Sprintf("%08d", a.r.intn(100000000))
	if unit >= 0 {
		unitName = a.p.Units[unit].Name
	}
	political := "cpc_member"
	if a.r.chance(0.08) {
		political = "masses"
	}
	a.p.Cadres = append(a.p.Cadres, aid.DatasetCadre{Name: name, IDNumber: id, Phone: phone, Unit: unit, UnitName: unitName,
		Post: post, Rank: rank, Political: political})
	return len(a.p.Cadres) - 1
}

func (a *aidGen) post(cadre int, role, area string, daysAgo int) int {
	a.p.Postings = append(a.p.Postings, aid.DatasetPosting{Cadre: cadre, Role: role, AreaCode: area, StartedOn: a.day(daysAgo)})
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
func (a *aidGen) helpers(households []aid.HouseholdNeed) {
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
		posted[p.Cadre] = aid.DaysBetween(p.StartedOn, a.today)
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
		a.p.Pairings = append(a.p.Pairings, aid.DatasetPairing{HouseholdID: h.ID, Cadre: c, StartedOn: a.day(since)})
		a.visits(h, c, since)
	}
}

var findings = []string{"生产生活正常，家庭成员身体状况良好", "了解务工收入情况，宣讲小额信贷政策",
	"核实医保参保缴费情况", "查看住房和饮水情况，未发现问题", "了解子女上学情况，宣讲雨露计划",
	"家中老人慢性病用药正常，提醒签约家庭医生", "帮助联系公益性岗位", "了解产业发展（中药材、脐橙）情况"}

// visits records the household's year since its pairing (since days ago):
// monthly for 监测户, quarterly for the others, with some jitter; about one
// household in twelve misses its last.
func (a *aidGen) visits(h aid.HouseholdNeed, c, since int) {
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
		a.p.Visits = append(a.p.Visits, aid.DatasetVisit{HouseholdID: h.ID, VillageCode: h.VillageCode, Cadre: c,
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
		start := aid.DaysBetween(p.StartedOn, a.today)
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
				a.p.CheckIns = append(a.p.CheckIns, aid.DatasetCheckIn{Cadre: p.Cadre, AreaCode: p.AreaCode, Day: d})
			}
		}
		if a.r.chance(0.5) && start > 60 {
			from := a.day(a.r.between(40, min(start, 365)-10))
			to := fupin.DateOf(from.Time().AddDate(0, 0, a.r.between(2, 6)))
			a.p.Leaves = append(a.p.Leaves, aid.DatasetLeave{Cadre: p.Cadre, AreaCode: p.AreaCode, Reason: "家中有事请假",
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

// rotation plans the story's event: the township work team and the first
// secretaries past their term hand over to newly registered cadres.
func (a *aidGen) rotation() {
	for i, p := range a.p.Postings {
		old := aid.DaysBetween(p.StartedOn, a.today) > 730-60
		if p.Role == "township_leader" || p.Role == "township_member" || (p.Role == "first_secretary" && old) {
			c := a.p.Cadres[p.Cadre]
			post, rank := c.Post, c.Rank
			if p.Role == "first_secretary" {
				post = "新任驻村第一书记"
			}
			in := a.cadre(c.Unit, c.UnitName, post, rank)
			a.p.Rotation = append(a.p.Rotation, aid.DatasetHandover{Posting: i, Incoming: in})
		}
	}
}
