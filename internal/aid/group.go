package aid

import (
	"strings"
	"time"

	"fupin/internal/fupin"
)

// Group is a 帮扶集团: a lead unit (牵头单位) and member units that help
// one township; each member unit is paired with a village (对口帮扶村).
type Group struct {
	ID        int64     `json:"id" readOnly:"true"`
	Name      string    `json:"name" required:"true" description:"帮扶集团名称，如 市政府办公厅帮扶集团"`
	AreaCode  string    `json:"area_code" required:"true" description:"帮扶的乡镇（9 位统计用区划代码）"`
	AreaName  string    `json:"area_name" readOnly:"true" description:"乡镇名称"`
	LeadUnit  string    `json:"lead_unit" required:"true" description:"牵头单位，如 市政府办公厅"`
	Note      string    `json:"note" description:"备注"`
	Version   int64     `json:"version" description:"乐观锁版本号，修改时必须带回"`
	Units     []Unit    `json:"units" readOnly:"true" description:"成员单位（含牵头单位）"`
	CreatedAt time.Time `json:"created_at" readOnly:"true"`
	UpdatedAt time.Time `json:"updated_at" readOnly:"true"`
}

// Unit is a unit of an aid group.
type Unit struct {
	ID          int64  `json:"id" readOnly:"true"`
	GroupID     int64  `json:"group_id" readOnly:"true"`
	Name        string `json:"name" required:"true" description:"单位名称，如 市政府外办"`
	IsLead      bool   `json:"is_lead" description:"牵头单位"`
	VillageCode string `json:"village_code" description:"对口帮扶村（12 位区划代码），牵头单位可空"`
	VillageName string `json:"village_name" readOnly:"true" description:"对口帮扶村名称"`
	Cadres      int    `json:"cadres" readOnly:"true" description:"在岗派出干部人数"`
	Version     int64  `json:"version" description:"乐观锁版本号，修改时必须带回"`
}

// Validate trims and checks a group: name, lead unit, note, and a
// township (9-digit) area. Errors: invalid, with the fields named.
func (g *Group) Validate() error {
	errs := fupin.FieldErrors{}
	TrimLen(errs, "name", &g.Name, 100, true)
	TrimLen(errs, "lead_unit", &g.LeadUnit, 100, true)
	TrimLen(errs, "note", &g.Note, 1000, false)
	g.AreaCode = strings.TrimSpace(g.AreaCode)
	CheckAreaCode(errs, "area_code", g.AreaCode, false)
	if len(g.AreaCode) != 9 {
		errs.Add("area_code", "帮扶集团的帮扶对象应为乡镇（9 位区划代码）")
	}
	return errs.Err()
}

// Validate checks a unit of group g: a name, and a paired village inside
// g's township unless it is the lead unit. Errors: invalid.
func (u *Unit) Validate(g *Group) error {
	errs := fupin.FieldErrors{}
	TrimLen(errs, "name", &u.Name, 100, true)
	u.VillageCode = strings.TrimSpace(u.VillageCode)
	if u.VillageCode != "" {
		CheckAreaCode(errs, "village_code", u.VillageCode, true)
		if !strings.HasPrefix(u.VillageCode, g.AreaCode) {
			errs.Add("village_code", "对口帮扶村应在帮扶集团所帮扶的乡镇内")
		}
	} else if !u.IsLead {
		errs.Add("village_code", "成员单位须有对口帮扶村")
	}
	return errs.Err()
}
