package layout

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fupin/internal/demo"
	"fupin/internal/fupin"
)

func demoHouseholds(t testing.TB, n int) []*fupin.Household {
	t.Helper()
	var hs []*fupin.Household
	err := demo.Generate(demo.Options{Households: n, Today: testToday}, func(h *fupin.Household) error {
		hs = append(hs, h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func TestRoundTripDemo(t *testing.T) {
	hs := demoHouseholds(t, 300)
	got := decodeAll(t, Options{Today: testToday, Area: demo.TownshipCode}, sheetOf("Sheet1", hs...))
	if len(got) != len(hs) {
		t.Fatalf("decoded %d households, want %d", len(got), len(hs))
	}
	for i, d := range got {
		if len(d.Errors) > 0 {
			t.Errorf("household %s: %+v", hs[i].HouseholdNo, d.Errors)
			continue
		}
		if diff := cmp.Diff(carried(hs[i]), d.Household, roundTripOpts); diff != "" {
			t.Errorf("household %s (-want +got):\n%s", hs[i].HouseholdNo, diff)
		}
	}
}

// fullHousehold sets every field the layout carries.
func fullHousehold(t *testing.T) *fupin.Household {
	t.Helper()
	f := func(v float64) *float64 { return &v }
	h := &fupin.Household{
		HouseholdNo: "5002362662000042", VillageCode: "500236266200", NaturalVillage: "大坪",
		Address: "重庆市奉节县平安乡天台村大坪 12 号", Phone: "023-56781234", Type: "ex_poor",
		PovertyAttr: "dibao", MonitorType: "unstable", Risks: []string{"illness", "education", "spending"},
		IdentifiedOn: fupin.NewDate(2014, 9, 1), ExitedOn: fupin.NewDate(2018, 12, 1),
		MonitorIdentifiedOn: fupin.NewDate(2021, 6, 15), RiskEliminatedOn: fupin.NewDate(2023, 3, 1),
		EliminationMode: "assisted",
		Land:            fupin.Land{Cultivated: 3.5, Forest: 10, Returned: 1.25, Orchard: 0.8, Pasture: 2, WaterArea: 0.3},
		Housing:         fupin.Housing{AreaM2: f(96.5), Grade: "D", Relocated: true, OtherSafeHome: true, InstitutionalCare: true},
		Water: fupin.Water{Supply: "dispersed", LitresPerDay: f(42.5), ScarceArea: true, QualityOK: ptr(false),
			TapAtHome: ptr(false), FetchMinutes: f(12), FetchDistanceM: f(350), FetchVerticalM: f(40.5),
			DaysWithoutSupply: ptr(45)},
		Living: fupin.Living{Electricity: true, RadioTV: true, Broadband: true, RoadType: "gravel", RoadDistanceKm: f(1.2)},
		Basics: fupin.Basics{FoodSecure: ptr(true), ClothingSecure: ptr(false), Note: "冬季衣被不足，已联系帮扶单位",
			CheckedOn: fupin.NewDate(2024, 5, 20)},
		Members: []fupin.Member{
			{PersonNo: "500236266200004201", Name: "张大山", IDNumber: mkID("19700301", "011"), Relation: "head",
				Ethnicity: "土家族", Education: "primary", SchoolStatus: "none", Health: "chronic", Labour: "weak",
				MigrantMonths: 3, MigrantPlace: "in_county", MedicalInsurance: "resident", CriticalIllness: true,
				PensionInsurance: "resident", Dibao: true, PublicWelfareJob: true, Relocated: true,
				Phone: "13912345678", JoinReason: "registered"},
			{PersonNo: "500236266200004202", Name: "张老汉", IDNumber: mkID("19400505", "031"), Relation: "father",
				Ethnicity: "土家族", Education: "illiterate", SchoolStatus: "none", Health: "serious", Labour: "lost",
				MedicalInsurance: "resident", PensionInsurance: "resident", Tekun: true, JoinReason: "registered",
				LeftOn: fupin.NewDate(2022, 11, 3), LeaveReason: "death", LeaveNote: "病故"},
			{PersonNo: "500236266200004203", Name: "李小花", IDNumber: mkID("19720615", "022"), Relation: "spouse",
				Ethnicity: "汉族", Education: "junior", SchoolStatus: "none", Health: "disabled", DisabilityGrade: 3,
				Labour: "ordinary", MigrantMonths: 10, MigrantPlace: "out_province", MedicalInsurance: "employee",
				PensionInsurance: "employee", JoinedOn: fupin.NewDate(1995, 2, 1), JoinReason: "marriage"},
			{PersonNo: "500236266200004204", Name: "张小妹", IDNumber: mkID("20110720", "042"), Relation: "daughter",
				Ethnicity: "土家族", Education: "primary", SchoolStatus: "home_schooled", DropoutExemption: "severe_disability",
				Health: "disabled", DisabilityGrade: 1, Labour: "none", MedicalInsurance: "resident", CriticalIllness: true,
				JoinedOn: fupin.NewDate(2011, 7, 20), JoinReason: "birth"},
			{PersonNo: "500236266200004205", Name: "张小弟", IDNumber: mkID("20230101", "053"), Relation: "grandson",
				Ethnicity: "汉族", Education: "preschool", SchoolStatus: "none", Health: "healthy", Labour: "none",
				MedicalInsurance: "none", JoinedOn: fupin.NewDate(2023, 1, 1), JoinReason: "birth"},
		},
		Incomes: []fupin.IncomeYear{
			{Year: 2022, Wage: 1000000, Transfer: 50000},
			{Year: 2023, Wage: 2345678, Business: 300050, Property: 1234, Transfer: 600000,
				BusinessExpense: 120000, Claims: 500000, EligibleOutOfPocket: 800000},
		},
	}
	return normalised(t, h)
}

// plainHousehold leaves every optional field unrecorded.
func plainHousehold(t *testing.T) *fupin.Household {
	return normalised(t, &fupin.Household{VillageCode: "500236266212", Type: "ordinary", Risks: []string{},
		Members: []fupin.Member{{Name: "王五", IDNumber: mkID("19650912", "041"), Relation: "head"}}})
}

// normalised derives what the server derives (sex, birth date, income
// totals, head and size) and checks h is valid.
func normalised(t *testing.T, h *fupin.Household) *fupin.Household {
	t.Helper()
	errs := fupin.FieldErrors{}
	h.Normalize()
	h.ValidateFields(errs, testToday)
	fupin.ValidateMembers(errs, h.Members, testToday)
	if len(errs) > 0 {
		t.Fatalf("test household %s is invalid: %v", h.HouseholdNo, errs)
	}
	for i := range h.Incomes {
		h.Incomes[i].Items = []fupin.IncomeItem{}
		h.Incomes[i].Compute(h.Members)
	}
	h.Size, h.HeadName = 0, ""
	for _, m := range h.Members {
		if m.Active() {
			h.Size++
			if m.Relation == "head" {
				h.HeadName = m.Name
			}
		}
	}
	return h
}

func TestRoundTripFull(t *testing.T) {
	hs := []*fupin.Household{fullHousehold(t), plainHousehold(t)}
	got := decodeAll(t, Options{Today: testToday, Area: "500236266"}, sheetOf("户", hs...))
	if len(got) != len(hs) {
		t.Fatalf("decoded %d households", len(got))
	}
	for i, d := range got {
		wantErrors(t, got[i:i+1])
		if diff := cmp.Diff(carried(hs[i]), d.Household, roundTripOpts); diff != "" {
			t.Errorf("household %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestEncodeHousehold(t *testing.T) {
	h := fullHousehold(t)
	rows := EncodeHousehold(h, func(s string) string { return "***" })
	header := ExportHeader()
	col := func(name string) int { return slices.Index(header, name) }
	if len(rows) != 5 || len(rows[0]) != len(header) {
		t.Fatalf("%d rows of %d cells, header %d", len(rows), len(rows[0]), len(header))
	}
	names := []string{}
	for _, r := range rows {
		names = append(names, r[col("姓名")])
	}
	if want := []string{"张大山", "李小花", "张小妹", "张小弟", "张老汉"}; !slices.Equal(names, want) {
		t.Errorf("member order %v, want %v (head, current, left)", names, want)
	}
	for name, want := range map[string]string{
		"县": "奉节县", "乡(镇)": "平安乡", "行政村": "天台村", "人数": "4", "证件号码": "***", "联系电话": "***",
		"人联系电话": "***", "与户主关系": "户主", "致贫原因": "因病", "致贫返贫风险": "因病、因学、刚性支出过大",
		"危房户": "是", "危房等级": "D级（整幢危房）", "风险是否消除": "是", "是否解决安全饮用水": "",
		"户类型": "脱贫户", "收入年度": "2023", "工资性收入": "23456.78", "人均纯收入": "7817.41",
		"残疾等级": "", "务工时间（月）": "3", "首次识别时间": "2014-09-01", "住房面积": "96.5",
	} {
		if got := rows[0][col(name)]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := rows[4][col("减员原因")]; got != "死亡" {
		t.Errorf("减员原因 of the member who left = %q", got)
	}
	if got := EncodeHousehold(plainHousehold(t), nil)[0]; got[col("危房户")] != "" || got[col("风险是否消除")] != "" ||
		got[col("收入年度")] != "" || got[col("水质达标")] != "" {
		t.Errorf("unrecorded facts exported as %q %q %q %q", got[col("危房户")], got[col("风险是否消除")],
			got[col("收入年度")], got[col("水质达标")])
	}
}
