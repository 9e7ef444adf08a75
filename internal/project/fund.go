package project

import (
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// MaxDisbursements bounds the disbursements of one project.
const MaxDisbursements = 1000

// Disbursement is one payment of project funds (资金拨付) from one source.
type Disbursement struct {
	ID        int64       `json:"id" readOnly:"true"`
	ProjectID int64       `json:"project_id" readOnly:"true"`
	PaidOn    fupin.Date  `json:"paid_on" required:"true" description:"拨付日期"`
	Amount    fupin.Money `json:"amount" required:"true" description:"拨付金额（元）"`
	Source    string      `json:"source" required:"true" description:"资金来源（须是项目预算中的来源）"`
	Note      string      `json:"note" description:"备注（如拨付批次、凭证号）"`
	CreatedBy string      `json:"created_by" readOnly:"true"`
	CreatedAt time.Time   `json:"created_at" readOnly:"true"`
}

// CheckDisbursement checks d against the project p, what was already paid
// from each source (spent) and today: the project must be approved or in
// construction, the date neither before the approval nor after today, the
// source in the budget and the source's payments within its budget.
// Errors: conflict (status or count), invalid naming the field.
func CheckDisbursement(p *Project, spent map[string]fupin.Money, count int, d *Disbursement, today fupin.Date) error {
	if p.Status != StatusApproved && p.Status != StatusBuilding {
		return fupin.Errorf(fupin.EConflict, "项目状态为「%s」，只有已批复或实施中的项目可以拨付资金", Statuses.LabelOf(p.Status))
	}
	if count >= MaxDisbursements {
		return fupin.Errorf(fupin.EConflict, "一个项目最多记录 %d 笔拨付", MaxDisbursements)
	}
	errs := fupin.FieldErrors{}
	text(errs, "note", &d.Note, MaxText, false)
	switch {
	case d.PaidOn.IsZero():
		errs.Add("paid_on", "须填写拨付日期")
	case d.PaidOn.After(today):
		errs.Add("paid_on", "拨付日期不能晚于今天")
	case p.ApprovedAt != nil && d.PaidOn.Before(fupin.DateOf(*p.ApprovedAt)):
		errs.Add("paid_on", "拨付日期不能早于项目批复日期")
	}
	budget := p.BudgetOf(d.Source)
	switch {
	case d.Amount <= 0 || d.Amount > MaxAmount:
		errs.Add("amount", "拨付金额应大于 0 且不超过 100 亿元")
	case !Sources.Has(d.Source):
		errs.Add("source", "资金来源不在代码表中："+d.Source)
	case budget == 0:
		errs.Add("source", "项目预算中没有此资金来源："+Sources.LabelOf(d.Source))
	case spent[d.Source]+d.Amount > budget:
		errs.Add("amount", fmt.Sprintf("超出%s预算：预算 %s 元，已拨付 %s 元，本次最多 %s 元",
			Sources.LabelOf(d.Source), budget, spent[d.Source], budget-spent[d.Source]))
	}
	return errs.Err()
}

// Spent sums disbursements by source.
func Spent(ds []Disbursement) map[string]fupin.Money {
	out := map[string]fupin.Money{}
	for _, d := range ds {
		out[d.Source] += d.Amount
	}
	return out
}
