package criteria

import (
	"strings"
	"testing"

	"fupin/internal/fupin"
)

// check compares a result's status, code and that its reason mentions want.
func check(t *testing.T, r Result, status Status, code string, reasonHas ...string) {
	t.Helper()
	if r.Status != status || r.Code != code {
		t.Errorf("%s = %s (%s), want %s (%s); reason %s", r.Item, r.Status, r.Code, status, code, r.Text())
	}
	for _, s := range reasonHas {
		if !strings.Contains(r.Text(), s) {
			t.Errorf("%s reason %q does not mention %q", r.Item, r.Text(), s)
		}
	}
}

func TestGoodHouseholdPasses(t *testing.T) {
	v := Evaluate(goodHousehold(), 2024, fupin.Date{}, nil)
	for _, r := range v.Items {
		if r.Status != Pass {
			t.Errorf("%s = %s: %s", r.Item, r.Status, r.Text())
		}
	}
	if !v.Pass || v.Problems != 0 || v.Unknowns != 0 || v.IncomeRisk || len(v.Signals) != 0 {
		t.Errorf("verdict = %+v, want a clean pass", v)
	}
	if got, want := v.AssessedOn, date(2024, 12, 31); got != want {
		t.Errorf("AssessedOn = %v, want %v", got, want)
	}
	if v.PolicyVersion != Defaults().Version() || v.RulesVersion != RulesVersion {
		t.Errorf("versions = %s/%s", v.PolicyVersion, v.RulesVersion)
	}
	for i, r := range v.Items {
		if r.Item != Items[i] {
			t.Errorf("Items[%d] = %s, want %s", i, r.Item, Items[i])
		}
	}
}

func TestBasics(t *testing.T) {
	tests := []struct {
		name       string
		food, wear *bool
		wantFood   Status
		wantWear   Status
		codes      [2]string
	}{
		{"both yes", ptr(true), ptr(true), Pass, Pass, [2]string{codeFoodYes, codeClothingYes}},
		{"both no", ptr(false), ptr(false), Fail, Fail, [2]string{codeFoodNo, codeClothingNo}},
		{"not recorded", nil, nil, Unknown, Unknown, [2]string{codeFoodMissing, codeClothingMissing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			h.Basics.FoodSecure, h.Basics.ClothingSecure = tt.food, tt.wear
			check(t, result(t, h, nil, ItemFood), tt.wantFood, tt.codes[0])
			check(t, result(t, h, nil, ItemClothing), tt.wantWear, tt.codes[1])
		})
	}
}

func TestEducationAges(t *testing.T) {
	tests := []struct {
		name  string
		birth fupin.Date
		on    fupin.Date
		want  Status
	}{
		{"5, turns 6 the next day", date(2019, 1, 1), fupin.Date{}, Pass},
		{"6 on the day", date(2018, 12, 31), fupin.Date{}, Fail},
		{"15", date(2009, 6, 15), fupin.Date{}, Fail},
		{"15, turns 16 the next day", date(2009, 1, 1), date(2024, 12, 31), Fail},
		{"16 on the day", date(2008, 12, 31), fupin.Date{}, Pass},
		{"6 on a given date", date(2018, 9, 1), date(2024, 9, 1), Fail},
		{"5 on a given date", date(2018, 9, 2), date(2024, 9, 1), Pass},
		{"born 29 Feb, 6 on 1 Mar", date(2016, 2, 29), date(2022, 3, 1), Fail},
		{"born 29 Feb, 5 on 28 Feb", date(2017, 3, 1), date(2023, 2, 28), Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			kid := member("王小兵", tt.birth)
			kid.SchoolStatus = "dropout"
			h.Members = append(h.Members, kid)
			year := 2024
			if !tt.on.IsZero() {
				year = tt.on.Year()
			}
			v := Evaluate(h, year, tt.on, nil)
			r, _ := v.Result(ItemEducation)
			if r.Status != tt.want {
				t.Errorf("education = %s, want %s: %s", r.Status, tt.want, r.Text())
			}
			if tt.want == Fail && !strings.Contains(r.Text(), "王小兵") {
				t.Errorf("reason %q does not name the child", r.Text())
			}
			if got, want := ageOnOf(v, "王小兵"), kid.AgeOn(v.AssessedOn); tt.want == Fail && got != want {
				t.Errorf("age fact %d, Member.AgeOn %d", got, want)
			}
		})
	}
}

