package aid

import (
	"strings"

	"fupin/internal/fupin"
)

// Posting is a cadre's post in an area for a term: 驻乡工作队队长/队员,
// 第一书记, 驻村工作队员, 帮扶责任人 or a command-post role. Active while
// EndedOn is unset.
type Posting struct {
	ID           int64      `json:"id" readOnly:"true"`
	CadreID      int64      `json:"cadre_id" required:"true" description:"干部编号"`
	CadreName    string     `json:"cadre_name" readOnly:"true"`
	Role         string     `json:"role" required:"true" description:"岗位 code list aid_role"`
	RoleLabel    string     `json:"role_label" readOnly:"true"`
	AreaCode     string     `json:"area_code" required:"true" description:"驻点：乡镇（指挥部、驻乡工作队）或村（第一书记、驻村工作队员）"`
	AreaName     string     `json:"area_name" readOnly:"true"`
	GroupID      *int64     `json:"group_id" description:"所属帮扶集团，可空"`
	StartedOn    fupin.Date `json:"started_on" required:"true" description:"到任日期"`
	PlannedEndOn fupin.Date `json:"planned_end_on" description:"计划期满日期；空则按任期（默认 2 年）计算"`
	EndedOn      fupin.Date `json:"ended_on" readOnly:"true" description:"实际离任日期，空为在岗"`
	EndReason    string     `json:"end_reason" readOnly:"true"`
	RotationID   *int64     `json:"rotation_id" readOnly:"true" description:"经轮换交接到任或离任时的轮换编号"`
	Version      int64      `json:"version" description:"乐观锁版本号，修改时必须带回"`
}

// Validate trims and checks a new posting: role, area (a village for the
// village roles), start date and term. Errors: invalid, with the fields named.
func (p *Posting) Validate() error {
	errs := fupin.FieldErrors{}
	if !Roles.Has(p.Role) {
		errs.Add("role", "岗位不在代码表中："+p.Role)
	}
	p.AreaCode = strings.TrimSpace(p.AreaCode)
	CheckAreaCode(errs, "area_code", p.AreaCode, false)
	switch TeamKind(p.Role) {
	case "command", "township_team":
		if len(p.AreaCode) != 9 {
			errs.Add("area_code", Roles.LabelOf(p.Role)+"的驻点应为乡镇（9 位区划代码）")
		}
	case "village_team":
		if len(p.AreaCode) != 12 {
			errs.Add("area_code", Roles.LabelOf(p.Role)+"的驻点应为村（12 位区划代码）")
		}
	}
	if p.StartedOn.IsZero() {
		errs.Add("started_on", "请填写到任日期")
	}
	if !p.PlannedEndOn.IsZero() && !p.PlannedEndOn.After(p.StartedOn) {
		errs.Add("planned_end_on", "计划期满日期应晚于到任日期")
	}
	return errs.Err()
}

// SingleRoles may have one active holder per area.
var SingleRoles = map[string]bool{"commander": true, "office_director": true, "township_leader": true, "first_secretary": true}

// PostingChange is a change to an active posting: a new planned end (a
// term extended or shortened), or its end (EndedOn set, with a reason).
type PostingChange struct {
	Version      int64      `json:"version" required:"true"`
	PlannedEndOn fupin.Date `json:"planned_end_on" description:"新的计划期满日期"`
	EndedOn      fupin.Date `json:"ended_on" description:"离任日期：填写即办理离任"`
	EndReason    string     `json:"end_reason" description:"离任原因（离任时必填）"`
}
