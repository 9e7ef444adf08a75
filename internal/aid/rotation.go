package aid

import (
	"time"

	"fupin/internal/fupin"
)

// Rotation is a planned 轮换交接: outgoing → incoming cadre per posting,
// with the handover list Fupin builds (postings, paired households) and
// entries people add (projects, documents, open cases). The outgoing and
// incoming cadre of each item and the township office confirm; completing
// it moves every posting and pairing in one transaction.
type Rotation struct {
	ID                int64             `json:"id"`
	AreaCode          string            `json:"area_code" description:"乡镇区划代码"`
	AreaName          string            `json:"area_name"`
	Title             string            `json:"title"`
	PlannedOn         fupin.Date        `json:"planned_on" description:"计划交接日期"`
	Status            string            `json:"status" description:"planned 交接中 / completed 已完成 / cancelled 已取消"`
	StatusLabel       string            `json:"status_label"`
	Note              string            `json:"note"`
	OfficeConfirmedBy string            `json:"office_confirmed_by" description:"乡镇指挥部办公室确认人，空为未确认"`
	OfficeConfirmedAt *time.Time        `json:"office_confirmed_at"`
	Ready             bool              `json:"ready" description:"三方均已确认，可以完成交接"`
	CreatedBy         string            `json:"created_by"`
	Version           int64             `json:"version"`
	CreatedAt         time.Time         `json:"created_at"`
	CompletedAt       *time.Time        `json:"completed_at"`
	Items             []RotationItem    `json:"items"`
	Entries           []HandoverEntry   `json:"entries" description:"交接清单"`
	HiddenItems       int               `json:"hidden_items" description:"管辖区域以外的交接项（岗位）数，不显示明细"`
	HiddenEntries     int               `json:"hidden_entries" description:"管辖区域以外的交接清单条目数（其他村的结对农户等），不显示明细"`
	Names             map[string]string `json:"names" readOnly:"true" description:"账号 → 显示名（确认人、制定人、事项添加人），页面显示姓名而非账号"`
}

// Accounts lists the accounts the rotation names (confirmations, creator,
// added entries), for looking up their display names.
func (r *Rotation) Accounts() []string {
	out := []string{r.CreatedBy, r.OfficeConfirmedBy}
	for _, it := range r.Items {
		out = append(out, it.OutgoingConfirmedBy, it.IncomingConfirmedBy)
	}
	for _, e := range r.Entries {
		out = append(out, e.CreatedBy)
	}
	return out
}

// RotationItem is one posting changing hands.
type RotationItem struct {
	ID                  int64      `json:"id"`
	PostingID           int64      `json:"posting_id"`
	Role                string     `json:"role"`
	RoleLabel           string     `json:"role_label"`
	AreaCode            string     `json:"area_code"`
	AreaName            string     `json:"area_name"`
	OutgoingCadreID     int64      `json:"outgoing_cadre_id"`
	OutgoingName        string     `json:"outgoing_name" description:"离任干部"`
	IncomingCadreID     int64      `json:"incoming_cadre_id"`
	IncomingName        string     `json:"incoming_name" description:"接任干部"`
	OutgoingConfirmedBy string     `json:"outgoing_confirmed_by"`
	OutgoingConfirmedAt *time.Time `json:"outgoing_confirmed_at"`
	IncomingConfirmedBy string     `json:"incoming_confirmed_by"`
	IncomingConfirmedAt *time.Time `json:"incoming_confirmed_at"`
	NewPostingID        *int64     `json:"new_posting_id" description:"完成后接任干部的新岗位"`
}

// HandoverEntry is one line of the handover list.
type HandoverEntry struct {
	ID        int64  `json:"id" readOnly:"true"`
	ItemID    *int64 `json:"item_id" description:"所属交接项（岗位），可空"`
	Kind      string `json:"kind" required:"true" description:"posting 岗位 / household 结对农户 / case 未办结事项 / ledger 台账事项 / project 项目 / document 文件资料 / other"`
	KindLabel string `json:"kind_label" readOnly:"true"`
	RefID     *int64 `json:"ref_id" readOnly:"true" description:"关联记录编号（岗位、农户）"`
	Title     string `json:"title" required:"true"`
	Detail    string `json:"detail"`
	Auto      bool   `json:"auto" readOnly:"true" description:"由系统生成"`
	CreatedBy string `json:"created_by" readOnly:"true"`
	Village   string `json:"-"` // the household's village, for household entries (scoping only)
}

// RotationPlan is a new rotation.
type RotationPlan struct {
	AreaCode  string             `json:"area_code" required:"true" description:"乡镇区划代码"`
	Title     string             `json:"title" required:"true" description:"如 2025 年驻乡工作队、第一书记轮换"`
	PlannedOn fupin.Date         `json:"planned_on" description:"计划交接日期"`
	Note      string             `json:"note"`
	Items     []RotationPlanItem `json:"items" required:"true"`
}

// RotationPlanItem names a posting and who takes it over.
type RotationPlanItem struct {
	PostingID       int64 `json:"posting_id" required:"true" description:"离任干部的在岗岗位"`
	IncomingCadreID int64 `json:"incoming_cadre_id" required:"true" description:"接任干部"`
}

// missingConfirmations lists, in Chinese, who has not confirmed yet.
func (r *Rotation) MissingConfirmations() []string {
	var out []string
	for _, it := range r.Items {
		if it.OutgoingConfirmedBy == "" {
			out = append(out, "离任干部"+it.OutgoingName+"（"+it.RoleLabel+"）")
		}
		if it.IncomingConfirmedBy == "" {
			out = append(out, "接任干部"+it.IncomingName+"（"+it.RoleLabel+"）")
		}
	}
	if r.OfficeConfirmedBy == "" {
		out = append(out, "乡镇指挥部办公室")
	}
	return out
}