// ageOnOf returns the age fact of a member in the education result.
func ageOnOf(v Verdict, name string) int {
	r, _ := v.Result(ItemEducation)
	for _, f := range r.Facts {
		if f.Name == FactAge && f.Member == name {
			return int(f.Num)
		}
	}
	return -2
}

func TestEducationStatuses(t *testing.T) {
	tests := []struct {
		name           string
		status, exempt string
		birth          fupin.Date
		joined, left   fupin.Date
		want           Status
		code           string
		reasonHas      []string
	}{
		{"in school", "primary", "", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Pass, codeEduInSchool, []string{"均有义务教育保障"}},
		{"home schooled", "home_schooled", "severe_disability", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Pass, codeEduInSchool, []string{"送教上门"}},
		{"dropout", "dropout", "", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Fail, codeEduDropout, []string{"王小兵（10 周岁，失学辍学", "无因病或重度残疾豁免"}},
		{"dropout, ill", "dropout", "illness", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Pass, codeEduExempt, []string{"因病", "豁免"}},
		{"dropout, severe disability", "dropout", "severe_disability", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Pass, codeEduExempt, []string{"重度残疾"}},
		{"dropout, other reason", "dropout", "other", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Fail, codeEduDropout, []string{"其他"}},
		{"status missing", "", "", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Unknown, codeEduUnknown, []string{"王小兵（10 周岁，在校生状况未填写）"}},
		{"not a student", "none", "", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Unknown, codeEduUnknown, []string{"需核实"}},
		{"invalid status", "truant", "", date(2014, 5, 1), fupin.Date{}, fupin.Date{}, Unknown, codeEduUnknown, []string{"代码无效"}},
		{"birth date unknown, dropout", "dropout", "", fupin.Date{}, fupin.Date{}, fupin.Date{}, Unknown, codeEduUnknown, []string{"出生日期未知"}},
		{"birth date unknown, in school", "junior", "", fupin.Date{}, fupin.Date{}, fupin.Date{}, Pass, codeEduInSchool, nil},
		{"left before the date", "dropout", "", date(2014, 5, 1), fupin.Date{}, date(2024, 6, 1), Pass, codeEduInSchool, nil},
		{"left after the date", "dropout", "", date(2014, 5, 1), fupin.Date{}, date(2025, 1, 2), Fail, codeEduDropout, nil},
		{"joined after the date", "dropout", "", date(2014, 5, 1), date(2025, 1, 2), fupin.Date{}, Pass, codeEduInSchool, nil},
		{"born after the date", "", "", date(2025, 2, 1), fupin.Date{}, fupin.Date{}, Pass, codeEduInSchool, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			kid := member("王小兵", tt.birth)
			kid.SchoolStatus, kid.DropoutExemption, kid.JoinedOn, kid.LeftOn = tt.status, tt.exempt, tt.joined, tt.left
			h.Members = append(h.Members, kid)
			check(t, result(t, h, nil, ItemEducation), tt.want, tt.code, tt.reasonHas...)
		})
	}
}

func TestEducationNoChildren(t *testing.T) {
	h := goodHousehold()
	h.Members = h.Members[:2]
	check(t, result(t, h, nil, ItemEducation), Pass, codeEduNoneOfAge, "无 6–15 周岁")
	p := params(t, row("", 2021, KeyEduAgeMin, "7"), row("", 2021, KeyEduAgeMax, "17"))
	h = goodHousehold()
	h.Members[3].SchoolStatus = "dropout" // 16: outside 6–15, inside 7–17
	check(t, result(t, h, nil, ItemEducation), Pass, codeEduInSchool)
	check(t, result(t, h, p, ItemEducation), Fail, codeEduDropout, "7–17 周岁")
	h.Members = nil
	check(t, result(t, h, nil, ItemEducation), Unknown, codeEduNoMembers)
}

