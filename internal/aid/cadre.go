package aid

import (
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

// Cadre is a person the aid forces send: a 第一书记, a work-team member, a
// helper. AreaCode is the area that manages the record (usually the
// township); the cadre is also visible in the areas of their active postings.
type Cadre struct {
	ID        int64     `json:"id" readOnly:"true"`
	Name      string    `json:"name" required:"true" description:"姓名"`
	IDNumber  string    `json:"id_number" required:"true" description:"公民身份号码"`
	Phone     string    `json:"phone" description:"联系电话"`
	UnitID    *int64    `json:"unit_id" description:"派出单位（帮扶集团成员单位编号），可空"`
	UnitName  string    `json:"unit_name" description:"派出单位名称；填了 unit_id 时由系统填写"`
	Post      string    `json:"post" description:"职务，如 市政府办公厅二级巡视员"`
	Rank      string    `json:"rank" description:"职级，如 副厅级、正处级"`
	Political string    `json:"political" description:"政治面貌 code list political_status"`
	AreaCode  string    `json:"area_code" required:"true" description:"管理区域（乡镇或村的区划代码）"`
	Version   int64     `json:"version" description:"乐观锁版本号，修改时必须带回"`
	CreatedAt time.Time `json:"created_at" readOnly:"true"`
	UpdatedAt time.Time `json:"updated_at" readOnly:"true"`
	Postings  []Posting `json:"postings" readOnly:"true" description:"岗位（在岗在前，含历史）"`
	Pairings  int       `json:"pairings" readOnly:"true" description:"在帮结对户数"`
}

// CadreFilter selects cadres for a list.
type CadreFilter struct {
	Area   string // division code prefix of the managing area or an active posting
	Query  string // name contains
	Role   string // has an active posting with this role
	UnitID int64
	Offset int
	Limit  int
}

// CadrePage is one page of cadres.
type CadrePage struct {
	Items []Cadre `json:"items"`
	Total int     `json:"total"`
}

// Validate trims and checks a cadre for saving (name, ID number against
// today, phone, political status, managing area) and normalises the ID
// number and phone. Errors: invalid, with every bad field named.
func (c *Cadre) Validate(today fupin.Date) error {
	errs := fupin.FieldErrors{}
	TrimLen(errs, "name", &c.Name, 40, true)
	TrimLen(errs, "post", &c.Post, 100, false)
	TrimLen(errs, "rank", &c.Rank, 40, false)
	TrimLen(errs, "unit_name", &c.UnitName, 100, false)
	if id, err := idcard.Parse(c.IDNumber, today.Time()); err != nil {
		errs.Add("id_number", err.Error())
	} else {
		c.IDNumber = id.Number
	}
	c.Phone = fupin.NormalizePhone(c.Phone)
	if c.Phone != "" && (len(c.Phone) < 7 || len(c.Phone) > 20 || strings.Trim(c.Phone, "0123456789+-") != "") {
		errs.Add("phone", "联系电话格式不正确")
	}
	if c.Political != "" && !PoliticalStatuses.Has(c.Political) {
		errs.Add("political", "政治面貌不在代码表中："+c.Political)
	}
	c.AreaCode = strings.TrimSpace(c.AreaCode)
	CheckAreaCode(errs, "area_code", c.AreaCode, false)
	return errs.Err()
}
