package aid

import (
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// Visit is a 走访记录: a cadre's home or phone visit to a household, with
// what they found. A home visit may record the 不愁吃 / 不愁穿 observations;
// those become the household's facts and its verdicts are recomputed.
type Visit struct {
	ID               int64      `json:"id" readOnly:"true"`
	HouseholdID      int64      `json:"household_id" readOnly:"true"`
	HeadName         string     `json:"head_name" readOnly:"true" description:"户主姓名"`
	VillageCode      string     `json:"village_code" readOnly:"true"`
	VillageName      string     `json:"village_name" readOnly:"true"`
	CadreID          int64      `json:"cadre_id" required:"true" description:"走访干部编号"`
	CadreName        string     `json:"cadre_name" readOnly:"true"`
	VisitedOn        fupin.Date `json:"visited_on" required:"true" description:"走访日期"`
	Kind             string     `json:"kind" required:"true" description:"home 入户 / phone 电话"`
	Findings         string     `json:"findings" description:"走访情况、发现的问题"`
	FoodSecure       *bool      `json:"food_secure" description:"不愁吃（仅入户走访可记录）；填写后更新农户信息并重新核查"`
	ClothingSecure   *bool      `json:"clothing_secure" description:"不愁穿（仅入户走访可记录）"`
	Photos           []int64    `json:"photos" readOnly:"true" description:"照片编号，GET /api/v1/aid/photos/{id} 取图"`
	CreatedBy        string     `json:"created_by" readOnly:"true"`
	CreatedAt        time.Time  `json:"created_at" readOnly:"true"`
	HouseholdUpdated bool       `json:"household_updated" readOnly:"true" description:"本次走访的观察已写入农户信息"`
	// RaiseRisks is 干部排查: risk types the visitor found; when given, the
	// store opens a monitoring case (入户核查) for the household in the same
	// transaction, unless it already has an open one.
	RaiseRisks []string `json:"raise_risks,omitempty" description:"干部排查发现的返贫致贫风险类型（1–5 项）：为该户生成监测案件（入户核查）"`
	CaseID     *int64   `json:"case_id,omitempty" readOnly:"true" description:"本次走访生成的，或该户已在办的监测案件"`
}

// Validate trims and checks a visit for recording: date not after today,
// kind, findings. Errors: invalid, with the fields named.
func (v *Visit) Validate(today fupin.Date) error {
	errs := fupin.FieldErrors{}
	switch {
	case v.VisitedOn.IsZero():
		errs.Add("visited_on", "请填写走访日期")
	case v.VisitedOn.After(today):
		errs.Add("visited_on", "走访日期不能晚于今天")
	case v.VisitedOn.Before(fupin.NewDate(2014, 1, 1)):
		errs.Add("visited_on", "走访日期不能早于 2014 年")
	}
	if !VisitKinds.Has(v.Kind) {
		errs.Add("kind", "走访方式应为 home（入户）或 phone（电话）")
	}
	if v.Kind == "phone" && (v.FoodSecure != nil || v.ClothingSecure != nil) {
		errs.Add("kind", "不愁吃、不愁穿须入户查看，电话走访不能记录")
	}
	TrimLen(errs, "findings", &v.Findings, 2000, false)
	if len(v.RaiseRisks) > 5 {
		errs.Add("raise_risks", "风险类型最多 5 项")
	}
	seen := map[string]bool{}
	for i, r := range v.RaiseRisks {
		if i < 5 && (!fupin.Risks.Has(r) || seen[r]) {
			errs.Add(fmt.Sprintf("raise_risks[%d]", i), "风险类型无效或重复")
		}
		seen[r] = true
	}
	return errs.Err()
}

// VisitFilter selects visits for a list.
type VisitFilter struct {
	Area        string
	HouseholdID int64
	CadreID     int64
	From, To    fupin.Date
	Offset      int
	Limit       int
}

// VisitPage is one page of visits.
type VisitPage struct {
	Items []Visit `json:"items"`
	Total int     `json:"total"`
}
