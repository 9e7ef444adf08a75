package demo

import "fupin/internal/fupin"

// monitorInfo is what the income model needs to know about monitoring.
type monitorInfo struct {
	day  int // day of identification as a monitoring object, 0 = not monitored
	elim int // day the risk was eliminated, 0 = still at risk
}

var (
	suddenTable = weights(55, 20, 25)
	suddenRisks = []string{"illness", "accident", "disaster"}
	riskCount   = weights(40, 40, 20) // 1, 2 or 3 risks
)

// situation summarises the active members for choosing risks.
type situation struct {
	serious, chronic, disabled, student, labour, migrant bool
}

func situationOf(ms []fupin.Member) situation {
	var s situation
	for i := range ms {
		m := &ms[i]
		if !m.Active() {
			continue
		}
		s.serious = s.serious || m.Health == "serious"
		s.chronic = s.chronic || m.Health == "chronic"
		s.disabled = s.disabled || m.Health == "disabled"
		switch m.SchoolStatus {
		case "senior", "secondary_vocational", "higher_vocational", "undergraduate":
			s.student = true
		}
		s.labour = s.labour || m.Labour == "skilled" || m.Labour == "ordinary"
		s.migrant = s.migrant || m.MigrantMonths > 0
	}
	return s
}

// monitor makes about 3 % of households monitoring objects (防返贫监测),
// with risks that agree with the household's facts, and eliminates the risk
// of about half of them.
func (g *gen) monitor(h *fupin.Household) {
	r := &g.r
	switch u := r.float(); {
	case h.Type == "ex_poor" && u < 0.10:
		h.MonitorType = "unstable"
	case h.Type == "ordinary" && u < 0.014:
		h.MonitorType = "marginal"
	case r.chance(0.009):
		h.MonitorType = "sudden"
	default:
		return
	}
	start := daysFromCivil(2021, 3, 1)
	day := start + r.intn(g.today-20-start)
	h.MonitorIdentifiedOn = dateOf(day)
	g.mon.day = day

	s := situationOf(h.Members)
	var primary string
	if h.MonitorType == "sudden" {
		primary = suddenRisks[r.pick(suddenTable)]
	} else {
		hs, w := &h.Housing, &h.Water
		houseBad := (hs.Grade == "C" || hs.Grade == "D") && !hs.Relocated && !hs.OtherSafeHome && !hs.InstitutionalCare
		waterBad := *w.LitresPerDay < 35 || *w.DaysWithoutSupply > 36 || w.QualityOK != nil && !*w.QualityOK
		cands := [...]struct {
			code string
			w    int
		}{
			{"illness", cond(s.serious || s.chronic, 40)}, {"disability", cond(s.disabled, 30)},
			{"lack_labour", cond(!s.labour, 30)}, {"education", cond(s.student, 20)},
			{"unstable_job", cond(s.migrant, 15)}, {"housing", cond(houseBad, 30)},
			{"water", cond(waterBad, 20)}, {"illness", cond(!s.serious && !s.chronic, 12)},
			{"lack_skill", 8}, {"lack_funds", 8}, {"motivation", 3}, {"industry", 2},
		}
		total := 0
		for _, c := range cands {
			total += c.w
		}
		x := r.intn(total)
		for _, c := range cands {
			if x < c.w {
				primary = c.code
				break
			}
			x -= c.w
		}
	}
	switch {
	case primary == "illness" && !s.serious && !s.chronic,
		primary == "accident" && !s.disabled && !s.serious:
		health := "serious"
		if primary == "accident" && r.chance(0.6) {
			health = "disabled"
		}
		if !g.fallIll(h, health) {
			primary = "lack_funds"
		}
		s = situationOf(h.Members)
	}
	risks := append(make([]string, 0, 3), primary)
	extra := [...]struct {
		code string
		ok   bool
	}{
		{"spending", s.serious}, {"lack_labour", !s.labour}, {"education", s.student},
		{"illness", s.serious || s.chronic}, {"disability", s.disabled},
		{"unstable_job", s.migrant}, {"lack_skill", true}, {"lack_funds", true},
	}
	n := 1 + r.pick(riskCount)
	for try := 0; len(risks) < n && try < 12; try++ {
		c := extra[r.intn(len(extra))]
		if c.ok && !contains(risks, c.code) {
			risks = append(risks, c.code)
		}
	}
	h.Risks = risks

	// Households without labour stay monitored even with a safety net.
	if s.labour && r.chance(0.8) {
		if e := day + r.between(150, 600); e < g.today {
			h.RiskEliminatedOn = dateOf(e)
			h.EliminationMode = "assisted"
			if r.chance(0.25) {
				h.EliminationMode = "natural"
			}
			g.mon.elim = e
		}
	}
}

func cond(ok bool, w int) int {
	if ok {
		return w
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// fallIll gives an adult member the given health status (a sudden illness
// or an accident) and updates their labour; false when no one qualifies.
func (g *gen) fallIll(h *fupin.Household, health string) bool {
	ms := h.Members
	var cand [16]int
	n := 0
	for i := range ms {
		if ms[i].Active() && ms[i].Health != "disabled" && ms[i].Health != "serious" && n < len(cand) {
			if g.age(i) >= 25 {
				cand[n] = i
				n++
			}
		}
	}
	if n == 0 {
		return false
	}
	i := cand[g.r.intn(n)]
	m := &ms[i]
	m.Health, m.DisabilityGrade = health, 0
	if health == "disabled" {
		m.DisabilityGrade = g.r.between(2, 4)
	}
	g.labour(m, g.age(i))
	return true
}
