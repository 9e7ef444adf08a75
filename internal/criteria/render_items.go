package criteria

// memberGroup is one member's facts in the education item: an age fact
// followed by a school-status fact and maybe an exemption fact.
type memberGroup struct {
	name                   string
	age, school, exemption Fact
	flag                   Flag
}

func educationGroups(facts []Fact) []memberGroup {
	var out []memberGroup
	for _, f := range facts {
		if f.Name == FactAge {
			out = append(out, memberGroup{name: f.Member, age: f})
		}
		if len(out) == 0 {
			continue
		}
		g := &out[len(out)-1]
		switch f.Name {
		case FactSchoolStatus:
			g.school = f
		case FactDropoutExemption:
			g.exemption = f
		}
		if f.Flag > g.flag {
			g.flag = f.Flag
		}
	}
	return out
}

func (g memberGroup) describe(t *tb) {
	t.s(g.name, "（")
	if g.age.Kind == ValueMissing {
		t.s("出生日期未知")
	} else {
		t.num(g.age.Num).s(" 周岁")
	}
	t.s("，")
	switch {
	case g.school.Kind == ValueMissing:
		t.s("在校生状况未填写")
	case g.school.Text() == "none":
		t.s("登记为非在校生，需核实是否失学辍学")
	default:
		t.value(g.school)
	}
	if g.exemption.Kind != ValueMissing {
		t.s("，失辍学原因：").value(g.exemption)
		if exempt(g.exemption.Text()) && g.school.Text() == "dropout" {
			t.s("，豁免")
		}
	} else if g.school.Text() == "dropout" && g.flag == FlagFail {
		t.s("，无因病或重度残疾豁免")
	}
	t.s("）")
}

func renderEducation(t *tb, r *Result) {
	ages := paramValue(r.Params, KeyEduAgeMin) + "–" + paramValue(r.Params, KeyEduAgeMax) + " 周岁"
	switch r.Code {
	case codeEduNoMembers:
		t.s("评估日无在册家庭成员，无法判断义务教育保障情况")
		return
	case codeEduNoneOfAge:
		t.s("评估日无 ", ages, " 家庭成员")
		return
	}
	groups := educationGroups(r.Facts)
	list := func(prefix string, want Flag) {
		first := true
		for _, g := range groups {
			if g.flag != want {
				continue
			}
			if first {
				if len(t.b) > 0 {
					t.s("；")
				}
				t.s(prefix)
			}
			t.sep(&first, "、")
			g.describe(t)
		}
	}
	list("存在 "+ages+"失学辍学成员：", FlagFail)
	list("待核实：", FlagUnknown)
	if r.Status == Pass {
		list(ages+"成员均有义务教育保障：", FlagNone)
	} else {
		list("其余适龄成员：", FlagNone)
	}
}

func renderMedical(t *tb, r *Result) {
	if r.Code == codeMedNoMembers {
		t.s("评估日无在册家庭成员，无法判断基本医疗保障情况")
		return
	}
	if r.Code == codeMedInsured {
		t.s("在册成员均参加城乡居民或职工基本医疗保险：")
	}
	list := func(prefix string, want Flag) {
		first := true
		for _, f := range r.Facts {
			if f.Name != FactMedicalInsurance || f.Flag != want {
				continue
			}
			if first && prefix != "" {
				if len(t.b) > 0 {
					t.s("；")
				}
				t.s(prefix)
			}
			t.sep(&first, "、").s(f.Member)
			if want != FlagFail {
				t.s("（").value(f).s("）")
			}
		}
	}
	if r.Code == codeMedInsured {
		list("", FlagNone)
		return
	}
	list("未参加基本医疗保险：", FlagFail)
	list("参保情况待核实：", FlagUnknown)
}

