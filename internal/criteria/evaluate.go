package criteria

import (
	"time"

	"fupin/internal/fupin"
)

// arena holds everything a Verdict points to, so that evaluating a typical
// household needs no further allocation (larger households grow the fact
// and member buffers). Results and facts are written field by field in
// place: copying whole structs that hold pointers costs bulk write barriers
// while the GC runs.
type arena struct {
	items   [numItems]Result
	signals [2]Signal
	checks  [4]Check
	facts   [24]Fact
	members [8]present
	perCap  fupin.Money
}

// present is a member who belongs to the household on the assessment date.
type present struct {
	idx int32 // index in Household.Members
	age int32 // full years on the assessment date, -1 when unknown
}

type evaluator struct {
	h       *fupin.Household
	p       *Params
	facts   []Fact
	members []present
	// cur and prev are the income records of the year and the year before.
	cur, prev *fupin.IncomeYear
}

var emptyHousehold fupin.Household

// Evaluator evaluates households one after another without allocating: the
// Verdict it returns points into the Evaluator's buffers and stays valid only
// until the next call, so encode or Clone it before evaluating the next
// household. This is the path for batch recomputation. The zero value is
// ready to use. An Evaluator must not be used by two goroutines at once, and
// copies of a used Evaluator share its overflow buffers: keep one per
// goroutine and pass it by pointer.
type Evaluator struct {
	a    arena
	used bool
	// facts and members are buffers grown by large households, kept for
	// reuse; nil until a household overflows the arena.
	facts   []Fact
	members []present
}

// Evaluate evaluates household h for year under p into a fresh Verdict that
// the caller may keep. on is the assessment date; the zero Date means 31
// December of year. p should be resolved for the household's village code
// and year (Resolve; cache it per village and year); a nil p means
// Defaults(). A nil h is evaluated as a household with no facts (every item
// unknown). Evaluate does not modify h; the Verdict shares only member names
// with h and the parameter uses with p. Reason texts are left empty: see
// Result.Text, Verdict.Render and the JSON encoding.
func Evaluate(h *fupin.Household, year int, on fupin.Date, p *Params) Verdict {
	return new(Evaluator).Evaluate(h, year, on, p)
}

// Evaluate is like the package function Evaluate but reuses ev's buffers:
// the result is valid until the next call on ev.
func (ev *Evaluator) Evaluate(h *fupin.Household, year int, on fupin.Date, p *Params) Verdict {
	if p == nil {
		p = Defaults()
	}
	if on.IsZero() {
		on = fupin.NewDate(year, time.December, 31)
	}
	if h == nil {
		h = &emptyHousehold
	}
	a := &ev.a
	if ev.used {
		a.items = [numItems]Result{} // item rules set only the fields they use
	}
	ev.used = true
	e := evaluator{h: h, p: p, facts: a.facts[:0], members: a.members[:0]}
	if ev.facts != nil {
		e.facts = ev.facts[:0]
	}
	if ev.members != nil {
		e.members = ev.members[:0]
	}
	e.collect(year, on)

	it := &a.items
	e.basic(&it[0], ItemFood, FactFoodSecure, h.Basics.FoodSecure)
	e.basic(&it[1], ItemClothing, FactClothingSecure, h.Basics.ClothingSecure)
	e.education(&it[2])
	e.medical(&it[3])
	e.housing(&it[4])
	e.water(&it[5], &a.checks)
	e.income(&it[7])
	e.standard(&it[6], &it[5], &it[7])

	v := Verdict{HouseholdID: h.ID, Year: year, AssessedOn: on, PolicyVersion: p.version,
		RulesVersion: RulesVersion, Items: it[:]}
	v.Signals = e.signals(a.signals[:0], &it[7])
	v.count()
	if e.cur != nil && e.cur.PerCapitaNet != nil {
		a.perCap = *e.cur.PerCapitaNet
		v.PerCapita = &a.perCap
	}
	// Keep buffers that a large household grew, but never the arena itself:
	// a copied Evaluator would point into the original.
	if cap(e.facts) > len(a.facts) {
		ev.facts = e.facts[:0]
	}
	if cap(e.members) > len(a.members) {
		ev.members = e.members[:0]
	}
	return v
}

