package ledger

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fupin/internal/fupin"
)

// Limits on what a caller may write into the ledger.
const (
	MaxText       = 2000 // description, measures, reports, reasons (characters)
	MaxShort      = 200  // number, title, batch, units, people (characters)
	MaxHouseholds = 5000 // households attached to one finding
)

// Inspection is one round of inspection feedback (一次巡视、督查、考核反馈…):
// its findings are the 问题清单.
type Inspection struct {
	ID         int64      `json:"id" readOnly:"true"`
	Source     string     `json:"source" required:"true" description:"问题来源：inspection 巡视、circuit 巡察、supervision 督查、unannounced 暗访、assessment 成效考核反馈、third_party 第三方评估、recheck 回头看、petition 信访、self 自查"`
	Title      string     `json:"title" required:"true" description:"名称，如 市委第三巡视组反馈意见"`
	Batch      string     `json:"batch" description:"批次，如 2019 年第二轮"`
	AreaCode   string     `json:"area_code" required:"true" description:"覆盖区域（县、乡镇或村的区划代码）"`
	FeedbackOn fupin.Date `json:"feedback_on" description:"反馈日期"`
	RecheckOf  *int64     `json:"recheck_of,omitempty" description:"回头看所复查的原巡视（检查）编号"`
	Note       string     `json:"note" description:"备注"`
	Version    int64      `json:"version" description:"乐观锁版本号"`
	CreatedBy  string     `json:"created_by" readOnly:"true"`
	CreatedAt  time.Time  `json:"created_at" readOnly:"true"`
}

// Validate trims the text fields and checks codes and lengths.
func (in *Inspection) Validate() error {
	errs := fupin.FieldErrors{}
	if !Sources.Has(in.Source) {
		errs.Add("source", "问题来源不在代码表中："+in.Source)
	}
	text(errs, "title", &in.Title, MaxShort, true)
	text(errs, "batch", &in.Batch, MaxShort, false)
	text(errs, "note", &in.Note, MaxText, false)
	in.AreaCode = strings.TrimSpace(in.AreaCode)
	if n := len(in.AreaCode); n != 6 && n != 9 && n != 12 {
		errs.Add("area_code", "覆盖区域应为县（6 位）、乡镇（9 位）或村（12 位）区划代码")
	}
	if in.Source == "recheck" && in.RecheckOf == nil {
		errs.Add("recheck_of", "回头看须指明复查的原巡视（检查）")
	}
	return errs.Err()
}

