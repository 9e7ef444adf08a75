// Package demo generates a deterministic, realistic deep-poverty township for
// demos and benchmarks: 重庆市奉节县平安乡 (statistical code 500236266) with its
// 12 real villages. Households, members, living conditions, monitoring and
// three years of income follow the proportions of a real township of the
// 2020s; a handful of households carry the problems a command post looks for
// (a dropout, a dangerous house, a member without medical insurance, too
// little water, income under the monitoring line).
//
// The same Options give exactly the same households, in the same order.
package demo

import (
	"errors"
	"fmt"

	"fupin/internal/fupin"
)

// TownshipCode is the statistical division code of 平安乡.
const TownshipCode = "500236266"

// Village is one village (村 or 社区) of the township.
type Village struct {
	Code string // 12-digit statistical division code (2023 vintage)
	Name string
}

var villages = []Village{
	{"500236266001", "平安社区"}, {"500236266200", "天台村"}, {"500236266202", "文昌村"},
	{"500236266203", "林口村"}, {"500236266205", "桃树村"}, {"500236266206", "长坪村"},
	{"500236266207", "向子村"}, {"500236266208", "茨竹村"}, {"500236266209", "和平村"},
	{"500236266210", "射淌村"}, {"500236266211", "双店村"}, {"500236266212", "咏梧村"},
}

// villageWeights are the villages' relative numbers of households.
var villageWeights = []int{150, 100, 90, 110, 85, 115, 95, 105, 90, 110, 85, 100}

// Villages returns the 12 villages of 平安乡 with their codes and names.
func Villages() []Village { return append([]Village(nil), villages...) }

// Options controls Generate.
type Options struct {
	// Households is the number of households; 0 means 3000 (about 10,000 people).
	Households int
	// Seed selects the township; 0 means 1. The same seed gives the same data.
	Seed int64
	// Today is "now" for ages and dates; required, and not before 2022-01-01
	// (monitoring began in 2021). Incomes cover the three complete years
	// before Today's year.
	Today fupin.Date
}

// Generate calls emit once per household, village by village, in a
// deterministic order. Each household is a fresh value that emit may keep:
// Members (including those who died or moved out in the last three years,
// with LeftOn and LeaveReason set) and Incomes are filled, Size and HeadName
// describe the current members, and all IDs are 0 for the store to assign.
// Households are produced one at a time, never all at once. An error from
// emit stops generation and is returned.
//
// 户编号 is the village code and a serial of at least 4 digits (wider only
// when a village has more than 9,999 households); 人编号 is the 户编号 plus a
// 2-digit serial. ID numbers are valid and unique across the whole run.
func Generate(opts Options, emit func(*fupin.Household) error) error {
	if opts.Households == 0 {
		opts.Households = 3000
	}
	if opts.Households < 0 {
		return errors.New("demo: Households must not be negative")
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Today.IsZero() {
		return errors.New("demo: Options.Today is required")
	}
	if opts.Today.Before(fupin.NewDate(2022, 1, 1)) {
		return fmt.Errorf("demo: Options.Today %s is before 2022-01-01", opts.Today)
	}
	fullNamesOnce.Do(buildFullNames)
	g := newGen(opts)
	counts := splitCounts(opts.Households)
	width := 4
	for _, c := range counts {
		for w, n := 4, 10000; c >= n; w, n = w+1, n*10 {
			width = max(width, w+1)
		}
	}
	for vi := range villages {
		for serial := 1; serial <= counts[vi]; serial++ {
			if err := emit(g.household(vi, serial, width)); err != nil {
				return err
			}
		}
	}
	return nil
}

// splitCounts divides n households among the villages by villageWeights
// (largest remainder).
func splitCounts(n int) []int {
	total := 0
	for _, w := range villageWeights {
		total += w
	}
	counts := make([]int, len(villages))
	rem := make([]int, len(villages))
	given := 0
	for i, w := range villageWeights {
		counts[i] = n * w / total
		rem[i] = n * w % total
		given += counts[i]
	}
	for ; given < n; given++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
	}
	return counts
}

// span is a piece of the household's text block destined for a string field.
type span struct {
	dst  *string
	a, b int
}

// gen holds the state of one Generate call.
type gen struct {
	r      rng
	today  int // day number of Options.Today
	ty     int // Options.Today as year, month, day
	tm, td int
	year   int     // Options.Today's year
	win0   int     // first day of year-3: start of the join/leave window
	win1   int     // last day of year-1 (or the day before today)
	ctr    []uint8 // ID numbers issued per (birth day, region, sex)
	ctrMin int     // birth day of ctr[0:4]
	salt   uint64

	nHouse, nExPoor int // households so far, and of them 脱贫户

	// per-household scratch
	ps      []pspec
	buf     []byte
	spans   []span
	hs      int // surname index of the head
	kidsSur int // surname index of the head's children
	eth     string
	mon     monitorInfo
	pwj     bool // a public welfare job was given in this household
	md      []memberDraw
}

