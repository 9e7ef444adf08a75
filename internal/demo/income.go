package demo

import (
	"math"

	"fupin/internal/fupin"
)

// Income items; the first group is scaled to reach the household's target
// income, the rest are policy amounts.
const (
	iMigrant = iota
	iLocal
	iCrop
	iLivestock
	iOrchard
	iCropExp
	iLiveExp
	iWelfare
	iDividend
	iLandRent
	iDibao
	iTekun
	iPension
	iDisab
	iFarm
	iEco
	iEdu
	iSupport
	nItems
	nVariable = iWelfare // items before this one are scaled
)

var itemMeta = [nItems]struct{ cat, name string }{
	{"wage", "外出务工收入"}, {"wage", "本地务工收入"},
	{"business", "种植业收入"}, {"business", "养殖业收入"}, {"business", "脐橙种植收入"},
	{"business_expense", "种植业生产支出"}, {"business_expense", "养殖业生产支出"},
	{"wage", "公益性岗位工资"},
	{"property", "资产收益分红"}, {"property", "土地流转收入"},
	{"transfer", "低保金"}, {"transfer", "特困供养金"}, {"transfer", "养老保险金"},
	{"transfer", "残疾人两项补贴"}, {"transfer", "耕地地力保护补贴"}, {"transfer", "生态补偿金"},
	{"transfer", "教育资助"}, {"transfer", "赡养费"},
}

// memberDraw holds a member's income parameters, fixed across years.
type memberDraw struct{ wage, local, oop float64 }

