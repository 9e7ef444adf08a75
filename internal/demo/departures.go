package demo

// has reports whether a planned member has the relation rel.
func (g *gen) has(rel string) bool {
	for i := range g.ps {
		if g.ps[i].rel == rel {
			return true
		}
	}
	return false
}

// departed plans a former member born on birth who left on a day in the
// window on which they were at least minAge; it reports false when no such
// day exists.
func (g *gen) departed(rel string, male bool, birth, sur int, why string, minAge, maxAge int) bool {
	from := max(g.win0, addYears(birth, minAge))
	to := min(g.win1, addYears(birth, maxAge+1)-1)
	if from > to {
		return false
	}
	g.ps = append(g.ps, pspec{rel: rel, male: male, sur: sur, blood: rel != "spouse" && rel != "head",
		left: from + g.r.intn(to-from+1), leftWhy: why})
	g.ps[len(g.ps)-1].setBirth(birth)
	return true
}

// departures adds members who died, married out or moved away in the last
// three years, so that household size differs between income years.
func (g *gen) departures() {
	r := &g.r
	head := g.ps[0]
	hAge := g.age(0)
	kids := g.has("son") || g.has("daughter")
	switch {
	case hAge >= 58 && !g.has("spouse") && r.chance(0.28):
		// The late spouse. A widow became 户主 when her husband, the former
		// head, died; his record keeps the relation he had.
		off := r.between(-3*365, 8*365)
		if head.male {
			g.departed("spouse", false, head.birth+off, g.surname(), "death", 50, 100)
		} else {
			sur := g.surname()
			if kids {
				sur = g.kidsSur
			}
			g.departed("head", true, head.birth-off, sur, "death", 50, 100)
		}
	case hAge >= 35 && hAge <= 68 && !g.has("father") && !g.has("mother") && r.chance(0.06):
		male := r.chance(0.45)
		birth := addYears(head.birth, -r.between(22, 33)) - r.intn(365)
		sur := g.surname()
		rel := "mother"
		if male {
			sur, rel = g.hs, "father"
		}
		g.departed(rel, male, birth, sur, "death", 60, 100)
	}
	if hAge >= 45 && hAge <= 72 && r.chance(0.05) {
		age := min(r.between(21, 31), hAge-21)
		birth := addYears(g.today, -age-1) + 1 + r.intn(365)
		g.departed("daughter", false, birth, g.kidsSur, "marriage", 20, 40)
	}
	if hAge >= 48 && r.chance(0.015) {
		age := min(r.between(22, 40), hAge-21)
		birth := addYears(g.today, -age-1) + 1 + r.intn(365)
		g.departed("son", true, birth, g.kidsSur, "move_out", 18, 60)
	}
}
