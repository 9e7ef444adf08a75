// Package project holds the 帮扶项目 and their funds (衔接资金项目): the
// project record, its budget by fund source, the plan → approved → in
// construction → accepted state machine with the roles allowed to move it,
// disbursements that may not exceed their source's budget, and the roll-ups
// the 成效考核 reads (funds by source and use per area and year, spend rate,
// households benefiting per 10,000 yuan, overdue projects). No database.
package project

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fupin/internal/fupin"
)

// Limits on what a caller may write into a project.
const (
	MaxName       = 200  // project name (characters)
	MaxText       = 2000 // content, opinion, note (characters)
	MaxVillages   = 200  // villages benefiting from one project
	MaxHouseholds = 5000 // households benefiting from one project
	// MaxAmount bounds one budget line or disbursement: 100 亿元 in fen.
	MaxAmount fupin.Money = 1_000_000_000_000
)

// Project types (项目类型, the "use" of the funds in the roll-ups).
const (
	TypeInfrastructure = "infrastructure" // 基础设施（水电路讯房）
	TypeIndustry       = "industry"       // 产业
	TypeEmployment     = "employment"     // 就业
	TypeOther          = "other"          // 其他
)

// Types lists the project types with their labels, in display order.
var Types = fupin.CodeList{Name: "project_type", Label: "项目类型", Items: []fupin.CodeItem{{Code: TypeInfrastructure, Label: "基础设施"}, {Code: TypeIndustry, Label: "产业"}, {Code: TypeEmployment, Label: "就业"}, {Code: TypeOther, Label: "其他"}}}

// Subtypes are the kinds of an infrastructure project (水电路讯房).
var Subtypes = fupin.CodeList{Name: "project_subtype", Label: "基础设施类别", Items: []fupin.CodeItem{{Code: "water", Label: "水"}, {Code: "power", Label: "电"}, {Code: "road", Label: "路"}, {Code: "telecom", Label: "讯"}, {Code: "housing", Label: "房"}}}

// Sources are the fund sources of a budget line or disbursement.
var Sources = fupin.CodeList{Name: "fund_source", Label: "资金来源", Items: []fupin.CodeItem{
	{Code: "central", Label: "中央财政衔接资金"}, {Code: "municipal", Label: "市级财政衔接资金"}, {Code: "county", Label: "县级财政衔接资金"},
	{Code: "east_west", Label: "东西部协作"}, {Code: "paired", Label: "定点帮扶"}, {Code: "social", Label: "社会帮扶"}, {Code: "other", Label: "其他"},
}}

// Statuses of a project, in order.
const (
	StatusPlan     = "plan"     // 计划（入库）
	StatusApproved = "approved" // 已批复
	StatusBuilding = "building" // 实施中
	StatusAccepted = "accepted" // 已验收
)

// Statuses lists the statuses with their labels, in order.
var Statuses = fupin.CodeList{Name: "project_status", Label: "项目状态", Items: []fupin.CodeItem{{Code: StatusPlan, Label: "计划"}, {Code: StatusApproved, Label: "已批复"}, {Code: StatusBuilding, Label: "实施中"}, {Code: StatusAccepted, Label: "已验收"}}}

// BudgetLine is the budget of one fund source, in fen.
type BudgetLine struct {
	Source string      `json:"source" required:"true" description:"资金来源：central 中央财政衔接资金、municipal 市级、county 县级、east_west 东西部协作、paired 定点帮扶、social 社会帮扶、other 其他"`
	Amount fupin.Money `json:"amount" required:"true" description:"预算金额（元，最多两位小数）"`
}

