package demo

// pspec is a planned person: who they are in the family before their
// attributes are drawn.
type pspec struct {
	rel     string
	male    bool
	sur     int  // surname index
	name    int  // key of the drawn name, see gen.name
	blood   bool // shares the household's ethnicity (born into the family)
	birth   int  // day number
	by      int  // birth year, month and day
	bm, bd  int
	joined  int // day number, 0 = present at registration
	joinWhy string
	left    int // day number, 0 = still a member
	leftWhy string
}

// add plans a present person who is age full years old today and returns
// their index.
func (g *gen) add(rel string, male bool, age, sur int, blood bool) int {
	age = max(age, 0)
	hi := addYears(g.today, -age)
	lo := addYears(g.today, -age-1) + 1
	g.ps = append(g.ps, pspec{rel: rel, male: male, sur: sur, blood: blood})
	p := &g.ps[len(g.ps)-1]
	p.setBirth(lo + g.r.intn(hi-lo+1))
	if p.birth >= g.win0 {
		p.joinWhy = "birth" // joined is set once the ID number is fixed
	}
	return len(g.ps) - 1
}

func (p *pspec) setBirth(day int) {
	p.birth = day
	p.by, p.bm, p.bd = civilFromDays(day)
}

// ageAt returns p's full years of age on the given calendar day.
func (p *pspec) ageAt(y, m, d int) int {
	age := y - p.by
	if m < p.bm || m == p.bm && d < p.bd {
		age--
	}
	return age
}

// ageToday returns p's age on Options.Today.
func (g *gen) ageToday(p *pspec) int { return p.ageAt(g.ty, g.tm, g.td) }

func (g *gen) age(i int) int { return g.ageToday(&g.ps[i]) }

func childRel(male bool) string {
	if male {
		return "son"
	}
	return "daughter"
}

func grandRel(male bool) string {
	if male {
		return "grandson"
	}
	return "granddaughter"
}

var sizeTable = weights(24, 40, 44, 44, 28, 14, 5, 1) // 1–8 people

// plan fills g.ps with the current members of one household, then adds
// members who left in the last three years.
func (g *gen) plan(tekun bool) {
	r := &g.r
	g.ps = g.ps[:0]
	g.kidsSur = g.hs
	if tekun {
		// 特困供养: an old person with no one to support them.
		head := g.add("head", r.chance(0.75), r.between(62, 90), g.hs, true)
		if r.chance(0.1) {
			g.add("sibling", r.chance(0.6), g.age(head)+r.between(-8, 8), g.hs, true)
		}
		return
	}
	size := 1 + r.pick(sizeTable)
	u := r.float()
	switch size {
	case 1:
		if u < 0.6 {
			g.add("head", r.chance(0.6), r.between(60, 88), g.hs, true)
		} else {
			g.add("head", r.chance(0.8), r.between(35, 59), g.hs, true)
		}
	case 2:
		switch {
		case u < 0.50:
			g.nuclear(true, 0, 0, 58, 86)
		case u < 0.60:
			g.nuclear(true, 0, 0, 23, 34)
		case u < 0.80:
			g.nuclear(false, 1, 0, 0, 0)
		case u < 0.90:
			g.nuclear(false, 0, 1, 30, 58)
		default:
			g.grandparents(false, 1)
		}
	case 3:
		switch {
		case u < 0.50:
			g.nuclear(true, 1, 0, 0, 0)
		case u < 0.62:
			g.grandparents(true, 1)
		case u < 0.77:
			g.nuclear(true, 0, 1, 25, 50)
		case u < 0.92:
			g.nuclear(false, 2, 0, 0, 0)
		default:
			g.threeGen(false, 0, false)
		}
	case 4:
		switch {
		case u < 0.45:
			g.nuclear(true, 2, 0, 0, 0)
		case u < 0.63:
			g.nuclear(true, 1, 1, 0, 0)
		case u < 0.70:
			g.nuclear(true, 0, 2, 25, 40)
		case u < 0.80:
			g.threeGen(true, 0, false)
		case u < 0.88:
			g.threeGen(false, 1, false)
		case u < 0.95:
			g.grandparents(true, 2)
		default:
			g.nuclear(false, 3, 0, 0, 0)
		}
	case 5:
		switch {
		case u < 0.22:
			g.nuclear(true, 3, 0, 0, 0)
		case u < 0.45:
			g.nuclear(true, 2, 1, 0, 0)
		case u < 0.55:
			g.nuclear(true, 1, 2, 0, 0)
		case u < 0.92:
			g.threeGen(true, 1, false)
		default:
			g.threeGen(false, 2, false)
		}
	default:
		switch {
		case u < 0.3:
			g.nuclear(true, size-4, 2, 0, 0)
		case u < 0.9:
			g.threeGen(true, size-4, false)
		default:
			g.threeGen(true, size-5, true)
		}
	}
	g.departures()
}

// kidAges fills ages (oldest first) of n siblings whose youngest is at most
// maxYoungest years old.
func (g *gen) kidAges(ages []int, maxYoungest int) {
	r := &g.r
	y := r.intn(maxYoungest + 1)
	if y <= 3 && r.chance(0.5) {
		y = r.intn(maxYoungest + 1) // babies are rarer than the uniform draw
	}
	n := len(ages)
	ages[n-1] = y
	for i := n - 2; i >= 0; i-- {
		ages[i] = ages[i+1] + r.between(1, 5)
	}
}