// Finding is one problem of an inspection (一个问题) and its rectification.
type Finding struct {
	ID           int64      `json:"id" readOnly:"true"`
	InspectionID int64      `json:"inspection_id" required:"true"`
	Number       string     `json:"number" required:"true" description:"问题编号，如 3-12"`
	Category     string     `json:"category" required:"true" description:"问题类别：basic_needs 两不愁三保障、water 饮水安全、funds 资金项目、conduct 作风、data 数据质量、income 收入、policy 政策落实、other 其他"`
	Description  string     `json:"description" required:"true" description:"问题描述"`
	AreaCode     string     `json:"area_code" required:"true" description:"问题所在村（12 位）或乡镇（9 位）区划代码"`
	AreaName     string     `json:"area_name" readOnly:"true"`
	CountyLevel  bool       `json:"county_level" description:"县级问题：由县巡视整改办销号（否则由乡镇指挥部办公室销号）"`
	LeadUnit     string     `json:"lead_unit" required:"true" description:"牵头单位"`
	Responsible  string     `json:"responsible_units" description:"责任单位（多个用顿号分隔）"`
	Person       string     `json:"responsible_person" description:"责任人（姓名；Fupin 外的人员只记姓名）"`
	PersonID     *int64     `json:"responsible_cadre_id,omitempty" description:"责任人的干部编号：给出时姓名取自干部档案；不给时，若问题所在区域内在岗干部中只有一人叫这个姓名，自动关联"`
	Measures     string     `json:"measures" description:"整改措施"`
	Deadline     fupin.Date `json:"deadline" description:"整改时限（立行立改、限期整改必填）"`
	Kind         string     `json:"kind" required:"true" description:"整改类型：immediate 立行立改、deadline 限期整改、long_term 长期坚持"`
	Item         string     `json:"item,omitempty" readOnly:"true" description:"由核查问题清单生成时的核查项目"`
	Year         int        `json:"year,omitempty" readOnly:"true" description:"由核查问题清单生成时的核查年度"`
	RecurrenceOf *int64     `json:"recurrence_of,omitempty" description:"回头看发现反弹时，原问题编号"`

	Status       string     `json:"status" readOnly:"true" description:"not_started 未启动、in_progress 整改中、pending 已完成待验收、closed 已销号、long_term 长期坚持"`
	Bucket       string     `json:"bucket" readOnly:"true" description:"期限分组：overdue 已超期、within_10、within_20、later；已销号为空"`
	AppliedBy    string     `json:"applied_by" readOnly:"true" description:"申请销号的账号（责任单位）"`
	AppliedAt    *time.Time `json:"applied_at,omitempty" readOnly:"true"`
	Evidence     string     `json:"evidence" readOnly:"true" description:"销号申请的整改成效和佐证"`
	ReviewedBy   string     `json:"reviewed_by" readOnly:"true" description:"审核的账号（牵头单位）"`
	ReviewedAt   *time.Time `json:"reviewed_at,omitempty" readOnly:"true"`
	ClosedBy     string     `json:"closed_by" readOnly:"true" description:"销号的账号（乡镇指挥部办公室或县巡视整改办）"`
	ClosedAt     *time.Time `json:"closed_at,omitempty" readOnly:"true"`
	Opinion      string     `json:"opinion" readOnly:"true" description:"验收意见"`
	RejectReason string     `json:"reject_reason" readOnly:"true" description:"最近一次退回的原因"`
	Households   int        `json:"households" readOnly:"true" description:"涉及农户数"`
	Fixed        int        `json:"fixed" readOnly:"true" description:"其中已整改（核查已达标）户数"`
	Version      int64      `json:"version" description:"乐观锁版本号，修改时必须带回"`
	CreatedAt    time.Time  `json:"created_at" readOnly:"true"`
	UpdatedAt    time.Time  `json:"updated_at" readOnly:"true"`
}

// Validate trims the text fields and checks codes, lengths and the
// deadline rule (立行立改 and 限期整改 need a deadline).
func (f *Finding) Validate() error {
	errs := fupin.FieldErrors{}
	text(errs, "number", &f.Number, MaxShort, true)
	if !Categories.Has(f.Category) {
		errs.Add("category", "问题类别不在代码表中："+f.Category)
	}
	text(errs, "description", &f.Description, MaxText, true)
	text(errs, "lead_unit", &f.LeadUnit, MaxShort, true)
	text(errs, "responsible_units", &f.Responsible, MaxShort, false)
	text(errs, "responsible_person", &f.Person, MaxShort, false)
	text(errs, "measures", &f.Measures, MaxText, false)
	if f.PersonID != nil && *f.PersonID <= 0 {
		errs.Add("responsible_cadre_id", "干部编号应为正整数")
	}
	f.AreaCode = strings.TrimSpace(f.AreaCode)
	if n := len(f.AreaCode); n != 9 && n != 12 {
		errs.Add("area_code", "问题所在区域应为乡镇（9 位）或村（12 位）区划代码")
	}
	if !Kinds.Has(f.Kind) {
		errs.Add("kind", "整改类型不在代码表中："+f.Kind)
	} else if f.Kind != KindLongTerm && f.Deadline.IsZero() {
		errs.Add("deadline", "立行立改、限期整改须填写整改时限")
	}
	return errs.Err()
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