// incomes fills h.Incomes for the three complete years before Today's year.
// Per-capita net income is steered to a target by household type and
// monitoring status; income grows 5–8 % a year, and monitored households
// show the drop (or the recovery) around identification and elimination.
func (g *gen) incomes(h *fupin.Household) {
	r := &g.r
	ms := h.Members
	exPoor := h.Type == "ex_poor"
	if cap(g.md) < len(ms) {
		g.md = make([]memberDraw, len(ms))
	}
	md := g.md[:len(ms)]
	for i := range ms {
		m := &ms[i]
		d := memberDraw{wage: r.uniform(3500, 6200)}
		if m.Labour == "skilled" {
			d.wage *= 1.3
		}
		if r.chance(0.4) {
			d.local = r.uniform(2000, 12000)
		}
		switch m.Health {
		case "serious":
			d.oop = r.uniform(5000, 30000)
		case "chronic":
			d.oop = r.uniform(800, 4000)
		default:
			if r.chance(0.2) {
				d.oop = r.uniform(0, 300)
			}
		}
		md[i] = d
	}
	land := &h.Land
	cropRate, orchardRate := r.uniform(600, 1200), r.uniform(2500, 5000)
	var livestock, dividend, landRent float64
	if r.chance(0.55) {
		livestock = r.uniform(1500, 9000)
	}
	if exPoor && r.chance(0.6) {
		dividend = r.uniform(300, 1000)
	}
	if r.chance(0.12) {
		landRent = land.Cultivated * r.uniform(0.3, 0.8) * r.uniform(300, 600)
	}
	dibaoRate, tekunRate, pensionRate := r.uniform(3600, 5400), r.uniform(9000, 11000), r.uniform(1800, 2600)
	support, eduRate, welfareRate := r.uniform(2000, 6000), r.uniform(1500, 3000), 12*r.uniform(500, 800)
	claims := 0.0
	if r.chance(0.4) {
		claims = r.uniform(2000, 15000)
	}
	growth := r.uniform(0.05, 0.08)

	var raw [3][nItems]float64
	var size [3]int
	var risk [3]bool
	var oop, clm [3]float64
	var labour [3]bool
	for k := range 3 {
		end := daysFromCivil(g.year-3+k, 12, 31)
		c := &raw[k]
		for i := range ms {
			m, p := &ms[i], &g.ps[i]
			if p.joined > end || p.left != 0 && p.left <= end { // as Member.PresentOn
				continue
			}
			size[k]++
			age := g.year - 3 + k - p.by
			able := m.Labour == "skilled" || m.Labour == "ordinary"
			labour[k] = labour[k] || able
			switch {
			case m.MigrantMonths > 0:
				c[iMigrant] += float64(m.MigrantMonths) * md[i].wage
			case able && age >= 18 && age <= 64:
				c[iLocal] += md[i].local
			}
			if m.PublicWelfareJob {
				c[iWelfare] += welfareRate
			}
			if m.Dibao {
				c[iDibao] += dibaoRate
			}
			if m.Tekun {
				c[iTekun] += tekunRate
			}
			if age >= 60 && m.PensionInsurance == "resident" {
				c[iPension] += pensionRate
			}
			if m.Health == "disabled" {
				c[iDisab] += 960
				if m.DisabilityGrade <= 2 {
					c[iDisab] += 1200
				}
			}
			if exPoor && isStudent(m.SchoolStatus) && age >= 15 {
				c[iEdu] += eduRate
			}
			oop[k] += md[i].oop
			if m.Health == "serious" {
				clm[k] = claims
			}
		}
		c[iCrop] = land.Cultivated * cropRate
		c[iLivestock] = livestock
		c[iOrchard] = land.Orchard * orchardRate
		if !labour[k] { // old or sick people farm a little for themselves
			c[iCrop], c[iLivestock], c[iOrchard] = 0.3*c[iCrop], 0, 0.5*c[iOrchard]
		}
		c[iCropExp] = 0.35*c[iCrop] + 0.3*c[iOrchard]
		c[iLiveExp] = 0.55 * livestock
		c[iDividend], c[iLandRent] = dividend, landRent
		c[iFarm] = land.Cultivated * 105
		c[iEco] = land.Returned*240 + land.Forest*15
		if !labour[k] {
			c[iSupport] = support // children living elsewhere support their parents
		}
		risk[k] = g.mon.day != 0 && g.mon.day <= end && (g.mon.elim == 0 || g.mon.elim > end)
	}

	// Target per-capita net income of the last year.
	var target float64
	switch {
	case risk[2]:
		target = r.uniform(3800, 7800)
	case g.mon.day != 0 && g.mon.day <= daysFromCivil(g.year-1, 12, 31):
		target = r.uniform(7000, 11000)
	case exPoor:
		target = min(max(r.lognormal(11500, 0.18), 6500), 30000)
	default:
		target = min(max(r.lognormal(15500, 0.27), 7000), 60000)
	}
	if !labour[2] {
		target *= 0.7 // old people living on pensions, land and their children's support
	}
	var variable, fixed float64
	for i, v := range raw[2] {
		switch {
		case i == iCropExp || i == iLiveExp:
			variable -= v
		case i < nVariable:
			variable += v
		default:
			fixed += v
		}
	}
	need := target*float64(max(size[2], 1)) - fixed
	scale := 1.0
	if variable > 100 {
		scale = min(max(need/variable, 0.25), 3.5)
	}
	if rest := need - scale*variable; rest > 0 && !risk[2] {
		// Make up the rest with local work, or with support from children.
		top := iSupport
		if labour[2] {
			top, rest = iLocal, rest/scale
		}
		for k := range raw {
			raw[k][top] += rest
		}
	}
	var mult [3]float64
	for k := range 3 {
		mult[k] = 1
		switch {
		case k < 2 && risk[k] && !risk[2]:
			mult[k] = r.uniform(0.55, 0.7) // before the risk was eliminated
		case k < 2 && !risk[k] && risk[2] && g.mon.day >= daysFromCivil(g.year-3+k, 12, 31):
			mult[k] = r.uniform(1.6, 2.2) // before the shock: a sharp drop follows
		}
	}

	var amounts [3][nItems]fupin.Money
	n := 0
	defl := [3]float64{1 / ((1 + growth) * (1 + growth)), 1 / (1 + growth), 1}
	for k := range 3 {
		for i, v := range raw[k] {
			if v == 0 {
				continue
			}
			v *= defl[k]
			if i < nVariable {
				v *= scale * mult[k]
			}
			if amounts[k][i] = fupin.Money(math.Round(v)) * 100; amounts[k][i] > 0 {
				n++
			}
		}
	}
	items := make([]fupin.IncomeItem, 0, n)
	h.Incomes = make([]fupin.IncomeYear, 3)
	for k := range 3 {
		y := &h.Incomes[k]
		y.Year = g.year - 3 + k
		start := len(items)
		for i, amt := range amounts[k] {
			if amt <= 0 {
				continue
			}
			meta := &itemMeta[i]
			items = append(items, fupin.IncomeItem{Category: meta.cat, Name: meta.name, Amount: amt})
			switch meta.cat {
			case "wage":
				y.Wage += amt
			case "business":
				y.Business += amt
			case "business_expense":
				y.BusinessExpense += amt
			case "property":
				y.Property += amt
			case "transfer":
				y.Transfer += amt
			}
		}
		y.Items = items[start:len(items):len(items)]
		y.Claims = fupin.Money(math.Round(clm[k]*r.uniform(0.6, 1.4))) * 100
		y.EligibleOutOfPocket = fupin.Money(math.Round(oop[k]*r.uniform(0.7, 1.3))) * 100
		y.Compute(ms)
	}
}
