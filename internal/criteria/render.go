package criteria

import (
	"math"
	"strconv"

	"fupin/internal/fupin"
)

// This file renders the Chinese reason texts from reason codes, facts and
// parameters. It runs only when a text is asked for, never in Evaluate.

// tb builds a text.
type tb struct{ b []byte }

func (t *tb) s(parts ...string) *tb {
	for _, p := range parts {
		t.b = append(t.b, p...)
	}
	return t
}

func (t *tb) num(f float64) *tb {
	t.b = strconv.AppendFloat(t.b, f, 'f', -1, 64)
	return t
}

// money writes fen as yuan: "3500" or "3500.50".
func (t *tb) money(fen float64) *tb {
	m := int64(fen)
	if m < 0 {
		t.b = append(t.b, '-')
		m = -m
	}
	t.b = strconv.AppendInt(t.b, m/100, 10)
	if c := m % 100; c != 0 {
		t.b = append(t.b, '.', byte('0'+c/10), byte('0'+c%10))
	}
	return t
}

// value writes a fact's value for a sentence.
func (t *tb) value(f Fact) *tb {
	switch f.Kind {
	case ValueMoney:
		return t.money(f.Num)
	case ValueInt, ValueNumber:
		return t.num(f.Num)
	case ValueBool:
		if f.Num != 0 {
			return t.s("是")
		}
		return t.s("否")
	case ValueCode:
		return t.s(f.display())
	case ValueInvalid:
		return t.s("代码无效")
	}
	return t.s("未记录")
}

func (t *tb) sep(first *bool, sep string) *tb {
	if !*first {
		t.s(sep)
	}
	*first = false
	return t
}

func (t *tb) String() string { return string(t.b) }

func findFact(facts []Fact, name FactName) (Fact, bool) {
	for _, f := range facts {
		if f.Name == name {
			return f, true
		}
	}
	return Fact{}, false
}

func paramValue(ps []ParamUse, key string) string {
	for _, p := range ps {
		if p.Key == key {
			return p.Value
		}
	}
	if d, ok := LookupDef(key); ok {
		return d.Default
	}
	return ""
}

func paramNumber(ps []ParamUse, key string) float64 {
	f, _ := strconv.ParseFloat(paramValue(ps, key), 64)
	return f
}

func renderResult(r *Result) string {
	var t tb
	switch r.Item {
	case ItemFood, ItemClothing:
		renderBasic(&t, r)
	case ItemEducation:
		renderEducation(&t, r)
	case ItemMedical:
		renderMedical(&t, r)
	case ItemHousing:
		renderHousing(&t, r)
	case ItemWater:
		t.s(r.Item.Label(), r.Status.Label(), "：")
		for i, c := range r.Checks {
			if i > 0 {
				t.s("；")
			}
			t.s(renderCheck(r, c))
		}
	case ItemStandard:
		renderStandard(&t, r)
	case ItemIncome:
		renderIncome(&t, r)
	}
	if len(t.b) == 0 {
		t.s(r.Item.Label(), r.Status.Label())
	}
	return t.String()
}

func renderBasic(t *tb, r *Result) {
	switch r.Code {
	case codeFoodYes:
		t.s("入户核实：不愁吃")
	case codeFoodNo:
		t.s("入户核实：存在吃饭困难（愁吃）")
	case codeFoodMissing:
		t.s("未记录入户核实的不愁吃情况，待核实")
	case codeClothingYes:
		t.s("入户核实：不愁穿")
	case codeClothingNo:
		t.s("入户核实：存在穿衣困难（愁穿）")
	case codeClothingMissing:
		t.s("未记录入户核实的不愁穿情况，待核实")
	}
}

func renderHousing(t *tb, r *Result) {
	g, _ := findFact(r.Facts, FactHousingGrade)
	switch {
	case r.Code == codeHousingInvalid:
		t.s("危房等级代码无效，待核实")
		return
	case g.Kind == ValueMissing:
		t.s("未记录危房鉴定等级")
	default:
		t.s("住房鉴定为", fupin.HousingGrades.LabelOf(g.Text()))
	}
	switch r.Code {
	case codeHousingSafe:
		t.s("，安全")
	case codeHousingRelocated:
		t.s("，但已易地扶贫搬迁，住房安全有保障")
	case codeHousingOtherHome:
		t.s("，但另有安全住房，住房安全有保障")
	case codeHousingCare:
		t.s("，但已集中供养，住房安全有保障")
	case codeHousingUnsafe:
		t.s("，且未易地扶贫搬迁、无其他安全住房、未集中供养")
	case codeHousingMissing:
		t.s("，待核实")
	}
}