func newGen(opts Options) *gen {
	t := opts.Today.Time()
	g := &gen{r: rng{s: uint64(opts.Seed)}, year: t.Year()}
	g.ty, g.tm, g.td = t.Year(), int(t.Month()), t.Day()
	g.today = daysFromCivil(g.ty, g.tm, g.td)
	g.win0 = daysFromCivil(g.year-3, 1, 1)
	g.win1 = min(daysFromCivil(g.year-1, 12, 31), g.today-1)
	g.ctrMin = addYears(g.today, -110)
	g.ctr = make([]uint8, (g.today-g.ctrMin+1)*4)
	g.salt = mix(uint64(opts.Seed) ^ 0x5EED)
	g.r.next()
	return g
}

// mark records that buf[a:len(buf)] becomes *dst when the household is done.
func (g *gen) mark(dst *string, a int) {
	g.spans = append(g.spans, span{dst, a, len(g.buf)})
}

// household builds one household of village vi.
func (g *gen) household(vi, serial, width int) *fupin.Household {
	r := &g.r
	v := villages[vi]
	blk := new(struct {
		h fupin.Household
		f facts
	})
	h, f := &blk.h, &blk.f
	h.VillageCode, h.Risks = v.Code, []string{}
	g.buf, g.spans, g.pwj, g.mon = g.buf[:0], g.spans[:0], false, monitorInfo{}

	g.buf = append(g.buf, v.Code...)
	g.buf = appendInt(g.buf, serial, width)
	g.mark(&h.HouseholdNo, 0)
	noEnd := len(g.buf)

	// About 14.5 % of households (14 % of people) are 脱贫户; the chance
	// leans against the running count so that every run lands near it.
	h.Type = "ordinary"
	p := min(max(exPoorShare+(exPoorShare*float64(g.nHouse)-float64(g.nExPoor))/40, 0.02), 0.5)
	if g.nHouse++; r.chance(p) {
		g.nExPoor++
		g.exPoor(h)
	}
	g.hs = g.surname()
	g.eth = g.ethnicity()
	g.plan(h.PovertyAttr == "tekun")

	g.facts(h, f)
	nats := naturalVillages[vi]
	h.NaturalVillage = nats[r.intn(len(nats))]
	a := len(g.buf)
	g.buf = append(g.buf, "重庆市奉节县平安乡"...)
	g.buf = append(g.buf, v.Name...)
	g.buf = append(g.buf, h.NaturalVillage...)
	g.buf = appendInt(g.buf, r.between(1, 120), 0)
	g.buf = append(g.buf, "号"...)
	g.mark(&h.Address, a)
	if r.chance(0.96) {
		g.phone(&h.Phone)
	}

	ms := make([]fupin.Member, len(g.ps))
	h.Members = ms
	g.members(h)
	for i := range ms {
		a := len(g.buf)
		g.buf = append(g.buf, g.buf[:noEnd]...)
		g.buf = appendInt(g.buf, i+1, 2)
		g.mark(&ms[i].PersonNo, a)
	}
	g.monitor(h)
	g.incomes(h)

	text := string(g.buf)
	for _, s := range g.spans {
		*s.dst = text[s.a:s.b]
	}
	clear(g.spans) // hold no pointer into an emitted household
	for i := range ms {
		if ms[i].Active() {
			h.Size++
			if ms[i].Relation == "head" {
				h.HeadName = ms[i].Name
			}
		}
	}
	return h
}

// exPoorShare is the share of households that are 脱贫户.
const exPoorShare = 0.145

var povertyAttrTable = weights(75, 20, 5)
var povertyAttrs = []string{"general", "dibao", "tekun"}

// exPoor makes h a 脱贫户 with its attribute and identification history.
func (g *gen) exPoor(h *fupin.Household) {
	r := &g.r
	h.Type = "ex_poor"
	h.PovertyAttr = povertyAttrs[r.pick(povertyAttrTable)]
	idYear := 2014
	if u := r.float(); u < 0.08 {
		idYear = 2016
	} else if u < 0.20 {
		idYear = 2015
	}
	id := daysFromCivil(idYear, 3, 1) + r.intn(245)
	exitYear := []int{2016, 2017, 2018, 2019, 2020}[r.pick(exitYearTable)]
	exitYear = max(exitYear, idYear+1)
	exit := daysFromCivil(exitYear, 10, 1) + r.intn(92)
	h.IdentifiedOn, h.ExitedOn = dateOf(id), dateOf(exit)
}

var exitYearTable = weights(15, 25, 25, 25, 10)

// phone writes an 11-digit mobile number into *dst.
func (g *gen) phone(dst *string) {
	a := len(g.buf)
	g.buf = append(g.buf, phonePrefixes[g.r.intn(len(phonePrefixes))]...)
	g.buf = appendInt(g.buf, g.r.intn(100000000), 8)
	g.mark(dst, a)
}

var phonePrefixes = []string{"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "180", "181", "182", "183",
	"185", "186", "187", "188", "189", "191", "193", "195", "198", "199"}

func (g *gen) surname() int { return g.r.pick(surnameTable) }

var ethTable = weights(90, 8, 2)
var ethnicities = []string{"汉族", "土家族", "苗族"}

func (g *gen) ethnicity() string { return ethnicities[g.r.pick(ethTable)] }