// Project is one 帮扶项目. AreaCode is where it is administered and where
// its funds are counted in the roll-ups: a village (12 digits) or, for a
// project serving several villages, their township (9 digits).
type Project struct {
	ID           int64        `json:"id" readOnly:"true"`
	Name         string       `json:"name" required:"true" description:"项目名称"`
	Type         string       `json:"type" required:"true" description:"项目类型：infrastructure 基础设施、industry 产业、employment 就业、other 其他"`
	Subtype      string       `json:"subtype" description:"基础设施类别：water 水、power 电、road 路、telecom 讯、housing 房（仅基础设施）"`
	AreaCode     string       `json:"area_code" required:"true" description:"实施地：村（12 位）或乡镇（9 位）区划代码"`
	AreaName     string       `json:"area_name" readOnly:"true"`
	Year         int          `json:"year" required:"true" description:"资金年度"`
	Content      string       `json:"content" description:"建设内容和规模"`
	Unit         string       `json:"unit" description:"实施单位"`
	PlannedStart fupin.Date   `json:"planned_start" description:"计划开工日期"`
	PlannedEnd   fupin.Date   `json:"planned_end" required:"true" description:"计划完工日期（过期未验收即为超期项目）"`
	Villages     []string     `json:"villages" description:"受益村（12 位区划代码，须在实施地内；空为实施地本身）"`
	Households   []int64      `json:"households" description:"受益农户编号（须在受益村内）"`
	People       int          `json:"people" description:"受益人数（含非建档立卡人口）"`
	Budget       []BudgetLine `json:"budget" required:"true" description:"按资金来源的预算（每个来源一行）"`

	Status         string      `json:"status" readOnly:"true" description:"plan 计划、approved 已批复、building 实施中、accepted 已验收"`
	ApprovedBy     string      `json:"approved_by" readOnly:"true"`
	ApprovedAt     *time.Time  `json:"approved_at,omitempty" readOnly:"true"`
	StartedBy      string      `json:"started_by" readOnly:"true"`
	StartedAt      *time.Time  `json:"started_at,omitempty" readOnly:"true"`
	AcceptedBy     string      `json:"accepted_by" readOnly:"true"`
	AcceptedAt     *time.Time  `json:"accepted_at,omitempty" readOnly:"true"`
	AcceptOpinion  string      `json:"accept_opinion" readOnly:"true" description:"验收意见"`
	HouseholdCount int         `json:"household_count" readOnly:"true" description:"受益农户数"`
	BudgetTotal    fupin.Money `json:"budget_total" readOnly:"true" description:"预算合计（元）"`
	Spent          fupin.Money `json:"spent" readOnly:"true" description:"已拨付合计（元）"`
	Overdue        bool        `json:"overdue" readOnly:"true" description:"计划完工日期已过而未验收"`
	Version        int64       `json:"version" description:"乐观锁版本号，修改时必须带回"`
	CreatedBy      string      `json:"created_by" readOnly:"true"`
	CreatedAt      time.Time   `json:"created_at" readOnly:"true"`
}

// Validate trims the text fields and checks codes, lengths, counts, dates,
// the areas (benefiting villages inside the project's area) and the budget
// (known sources, each once, amounts positive and bounded).
func (p *Project) Validate() error {
	errs := fupin.FieldErrors{}
	text(errs, "name", &p.Name, MaxName, true)
	text(errs, "content", &p.Content, MaxText, false)
	text(errs, "unit", &p.Unit, MaxName, false)
	if !Types.Has(p.Type) {
		errs.Add("type", "项目类型不在代码表中："+p.Type)
	}
	switch {
	case p.Type == TypeInfrastructure && !Subtypes.Has(p.Subtype):
		errs.Add("subtype", "基础设施项目须选择类别（水、电、路、讯、房）")
	case p.Type != TypeInfrastructure && p.Subtype != "":
		errs.Add("subtype", "只有基础设施项目有类别")
	}
	p.AreaCode = strings.TrimSpace(p.AreaCode)
	if n := len(p.AreaCode); (n != 9 && n != 12) || strings.Trim(p.AreaCode, "0123456789") != "" {
		errs.Add("area_code", "实施地应为乡镇（9 位）或村（12 位）区划代码")
	}
	if p.Year < 2013 || p.Year > 2100 {
		errs.Add("year", "资金年度应在 2013–2100 之间")
	}
	if p.PlannedEnd.IsZero() {
		errs.Add("planned_end", "须填写计划完工日期")
	} else if !p.PlannedStart.IsZero() && p.PlannedEnd.Before(p.PlannedStart) {
		errs.Add("planned_end", "计划完工日期早于计划开工日期")
	}
	if p.People < 0 || p.People > 1_000_000 {
		errs.Add("people", "受益人数应在 0–1000000 之间")
	}
	p.validateBeneficiaries(errs)
	p.validateBudget(errs)
	return errs.Err()
}