func renderStandard(t *tb, r *Result) {
	f, _ := findFact(r.Facts, FactBasisStatus)
	st := Status(f.Text())
	if r.Code == codeStandardIncome {
		t.s("一达标按收入口径判定：")
		switch st {
		case Pass:
			t.s("人均纯收入不低于防返贫监测线，达标")
		case Fail:
			t.s("人均纯收入低于防返贫监测线，未达标")
		default:
			t.s("收入情况待核实")
		}
		return
	}
	t.s("一达标按饮水安全口径判定：饮水安全", st.Label())
}

func renderIncome(t *tb, r *Result) {
	line, poverty := paramValue(r.Params, KeyMonitoringLine), paramValue(r.Params, KeyPovertyLine)
	pc, _ := findFact(r.Facts, FactPerCapitaNet)
	switch r.Code {
	case codeIncomeMissing:
		t.s("未录入当年收入，人均纯收入待核实")
		return
	case codeIncomeNoSize:
		t.s("当年年末无在册成员，无法计算人均纯收入，待核实")
		return
	}
	t.s("人均纯收入 ").money(pc.Num).s(" 元")
	if net, ok := findFact(r.Facts, FactNet); ok {
		size, _ := findFact(r.Facts, FactSize)
		t.s("（家庭纯收入 ").money(net.Num).s(" 元 ÷ ").num(size.Num).s(" 人）")
	}
	switch r.Code {
	case codeIncomeAbove:
		t.s("，不低于防返贫监测线 ", line, " 元")
	case codeIncomeBelowLine:
		t.s("，低于防返贫监测线 ", line, " 元（不低于扶贫标准 ", poverty, " 元）")
	case codeIncomeBelowPoverty:
		t.s("，低于扶贫标准 ", poverty, " 元和防返贫监测线 ", line, " 元")
	}
	if r.Status == Fail {
		t.s("；属收入风险，不计为两不愁三保障问题")
	}
}

func renderSignal(s *Signal) string {
	var t tb
	f := s.Facts
	switch s.Code {
	case SignalIncomeBelowLine:
		pc, _ := findFact(f, FactPerCapitaNet)
		t.s("人均纯收入 ").money(pc.Num).s(" 元，低于防返贫监测线 ", paramValue(s.Params, KeyMonitoringLine), " 元")
		if pov := paramNumber(s.Params, KeyPovertyLine); pc.Num < pov*100 {
			t.s("，且低于扶贫标准 ", paramValue(s.Params, KeyPovertyLine), " 元")
		}
	case SignalHighSpending:
		oop, _ := findFact(f, FactOutOfPocket)
		net, _ := findFact(f, FactNet)
		t.s("合规自付支出 ").money(oop.Num).s(" 元，超过家庭纯收入 ").money(net.Num).
			s(" 元的 ", paramValue(s.Params, KeyHighSpendingRatio), " 倍")
	case SignalIncomeDrop:
		before, _ := findFact(f, FactPrevPerCapitaNet)
		now, _ := findFact(f, FactPerCapitaNet)
		drop := math.Round((before.Num-now.Num)/before.Num*1000) / 10
		limit := math.Round(paramNumber(s.Params, KeyIncomeDropRatio)*1000) / 10
		t.s("人均纯收入由上年 ").money(before.Num).s(" 元降至 ").money(now.Num).s(" 元，降幅")
		if drop <= limit { // rounding hid the excess
			t.s("略超过 ").num(limit).s("%")
		} else {
			t.s(" ").num(drop).s("%，超过 ").num(limit).s("%")
		}
	case SignalSeriousIllness:
		t.s("患大病成员：")
		memberList(&t, f, FactHealth, false)
	case SignalDisability:
		t.s("残疾成员：")
		memberList(&t, f, FactDisabilityGrade, true)
		t.s("（预警 1–", paramValue(s.Params, KeyDisabilityMaxGrade), " 级及未定级残疾）")
	case SignalNoLabour:
		t.s("在册成员均无劳动能力：")
		memberList(&t, f, FactLabour, true)
		t.s("；有兜底保障也应持续监测")
	}
	return t.String()
}

// memberList writes the members of the facts named name, with the value
// in brackets when withValue is set.
func memberList(t *tb, facts []Fact, name FactName, withValue bool) {
	first := true
	for _, f := range facts {
		if f.Name != name {
			continue
		}
		t.sep(&first, "、").s(f.Member)
		switch {
		case !withValue:
		case f.Name == FactDisabilityGrade && f.Num == 0:
			t.s("（等级未记录）")
		case f.Name == FactDisabilityGrade:
			t.s("（").num(f.Num).s(" 级）")
		default:
			t.s("（").value(f).s("）")
		}
	}
}