// count sets Pass, Problems, Unknowns and IncomeRisk from the items.
func (v *Verdict) count() {
	v.Pass = true
	for i := range v.Items {
		r := &v.Items[i]
		if !r.Item.Core() {
			v.IncomeRisk = r.Status == Fail
			continue
		}
		switch r.Status {
		case Fail:
			v.Problems++
		case Unknown:
			v.Unknowns++
		}
		v.Pass = v.Pass && r.Status == Pass
	}
}

// collect finds the members present on the date with their ages, and the
// income records. Ages are computed here, with the same rule as
// Member.AgeOn, from a cheap civil-date split (time.Time.Date is a tenth of
// the evaluation otherwise).
func (e *evaluator) collect(year int, on fupin.Date) {
	y, md := civil(on)
	for i := range e.h.Members {
		mem := &e.h.Members[i]
		if !mem.PresentOn(on) {
			continue
		}
		age := -1
		if !mem.BirthDate.IsZero() {
			by, bmd := civil(mem.BirthDate)
			age = y - by
			if md < bmd {
				age--
			}
			if age < 0 {
				continue // born after the date, whatever JoinedOn says
			}
		}
		e.members = append(e.members, present{int32(i), int32(age)})
	}
	for i := range e.h.Incomes {
		switch e.h.Incomes[i].Year {
		case year:
			e.cur = &e.h.Incomes[i]
		case year - 1:
			e.prev = &e.h.Incomes[i]
		}
	}
}

// civil splits a date into its year and month*100+day, using the days-from-
// civil algorithm of H. Hinnant on the day number (fupin.Date is midnight UTC).
func civil(d fupin.Date) (year, monthDay int) {
	z := d.Time().Unix()/86400 + 719468
	if z < 0 {
		z -= 146096
	}
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if mp >= 10 {
		month = mp - 9
	}
	year = int(yoe + era*400)
	if month <= 2 {
		year++
	}
	return year, int(month*100 + day)
}

func (e *evaluator) member(pm present) *fupin.Member { return &e.h.Members[pm.idx] }

// add appends a zero fact named name and returns it for filling in place.
// The pointer is valid until the next add.
func (e *evaluator) add(name FactName) *Fact {
	n := len(e.facts)
	if n == cap(e.facts) {
		e.facts = append(e.facts, Fact{})
	} else {
		e.facts = e.facts[:n+1]
	}
	f := &e.facts[n]
	f.Name, f.Kind, f.Flag, f.Code, f.Num = name, ValueMissing, FlagNone, 0, 0
	if f.Member != "" {
		f.Member = "" // only on reuse; avoids a pointer write otherwise
	}
	return f
}

// since returns the facts added from start on, capped so that appending to
// the result cannot overwrite later facts.
func (e *evaluator) since(start int) []Fact {
	return e.facts[start:len(e.facts):len(e.facts)]
}

func (f *Fact) flag(s Status) *Fact {
	switch s {
	case Fail:
		f.Flag = FlagFail
	case Unknown:
		f.Flag = FlagUnknown
	}
	return f
}

func (f *Fact) setBool(v *bool) *Fact {
	if v != nil {
		f.Kind, f.Num = ValueBool, b2f(*v)
	}
	return f
}

func (f *Fact) setNum(v *float64) *Fact {
	if v != nil {
		f.Kind, f.Num = ValueNumber, *v
	}
	return f
}

func (f *Fact) set(k FactKind, v float64) *Fact {
	f.Kind, f.Num = k, v
	return f
}

func passIf(ok bool) Status {
	if ok {
		return Pass
	}
	return Fail
}

// worst combines statuses: any fail fails, else any unknown is unknown.
func worst(a, b Status) Status {
	switch {
	case a == Fail || b == Fail:
		return Fail
	case a == Unknown || b == Unknown:
		return Unknown
	}
	return Pass
}