func (p *Project) validateBeneficiaries(errs fupin.FieldErrors) {
	if len(p.Villages) > MaxVillages {
		errs.Add("villages", fmt.Sprintf("受益村不能超过 %d 个", MaxVillages))
		return
	}
	seen := map[string]bool{}
	for i, v := range p.Villages {
		v = strings.TrimSpace(v)
		p.Villages[i] = v
		path := fmt.Sprintf("villages[%d]", i)
		switch {
		case len(v) != 12 || strings.Trim(v, "0123456789") != "":
			errs.Add(path, "受益村应为 12 位区划代码")
		case !strings.HasPrefix(v, p.AreaCode):
			errs.Add(path, "受益村不在项目实施地内")
		case seen[v]:
			errs.Add(path, "受益村重复")
		}
		seen[v] = true
	}
	if len(p.Households) > MaxHouseholds {
		errs.Add("households", fmt.Sprintf("受益农户不能超过 %d 户", MaxHouseholds))
		return
	}
	ids := map[int64]bool{}
	for i, id := range p.Households {
		if id <= 0 || ids[id] {
			errs.Add(fmt.Sprintf("households[%d]", i), "农户编号无效或重复")
		}
		ids[id] = true
	}
}

func (p *Project) validateBudget(errs fupin.FieldErrors) {
	if len(p.Budget) == 0 {
		errs.Add("budget", "须至少有一个资金来源的预算")
	}
	if len(p.Budget) > len(Sources.Items) {
		errs.Add("budget", "每个资金来源只能有一行预算")
		return
	}
	seen := map[string]bool{}
	for i, b := range p.Budget {
		if !Sources.Has(b.Source) {
			errs.Add(fmt.Sprintf("budget[%d].source", i), "资金来源不在代码表中："+b.Source)
		} else if seen[b.Source] {
			errs.Add(fmt.Sprintf("budget[%d].source", i), "资金来源重复："+Sources.LabelOf(b.Source))
		}
		seen[b.Source] = true
		if b.Amount <= 0 || b.Amount > MaxAmount {
			errs.Add(fmt.Sprintf("budget[%d].amount", i), "预算金额应大于 0 且不超过 100 亿元")
		}
	}
}

// Total returns the sum of the budget lines.
func (p *Project) Total() fupin.Money {
	var t fupin.Money
	for _, b := range p.Budget {
		t += b.Amount
	}
	return t
}

// BudgetOf returns the budget of one source (0 when the project has none).
func (p *Project) BudgetOf(source string) fupin.Money {
	for _, b := range p.Budget {
		if b.Source == source {
			return b.Amount
		}
	}
	return 0
}

// IsOverdue reports whether the planned end has passed on today and the
// project is not accepted.
func (p *Project) IsOverdue(today fupin.Date) bool {
	return p.Status != StatusAccepted && !p.PlannedEnd.IsZero() && p.PlannedEnd.Before(today)
}

func text(errs fupin.FieldErrors, path string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "" && required:
		errs.Add(path, "不能为空")
	case utf8.RuneCountInString(*s) > max:
		errs.Add(path, fmt.Sprintf("不能超过 %d 个字", max))
	}
}
