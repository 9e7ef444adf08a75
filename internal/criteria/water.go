package criteria

// water evaluates 饮水安全 with the four sub-checks of the Chongqing 2023
// standard (重庆市 2023 农村饮水安全评价准则). The item fails when any check fails and
// is unknown when none fails but one is unknown.
func (e *evaluator) water(r *Result, checks *[4]Check) {
	w := &e.h.Water
	p := e.p
	s := len(e.facts)
	scarce := 0
	if w.ScarceArea {
		scarce = 1
	}

	// 水量: litres per person per day against the (scarce-area) minimum.
	qty := Unknown
	if w.LitresPerDay != nil {
		need := p.num[pWaterMinLPD]
		if w.ScarceArea {
			need = p.num[pWaterMinLPDScarce]
		}
		qty = passIf(*w.LitresPerDay >= need)
	}
	e.add(FactLitresPerDay).setNum(w.LitresPerDay).flag(qty)
	e.add(FactScarceArea).set(ValueBool, float64(scarce))

	// 水质: a test report or an on-site check.
	qual := Unknown
	if w.QualityOK != nil {
		qual = passIf(*w.QualityOK)
	}
	e.add(FactQualityOK).setBool(w.QualityOK).flag(qual)

	conv := e.convenience()

	// 供水保障率: days a year without adequate supply.
	rel := Unknown
	f := e.add(FactDaysWithoutSupply)
	if d := w.DaysWithoutSupply; d != nil {
		f.set(ValueInt, float64(*d))
		rel = passIf(float64(*d) <= p.num[pWaterMaxDays])
	}
	f.flag(rel)

	checks[0] = Check{Name: CheckQuantity, Status: qty}
	checks[1] = Check{Name: CheckQuality, Status: qual}
	checks[2] = Check{Name: CheckConvenience, Status: conv}
	checks[3] = Check{Name: CheckReliability, Status: rel}
	st := worst(worst(qty, qual), worst(conv, rel))
	r.Item, r.Status, r.Checks, r.Params = ItemWater, st, checks[:], p.useWater[scarce]
	switch st {
	case Pass:
		r.Code = codeWaterPass
	case Fail:
		r.Code = codeWaterFail
	default:
		r.Code = codeWaterUnknown
	}
	r.Facts = e.since(s)
}

// convenience is 用水方便程度: tap water at home, or one fetch within the
// time, the horizontal or the vertical limit. Missing measurements only
// matter when no recorded one passes.
func (e *evaluator) convenience() Status {
	w := &e.h.Water
	ti := len(e.facts)
	e.add(FactTapAtHome).setBool(w.TapAtHome)
	if w.TapAtHome != nil && *w.TapAtHome {
		return Pass
	}
	missing := w.TapAtHome == nil
	st := Fail
	for _, m := range [3]struct {
		name FactName
		v    *float64
		max  float64
	}{
		{FactFetchMinutes, w.FetchMinutes, e.p.num[pWaterFetchMinutes]},
		{FactFetchDistance, w.FetchDistanceM, e.p.num[pWaterFetchMetres]},
		{FactFetchVertical, w.FetchVerticalM, e.p.num[pWaterFetchClimb]},
	} {
		e.add(m.name).setNum(m.v)
		switch {
		case m.v == nil:
			missing = true
		case *m.v <= m.max:
			st = Pass
		}
	}
	if st == Pass {
		return Pass
	}
	if missing {
		st = Unknown
	}
	// Flag what kept the check from passing: missing facts as unknown,
	// recorded ones (no tap, fetches over the limits) as fail.
	for i := ti; i < len(e.facts); i++ {
		if e.facts[i].Kind == ValueMissing {
			e.facts[i].Flag = FlagUnknown
		} else {
			e.facts[i].Flag = FlagFail
		}
	}
	return st
}