// basic evaluates 不愁吃 / 不愁穿 from the visiting cadre's record.
func (e *evaluator) basic(r *Result, item Item, name FactName, v *bool) {
	s := len(e.facts)
	st := Unknown
	if v != nil {
		st = passIf(*v)
	}
	e.add(name).setBool(v).flag(st)
	r.Item, r.Status, r.Code = item, st, basicCode(item, st)
	r.Facts, r.Params = e.since(s), e.p.useNone
}

func basicCode(item Item, st Status) string {
	food := item == ItemFood
	switch {
	case st == Pass && food:
		return codeFoodYes
	case st == Pass:
		return codeClothingYes
	case st == Fail && food:
		return codeFoodNo
	case st == Fail:
		return codeClothingNo
	case food:
		return codeFoodMissing
	}
	return codeClothingMissing
}

// housing evaluates 住房安全: grade A/B is safe; C/D (or an ungraded house)
// is covered by relocation, another safe home or institutional care.
func (e *evaluator) housing(r *Result) {
	hs := &e.h.Housing
	s := len(e.facts)
	gi := len(e.facts) // an index: a *Fact is stale once add grows the slice
	e.add(FactHousingGrade).setCode(hs.Grade)
	e.add(FactRelocated).set(ValueBool, b2f(hs.Relocated))
	e.add(FactOtherSafeHome).set(ValueBool, b2f(hs.OtherSafeHome))
	e.add(FactInstitutionalCare).set(ValueBool, b2f(hs.InstitutionalCare))
	r.Item, r.Params = ItemHousing, e.p.useNone
	switch {
	case hs.Grade == "A" || hs.Grade == "B":
		r.Status, r.Code = Pass, codeHousingSafe
	case hs.Relocated:
		r.Status, r.Code = Pass, codeHousingRelocated
	case hs.OtherSafeHome:
		r.Status, r.Code = Pass, codeHousingOtherHome
	case hs.InstitutionalCare:
		r.Status, r.Code = Pass, codeHousingCare
	case hs.Grade == "C" || hs.Grade == "D":
		r.Status, r.Code = Fail, codeHousingUnsafe
	case hs.Grade == "":
		r.Status, r.Code = Unknown, codeHousingMissing
	default:
		r.Status, r.Code = Unknown, codeHousingInvalid
	}
	e.facts[gi].flag(r.Status)
	r.Facts = e.since(s)
}

// standard evaluates 一达标 by mirroring the water or the income item.
func (e *evaluator) standard(r, water, income *Result) {
	src, code, use := water, codeStandardWater, e.p.useStd[0]
	switch {
	case e.p.basisIncome:
		src, code, use = income, codeStandardIncome, e.p.useStd[2]
	case e.h.Water.ScarceArea:
		use = e.p.useStd[1]
	}
	s := len(e.facts)
	e.add(FactBasisStatus).setCode(string(src.Status)).flag(src.Status)
	r.Item, r.Status, r.Code, r.Facts, r.Params = ItemStandard, src.Status, code, e.since(s), use
}

// income compares the year's per-capita net income with the lines.
func (e *evaluator) income(r *Result) {
	r.Item, r.Params = ItemIncome, e.p.useIncome
	s := len(e.facts)
	switch {
	case e.cur == nil:
		e.add(FactPerCapitaNet).flag(Unknown)
		r.Status, r.Code = Unknown, codeIncomeMissing
	case e.cur.PerCapitaNet == nil:
		e.add(FactSize).set(ValueInt, float64(e.cur.Size))
		e.add(FactPerCapitaNet).flag(Unknown)
		r.Status, r.Code = Unknown, codeIncomeNoSize
	default:
		pc := *e.cur.PerCapitaNet
		e.add(FactNet).set(ValueMoney, float64(e.cur.Net))
		e.add(FactSize).set(ValueInt, float64(e.cur.Size))
		f := e.add(FactPerCapitaNet).set(ValueMoney, float64(pc))
		switch {
		case pc < e.p.poverty && pc < e.p.monitoring:
			r.Status, r.Code = Fail, codeIncomeBelowPoverty
		case pc < e.p.monitoring:
			r.Status, r.Code = Fail, codeIncomeBelowLine
		default:
			r.Status, r.Code = Pass, codeIncomeAbove
		}
		f.flag(r.Status)
	}
	r.Facts = e.since(s)
}