// renderCheck renders one water sub-check.
func renderCheck(r *Result, c Check) string {
	if c.Reason != "" {
		return c.Reason
	}
	var t tb
	f := r.Facts
	switch c.Name {
	case CheckQuantity:
		l, _ := findFact(f, FactLitresPerDay)
		scarce, _ := findFact(f, FactScarceArea)
		if l.Kind == ValueMissing {
			t.s("水量未记录")
		} else {
			t.s("水量 ").num(l.Num).s(" 升/人·天")
		}
		if scarce.Num != 0 {
			t.s("（缺水地区标准 ≥ ", paramValue(r.Params, KeyWaterMinLPDScarce), " 升）")
		} else {
			t.s("（标准 ≥ ", paramValue(r.Params, KeyWaterMinLPD), " 升）")
		}
	case CheckQuality:
		q, _ := findFact(f, FactQualityOK)
		switch {
		case q.Kind == ValueMissing:
			t.s("水质未记录检测或检查结果")
		case q.Num != 0:
			t.s("水质有检测报告或现场检查合格")
		default:
			t.s("水质检测或检查不合格")
		}
	case CheckConvenience:
		renderConvenience(&t, r)
	case CheckReliability:
		d, _ := findFact(f, FactDaysWithoutSupply)
		t.s("全年缺水天数")
		if d.Kind == ValueMissing {
			t.s("未记录")
		} else {
			t.s(" ").num(d.Num).s(" 天")
		}
		t.s("（标准 ≤ ", paramValue(r.Params, KeyWaterMaxDaysWithout), " 天）")
	}
	t.s("，", c.Status.Label())
	return t.String()
}

func renderConvenience(t *tb, r *Result) {
	if tap, _ := findFact(r.Facts, FactTapAtHome); tap.Kind == ValueBool && tap.Num != 0 {
		t.s("用水方便：自来水入户")
		return
	}
	t.s("用水方便程度：")
	first := true
	for _, f := range r.Facts {
		var label, unit string
		switch f.Name {
		case FactTapAtHome:
			t.sep(&first, "，")
			if f.Kind == ValueMissing {
				t.s("是否自来水入户未记录")
			} else {
				t.s("无自来水入户")
			}
			continue
		case FactFetchMinutes:
			label, unit = "单次取水往返", " 分钟"
		case FactFetchDistance:
			label, unit = "水平距离", " 米"
		case FactFetchVertical:
			label, unit = "垂直距离", " 米"
		default:
			continue
		}
		t.sep(&first, "，").s(label)
		if f.Kind == ValueMissing {
			t.s("未记录")
		} else {
			t.s(" ").num(f.Num).s(unit)
		}
	}
	t.s("（标准：自来水入户，或往返 ≤ ", paramValue(r.Params, KeyWaterFetchMaxMinutes),
		" 分钟，或水平距离 ≤ ", paramValue(r.Params, KeyWaterFetchMaxMetres),
		" 米，或垂直距离 ≤ ", paramValue(r.Params, KeyWaterFetchMaxClimb), " 米）")
}

// SummaryText returns a one-line Chinese summary that keeps 两不愁三保障 and
// water problems apart from income risk and monitoring signals.
func (v *Verdict) SummaryText() string {
	if v.Summary != "" {
		return v.Summary
	}
	var t tb
	if v.Pass {
		t.s("两不愁三保障及饮水安全全部达标")
	} else {
		t.s("两不愁三保障及饮水安全：")
		first := true
		for _, st := range [2]Status{Fail, Unknown} {
			n, names := 0, tb{}
			for _, r := range v.Items {
				if r.Item.Core() && r.Status == st {
					if n > 0 {
						names.s("、")
					}
					names.s(r.Item.Label())
					n++
				}
			}
			if n > 0 {
				t.sep(&first, "，").num(float64(n)).s(" 项", st.Label(), "（", names.String(), "）")
			}
		}
	}
	if r, ok := v.Result(ItemIncome); ok {
		switch r.Status {
		case Fail:
			t.s("；收入风险：人均纯收入低于防返贫监测线")
		case Unknown:
			t.s("；收入待核实")
		}
	}
	if len(v.Signals) > 0 {
		t.s("；风险信号：")
		for i, s := range v.Signals {
			if i > 0 {
				t.s("、")
			}
			t.s(s.Code.Label())
		}
	}
	return t.String()
}
