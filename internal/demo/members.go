package demo

import (
	"time"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

// regions are the places of first registration written into ID numbers:
// 奉节县 since Chongqing became a municipality in 1997, and 奉节县 of 万县地区,
// Sichuan, before.
var regions = [2]string{"500236", "512226"}

// assignID writes a valid, unique ID number for p and sets m's sex and birth
// date from it. Uniqueness comes from a counter per (birth day, region,
// sex), scrambled into the sequence digits by a bijection modulo 499. The
// counters are bytes, for cache locality: when 250 numbers of a day are
// taken, the birth date moves a day earlier.
func (g *gen) assignID(p *pspec, m *fupin.Member) {
	coin := g.r.chance(0.5)
	sex := 0
	if p.male {
		sex = 1
	}
	var k, reg int
	if p.birth < g.ctrMin { // older than 110: never planned
		p.setBirth(g.ctrMin)
	}
	step := -1
	for {
		reg = 0
		if p.by < 1985 || p.by < 1997 && coin {
			reg = 1
		}
		k = (p.birth-g.ctrMin)*4 + reg*2 + sex
		if g.ctr[k] < 250 {
			break
		}
		if p.birth == g.ctrMin {
			step = 1
		}
		p.setBirth(p.birth + step)
	}
	c := int(g.ctr[k])
	g.ctr[k]++
	n := (int(mix(uint64(k)^g.salt)%499) + 263*c) % 499
	seq := 2*n + 2 - sex // male odd 1–997, female even 2–998
	var id [18]byte
	copy(id[:6], regions[reg])
	putDigits(id[6:10], p.by)
	putDigits(id[10:12], p.bm)
	putDigits(id[12:14], p.bd)
	putDigits(id[14:17], seq)
	id[17] = idcard.CheckChar(string(id[:17]))
	a := len(g.buf)
	g.buf = append(g.buf, id[:]...)
	g.mark(&m.IDNumber, a)
	m.Sex = "female"
	if p.male {
		m.Sex = "male"
	}
	m.BirthDate = fupin.NewDate(p.by, time.Month(p.bm), p.bd)
}

// name draws a name for member i that no earlier member of the household
// has (names are compared by their place in fullNames).
func (g *gen) name(i int) string {
	p := &g.ps[i]
	sex, e := 0, era(p.by)
	if p.male {
		sex = 1
	}
	pool := namePools[p.sur][e][sex]
	base := ((p.sur*5+e)*2 + sex) << 8
	for try := 0; ; try++ {
		j := g.r.intn(int(pool.n))
		dup := false
		for k := range i {
			dup = dup || g.ps[k].name == base+j
		}
		if !dup || try == 3 {
			p.name = base + j
			return fullName(pool.start, j)
		}
	}
}

// members fills h.Members from the plan in g.ps.
func (g *gen) members(h *fupin.Household) {
	r := &g.r
	ms := h.Members
	exPoor := h.Type == "ex_poor"
	wholeDibao := r.chance(0.85)
	dibao := false
	for i := range g.ps {
		p, m := &g.ps[i], &ms[i]
		g.assignID(p, m)
		m.Relation = p.rel
		m.Name = g.name(i)
		age := g.ageToday(p)
		if p.left != 0 {
			age = p.ageAt(civilFromDays(p.left))
			m.LeftOn, m.LeaveReason = dateOf(p.left), p.leftWhy
		}
		m.JoinReason = "registered"
		switch p.joinWhy {
		case "birth":
			p.joined = p.birth
			fallthrough
		case "marriage":
			m.JoinedOn, m.JoinReason = dateOf(p.joined), p.joinWhy
		}
		m.Ethnicity = g.eth
		if !p.blood {
			m.Ethnicity = g.ethnicity()
		}
		g.schooling(m, age, p.by)
		if m.Health == "" {
			m.Health, m.DisabilityGrade = g.health(age, exPoor)
		}
		g.labour(m, age)
		g.insurance(m, age)

		m.Relocated = h.Housing.Relocated
		switch h.PovertyAttr {
		case "tekun":
			m.Tekun = true
		case "dibao":
			m.Dibao = wholeDibao || m.Health != "healthy" || age >= 60 || age < 16
			dibao = dibao || m.Dibao
		}
		active := p.left == 0
		if exPoor && active && !g.pwj && age >= 30 && age <= 64 && m.MigrantMonths == 0 &&
			(m.Labour == "ordinary" || m.Labour == "weak") && r.chance(0.12) {
			m.PublicWelfareJob, g.pwj = true, true
		}
		if active && age >= 18 && age <= 65 && r.chance(0.3) {
			g.phone(&m.Phone)
		}
	}
	if h.PovertyAttr == "dibao" && !dibao {
		ms[0].Dibao = true
	}
}

func isStudent(status string) bool { return status != "none" && status != "dropout" }

var (
	educations  = []string{"preschool", "illiterate", "primary", "junior", "senior", "vocational", "college"}
	adultEduTab = [5]wtable{
		weights(0, 45, 45, 10),
		weights(0, 20, 50, 27, 3),
		weights(0, 5, 35, 50, 7, 3),
		weights(0, 0, 15, 55, 15, 10, 5),
		weights(0, 0, 0, 35, 20, 25, 20),
	}
	upperSecondary = weights(55, 33, 12) // senior, secondary_vocational, none
)

// adultEducation draws the education of someone out of school by cohort.
func (g *gen) adultEducation(birthYear int) string {
	c := 4
	switch {
	case birthYear < 1950:
		c = 0
	case birthYear < 1965:
		c = 1
	case birthYear < 1980:
		c = 2
	case birthYear < 1995:
		c = 3
	}
	return educations[g.r.pick(adultEduTab[c])]
}

// schooling sets education and school status by age; a few children of
// compulsory-school age drop out, some of them for health reasons.
func (g *gen) schooling(m *fupin.Member, age, birthYear int) {
	r := &g.r
	m.Education, m.SchoolStatus = "", "none"
	switch {
	case age < 3:
		m.Education = "preschool"
	case age < 6:
		m.Education = "preschool"
		if r.chance(0.88) {
			m.SchoolStatus = "preschool"
		}
	case age <= 15:
		m.Education, m.SchoolStatus = "primary", "primary"
		if age >= 12 {
			m.Education, m.SchoolStatus = "junior", "junior"
		}
		if age == 15 {
			g.upperSecondary(m)
		}
		if r.chance(0.006) {
			m.SchoolStatus = "dropout"
			if r.chance(0.4) {
				if r.chance(0.5) {
					m.SchoolStatus, m.DropoutExemption = "home_schooled", "severe_disability"
					m.Health, m.DisabilityGrade = "disabled", r.between(1, 2)
				} else {
					m.DropoutExemption, m.Health = "illness", "serious"
				}
			}
		}
	case age <= 17:
		g.upperSecondary(m)
	case age <= 22 && age == 18 && r.chance(0.35):
		m.Education, m.SchoolStatus = "senior", "senior"
	case age <= 22 && r.chance(0.33):
		m.Education, m.SchoolStatus = "college", "higher_vocational"
		if r.chance(0.45) {
			m.SchoolStatus = "undergraduate"
		}
	default:
		m.Education = g.adultEducation(birthYear)
	}
}

func (g *gen) upperSecondary(m *fupin.Member) {
	switch g.r.pick(upperSecondary) {
	case 0:
		m.Education, m.SchoolStatus = "senior", "senior"
	case 1:
		m.Education, m.SchoolStatus = "vocational", "secondary_vocational"
	default:
		m.Education, m.SchoolStatus = "junior", "none"
	}
}

var gradeTable = weights(10, 20, 30, 40)

// health draws a health status; chronic illness, serious illness and
// disability are commoner among the old and in ex-poor households.
func (g *gen) health(age int, exPoor bool) (string, int) {
	c, s, d := 0.10, 0.025, 0.05
	switch {
	case age < 18:
		c, s, d = 0.02, 0.005, 0.015
	case age >= 60:
		c, s, d = 0.27, 0.06, 0.12
	}
	if exPoor {
		c, s, d = c*1.5, s*1.5, d*1.6
	}
	switch u := g.r.float(); {
	case u < d:
		return "disabled", 1 + g.r.pick(gradeTable)
	case u < d+s:
		return "serious", 0
	case u < d+s+c:
		return "chronic", 0
	}
	return "healthy", 0
}

var (
	monthsTable = weights(8, 8, 12, 14, 18, 18, 22) // 6–12 months
	placeTable  = weights(65, 22, 13)
	places      = []string{"out_province", "in_province", "in_county"}
	skillTable  = weights(18, 82)
)

// labour sets labour skill from age, schooling and health, and migrant work
// for able adults under 60.
func (g *gen) labour(m *fupin.Member, age int) {
	r := &g.r
	m.MigrantMonths, m.MigrantPlace = 0, ""
	switch {
	case age < 16 || age >= 70 || isStudent(m.SchoolStatus):
		m.Labour = "none"
	case m.Health == "disabled" && m.DisabilityGrade <= 2:
		m.Labour = "lost"
	case m.Health == "disabled":
		m.Labour = "weak"
	case m.Health == "serious":
		m.Labour = "weak"
		if r.chance(0.6) {
			m.Labour = "lost"
		}
	case m.Health == "chronic" || age >= 60:
		m.Labour = "weak"
		if r.chance(0.45) {
			m.Labour = "ordinary"
		}
	default:
		m.Labour = []string{"skilled", "ordinary"}[r.pick(skillTable)]
	}
	if (m.Labour == "skilled" || m.Labour == "ordinary") && age <= 59 {
		p := 0.38
		if m.Sex == "male" {
			p = 0.55
		}
		if r.chance(p) {
			m.MigrantMonths = 6 + r.pick(monthsTable)
			m.MigrantPlace = places[r.pick(placeTable)]
		}
	}
}

// insurance sets medical, critical-illness and pension insurance.
func (g *gen) insurance(m *fupin.Member, age int) {
	r := &g.r
	u := r.float()
	switch {
	case u < 0.015:
		m.MedicalInsurance = "none"
	case m.MigrantMonths > 0 && m.Labour == "skilled" && u < 0.25:
		m.MedicalInsurance = "employee"
	default:
		m.MedicalInsurance = "resident"
	}
	m.CriticalIllness = m.MedicalInsurance == "resident"
	m.PensionInsurance = ""
	if age >= 16 && !isStudent(m.SchoolStatus) {
		switch {
		case m.MedicalInsurance == "employee":
			m.PensionInsurance = "employee"
		case r.chance(0.94):
			m.PensionInsurance = "resident"
		default:
			m.PensionInsurance = "none"
		}
	}
}
