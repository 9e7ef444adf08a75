package criteria

// signals appends the raised monitoring risk signals to out.
// A signal needs its facts: without them it is simply not raised, since the
// items already report missing data as unknown.
func (e *evaluator) signals(out []Signal, income *Result) []Signal {
	p := e.p
	if income.Status == Fail {
		s := len(e.facts)
		e.add(FactPerCapitaNet).set(ValueMoney, float64(*e.cur.PerCapitaNet)).Flag = FlagFail
		out = append(out, Signal{Code: SignalIncomeBelowLine, Facts: e.since(s), Params: p.useBelow})
	}
	if c := e.cur; c != nil && c.EligibleOutOfPocket > 0 &&
		float64(c.EligibleOutOfPocket) > p.num[pHighSpendingRatio]*float64(c.Net) {
		s := len(e.facts)
		e.add(FactOutOfPocket).set(ValueMoney, float64(c.EligibleOutOfPocket)).Flag = FlagFail
		e.add(FactNet).set(ValueMoney, float64(c.Net))
		out = append(out, Signal{Code: SignalHighSpending, Facts: e.since(s), Params: p.useSpend})
	}
	if c, b := e.cur, e.prev; c != nil && b != nil && c.PerCapitaNet != nil && b.PerCapitaNet != nil {
		now, before := *c.PerCapitaNet, *b.PerCapitaNet
		if before > 0 && float64(before-now) > p.num[pIncomeDropRatio]*float64(before) {
			s := len(e.facts)
			e.add(FactPrevPerCapitaNet).set(ValueMoney, float64(before))
			e.add(FactPerCapitaNet).set(ValueMoney, float64(now)).Flag = FlagFail
			out = append(out, Signal{Code: SignalIncomeDrop, Facts: e.since(s), Params: p.useDrop})
		}
	}
	return e.memberSignals(out)
}

// memberFact adds a fact about member m.
func (e *evaluator) memberFact(name FactName, m string) *Fact {
	f := e.add(name)
	f.Member = m
	return f
}

// memberSignals raises serious_illness, disability and no_labour from the
// members present on the assessment date.
func (e *evaluator) memberSignals(out []Signal) []Signal {
	s := len(e.facts)
	for _, pm := range e.members {
		if m := e.member(pm); m.Health == "serious" {
			e.memberFact(FactHealth, m.Name).setCode(m.Health).Flag = FlagFail
		}
	}
	if len(e.facts) > s {
		out = append(out, Signal{Code: SignalSeriousIllness, Facts: e.since(s), Params: e.p.useNone})
	}

	// A recorded grade decides; health "disabled" without a grade counts,
	// since its severity is unknown.
	s = len(e.facts)
	top := int(e.p.num[pDisabilityMaxGrade])
	for _, pm := range e.members {
		m := e.member(pm)
		if g := m.DisabilityGrade; (g >= 1 && g <= top) || (g == 0 && m.Health == "disabled") {
			e.memberFact(FactDisabilityGrade, m.Name).set(ValueInt, float64(g)).Flag = FlagFail
			if m.Health != "" {
				e.memberFact(FactHealth, m.Name).setCode(m.Health)
			}
		}
	}
	if len(e.facts) > s {
		out = append(out, Signal{Code: SignalDisability, Facts: e.since(s), Params: e.p.useDisab})
	}

	// The whole household lacks labour capacity only when every present
	// member is recorded as 丧失劳动力 or 无劳动力; an unrecorded member
	// leaves it undecided.
	if len(e.members) == 0 {
		return out
	}
	for _, pm := range e.members {
		if l := e.member(pm).Labour; l != "lost" && l != "none" {
			return out
		}
	}
	s = len(e.facts)
	for _, pm := range e.members {
		m := e.member(pm)
		e.memberFact(FactLabour, m.Name).setCode(m.Labour).Flag = FlagFail
	}
	return append(out, Signal{Code: SignalNoLabour, Facts: e.since(s), Params: e.p.useNone})
}
