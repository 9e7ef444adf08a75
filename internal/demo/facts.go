package demo

import "fupin/internal/fupin"

// facts holds the values behind a household's optional (pointer) fields,
// so that they cost one allocation per household.
type facts struct {
	area, litres, fetchMin, fetchDist, fetchVert, road float64
	quality, tap, food, clothing                       bool
	days                                               int
}

var (
	gradeABCD = weights(700, 270, 20, 10)
	grades    = []string{"A", "B", "C", "D"}
	roadTable = weights(85, 10, 4, 1)
	roads     = []string{"hardened", "gravel", "dirt", "none"}
)

// active counts the planned members who have not left.
func (g *gen) active() int {
	n := 0
	for i := range g.ps {
		if g.ps[i].left == 0 {
			n++
		}
	}
	return n
}

// facts fills housing, water, living conditions, land and the cadre's
// 不愁吃穿 check.
func (g *gen) facts(h *fupin.Household, f *facts) {
	r := &g.r
	size := g.active()
	exPoor := h.Type == "ex_poor"

	// Housing: most ex-poor households in C or D houses were relocated
	// (易地扶贫搬迁) or have another safe home; a few real problems remain.
	hs := &h.Housing
	hs.Grade = grades[r.pick(gradeABCD)]
	bad := hs.Grade == "C" || hs.Grade == "D"
	switch {
	case exPoor && bad:
		if u := r.float(); u < 0.55 {
			hs.Relocated = true
		} else if u < 0.90 {
			hs.OtherSafeHome = true
		}
	case exPoor && r.chance(0.10):
		hs.Relocated, hs.Grade = true, "A"
	case bad:
		if u := r.float(); u < 0.05 {
			hs.Relocated = true
		} else if u < 0.85 {
			hs.OtherSafeHome = true
		}
	}
	if h.PovertyAttr == "tekun" && r.chance(0.2) {
		hs.InstitutionalCare = true // 集中供养 in the township home for the aged
	}
	if hs.Relocated {
		f.area = float64(min(max(25*size, 40), 125))
	} else {
		f.area = round1(min(max(60+25*float64(size)+r.uniform(-20, 40), 40), 200))
	}
	hs.AreaM2 = &f.area

	// Water.
	w := &h.Water
	w.Supply = "centralized"
	f.tap = r.chance(0.97)
	if r.chance(0.12) {
		w.Supply = "dispersed"
		f.tap = r.chance(0.3)
		if !f.tap {
			f.fetchMin = float64(r.between(2, 25))
			f.fetchDist = float64(10 * r.between(3, 90))
			f.fetchVert = float64(r.between(2, 90))
			w.FetchMinutes, w.FetchDistanceM, w.FetchVerticalM = &f.fetchMin, &f.fetchDist, &f.fetchVert
		}
	}
	w.TapAtHome = &f.tap
	f.litres = float64(r.between(40, 150))
	if r.chance(0.015) {
		f.litres = float64(r.between(20, 34))
	}
	w.LitresPerDay = &f.litres
	switch u := r.float(); {
	case u < 0.95:
		f.quality = true
		w.QualityOK = &f.quality
	case u < 0.97:
		w.QualityOK = &f.quality // false
	} // else unknown
	f.days = min(r.intn(11), r.intn(11))
	if r.chance(0.012) {
		f.days = r.between(37, 70)
	}
	w.DaysWithoutSupply = &f.days
	w.ScarceArea = r.chance(0.05)

	// Electricity, radio and TV, broadband, road.
	l := &h.Living
	l.Electricity = true
	l.RadioTV = r.chance(0.95)
	l.Broadband = r.chance(0.7)
	l.RoadType = roads[r.pick(roadTable)]
	f.road = round1(r.uniform(0, 1.5))
	if l.RoadType != "hardened" {
		f.road = round1(r.uniform(0.2, 3))
	}
	l.RoadDistanceKm = &f.road

	// Land in 亩; 林果 is mostly 奉节脐橙.
	land := &h.Land
	land.Cultivated = round1(r.uniform(0.5, 8))
	if r.chance(0.6) {
		land.Forest = round1(r.uniform(0, 20))
	}
	if r.chance(0.4) {
		land.Returned = round1(r.uniform(0, 5))
	}
	if r.chance(0.3) {
		land.Orchard = round1(r.uniform(0.2, 3))
	}

	// 不愁吃 / 不愁穿 as recorded on the last visit.
	b := &h.Basics
	f.food, f.clothing = !r.chance(0.002), !r.chance(0.002)
	b.FoodSecure, b.ClothingSecure = &f.food, &f.clothing
	switch {
	case !f.food:
		b.Note = "家中存粮不足，已申请临时救助"
	case !f.clothing:
		b.Note = "冬季衣被不足，已联系帮扶单位"
	}
	b.CheckedOn = dateOf(g.today - r.intn(365))
}