func TestMedical(t *testing.T) {
	tests := []struct {
		name      string
		ins       [2]string
		left      fupin.Date
		want      Status
		code      string
		reasonHas []string
	}{
		{"all insured", [2]string{"resident", "employee"}, fupin.Date{}, Pass, codeMedInsured, []string{"王大山", "李桂英"}},
		{"one without", [2]string{"resident", "none"}, fupin.Date{}, Fail, codeMedUninsured, []string{"未参加基本医疗保险：李桂英"}},
		{"one not recorded", [2]string{"", "resident"}, fupin.Date{}, Unknown, codeMedMissing, []string{"参保情况待核实：王大山（未记录）"}},
		{"without and not recorded", [2]string{"", "none"}, fupin.Date{}, Fail, codeMedUninsured, []string{"李桂英", "待核实：王大山"}},
		{"invalid code", [2]string{"commercial", "resident"}, fupin.Date{}, Unknown, codeMedMissing, []string{"代码无效"}},
		{"uninsured member left", [2]string{"resident", "none"}, date(2024, 3, 1), Pass, codeMedInsured, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			h.Members = h.Members[:2]
			h.Members[0].MedicalInsurance, h.Members[1].MedicalInsurance = tt.ins[0], tt.ins[1]
			h.Members[1].LeftOn = tt.left
			check(t, result(t, h, nil, ItemMedical), tt.want, tt.code, tt.reasonHas...)
		})
	}
	h := goodHousehold()
	h.Members = nil
	check(t, result(t, h, nil, ItemMedical), Unknown, codeMedNoMembers)
}

func TestHousing(t *testing.T) {
	tests := []struct {
		name                     string
		grade                    string
		relocated, other, public bool
		want                     Status
		code                     string
		reasonHas                string
	}{
		{"A", "A", false, false, false, Pass, codeHousingSafe, "A级"},
		{"B", "B", false, false, false, Pass, codeHousingSafe, "B级"},
		{"C", "C", false, false, false, Fail, codeHousingUnsafe, "C级（局部危房）"},
		{"D", "D", false, false, false, Fail, codeHousingUnsafe, "D级（整幢危房）"},
		{"C relocated", "C", true, false, false, Pass, codeHousingRelocated, "易地扶贫搬迁"},
		{"D other safe home", "D", false, true, false, Pass, codeHousingOtherHome, "另有安全住房"},
		{"C institutional care", "C", false, false, true, Pass, codeHousingCare, "集中供养"},
		{"not graded", "", false, false, false, Unknown, codeHousingMissing, "未记录危房鉴定等级"},
		{"not graded, relocated", "", true, false, false, Pass, codeHousingRelocated, "未记录危房鉴定等级，但已易地扶贫搬迁"},
		{"invalid grade", "E", false, false, false, Unknown, codeHousingInvalid, "代码无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			h.Housing = fupin.Housing{Grade: tt.grade, Relocated: tt.relocated, OtherSafeHome: tt.other,
				InstitutionalCare: tt.public}
			check(t, result(t, h, nil, ItemHousing), tt.want, tt.code, tt.reasonHas)
		})
	}
}

func TestNilHousehold(t *testing.T) {
	v := Evaluate(nil, 2024, fupin.Date{}, nil)
	for _, r := range v.Items {
		want := Unknown
		if r.Status != want {
			t.Errorf("%s = %s, want %s", r.Item, r.Status, want)
		}
	}
	if v.Pass || v.Unknowns != 7 || v.Problems != 0 {
		t.Errorf("verdict pass=%v unknowns=%d problems=%d", v.Pass, v.Unknowns, v.Problems)
	}
}