// nuclear plans a head, optionally a spouse, kids children and parents of
// the head. Without children the head's age is drawn from [lo, hi].
func (g *gen) nuclear(spouse bool, kids, parents, lo, hi int) {
	r := &g.r
	var ages [8]int
	var motherAge, fatherAge int
	if kids > 0 {
		maxY := 24
		if parents > 0 {
			maxY = 10
		}
		g.kidAges(ages[:kids], maxY)
		motherAge = ages[0] + r.between(20, 31)
		fatherAge = max(motherAge+r.between(-2, 6), ages[0]+20)
	} else {
		fatherAge = r.between(lo, hi)
		motherAge = max(fatherAge-r.between(-2, 5), 20)
	}
	headMale := r.chance(0.93)
	if !spouse {
		headMale = r.chance(0.45)
		if kids == 0 {
			headMale = r.chance(0.85) // an unmarried son living with a parent
		}
	}
	var head int
	if headMale {
		head = g.add("head", true, fatherAge, g.hs, true)
		if spouse {
			g.add("spouse", false, motherAge, g.surname(), false)
		}
	} else {
		head = g.add("head", false, motherAge, g.hs, true)
		if spouse {
			sp := g.surname()
			g.add("spouse", true, fatherAge, sp, false)
			if r.chance(0.8) {
				g.kidsSur = sp
			}
		} else if kids > 0 && r.chance(0.8) {
			g.kidsSur = g.surname() // the children's absent or late father
		}
	}
	for i := range kids {
		male := r.chance(0.52)
		g.add(childRel(male), male, ages[i], g.kidsSur, true)
	}
	if parents > 0 {
		fa := g.age(head) + r.between(22, 33)
		if fa > 96 {
			fa = 96 - r.intn(5)
		}
		mo := fa - r.between(-2, 5)
		switch {
		case parents == 2:
			g.add("father", true, fa, g.hs, true)
			g.add("mother", false, mo, g.surname(), true)
		case r.chance(0.35):
			g.add("father", true, fa, g.hs, true)
		default:
			g.add("mother", false, mo, g.surname(), true)
		}
	}
}

// threeGen plans an older head (with a spouse if spouse is set), a married
// child and their spouse, nGrand grandchildren and optionally an unmarried
// younger child.
func (g *gen) threeGen(spouse bool, nGrand int, extra bool) {
	r := &g.r
	var ages [8]int
	var mid int
	if nGrand > 0 {
		g.kidAges(ages[:nGrand], 14)
		mid = ages[0] + r.between(21, 31)
	} else {
		mid = r.between(22, 38)
	}
	headAge := min(mid+r.between(22, 32), 92)
	headMale := r.chance(0.92)
	if !spouse {
		headMale = r.chance(0.45)
	}
	if headMale {
		g.add("head", true, headAge, g.hs, true)
		if spouse {
			g.add("spouse", false, headAge-r.between(-2, 5), g.surname(), false)
		}
	} else {
		g.add("head", false, headAge, g.hs, true)
		if spouse {
			sp := g.surname()
			g.add("spouse", true, headAge+r.between(-2, 5), sp, false)
			g.kidsSur = sp
		} else if r.chance(0.8) {
			g.kidsSur = g.surname()
		}
	}
	sonLine := r.chance(0.82)
	var inLaw int
	grandSur := g.kidsSur
	if sonLine {
		g.add("son", true, mid, g.kidsSur, true)
		inLaw = g.add("daughter_in_law", false, mid-r.between(-2, 5), g.surname(), false)
	} else {
		g.add("daughter", false, mid, g.kidsSur, true)
		sil := g.surname()
		inLaw = g.add("son_in_law", true, mid+r.between(-2, 5), sil, false)
		if r.chance(0.3) {
			grandSur = sil
		}
	}
	if extra {
		male := r.chance(0.6)
		g.add(childRel(male), male, max(mid-r.between(2, 8), 16), g.kidsSur, true)
	}
	oldest := 1 << 30
	for i := range nGrand {
		male := r.chance(0.52)
		j := g.add(grandRel(male), male, ages[i], grandSur, true)
		oldest = min(oldest, g.ps[j].birth)
	}
	// Some in-laws married into the household within the last three years.
	if g.age(inLaw) <= 34 && r.chance(0.3) {
		from := max(g.win0, addYears(g.ps[inLaw].birth, 20))
		if from <= g.win1 {
			day := from + r.intn(g.win1-from+1)
			if day <= oldest {
				g.ps[inLaw].joined, g.ps[inLaw].joinWhy = day, "marriage"
			}
		}
	}
}

// grandparents plans a grandparent head (with a spouse if spouse is set)
// raising n grandchildren whose parents moved their registration away.
func (g *gen) grandparents(spouse bool, n int) {
	r := &g.r
	headAge := r.between(55, 76)
	male := r.chance(0.8)
	if !spouse {
		male = r.chance(0.4)
	}
	g.add("head", male, headAge, g.hs, true)
	if !male {
		g.kidsSur = g.surname() // the grandchildren carry her husband's surname
	}
	if spouse {
		sur := g.surname()
		if !male {
			sur = g.kidsSur
		}
		g.add("spouse", !male, headAge+r.between(-5, 5), sur, false)
	}
	for range n {
		m := r.chance(0.52)
		g.add(grandRel(m), m, r.between(2, 15), g.kidsSur, true)
	}
}
