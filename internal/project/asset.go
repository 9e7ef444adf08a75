package project

import (
	"fmt"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// Asset kinds, owners and statuses of 帮扶项目资产 (the assets projects
// leave, under the 2026 normalised supervision: 经营性、公益性、到户类).
var (
	AssetKinds    = fupin.CodeList{Name: "asset_kind", Label: "资产类别", Items: []fupin.CodeItem{{Code: "operating", Label: "经营性资产"}, {Code: "public", Label: "公益性资产"}, {Code: "household", Label: "到户类资产"}}}
	AssetOwners   = fupin.CodeList{Name: "asset_owner", Label: "产权归属", Items: []fupin.CodeItem{{Code: "state", Label: "国有"}, {Code: "collective", Label: "村集体"}, {Code: "household", Label: "农户"}}}
	AssetStatuses = fupin.CodeList{Name: "asset_status", Label: "资产状态", Items: []fupin.CodeItem{{Code: "operating", Label: "正常运营"}, {Code: "idle", Label: "闲置"}, {Code: "damaged", Label: "损毁待修"}, {Code: "disposed", Label: "已处置"}}}
)

// Asset is one asset in a village's register of 帮扶项目资产. An asset
// comes from an accepted project; its yearly checks (AssetCheck) record
// income and how much of it went to households.
type Asset struct {
	ID        int64       `json:"id" readOnly:"true"`
	ProjectID int64       `json:"project_id" required:"true" description:"形成资产的项目（须已验收）"`
	Name      string      `json:"name" required:"true" description:"资产名称"`
	Kind      string      `json:"kind" required:"true" description:"operating 经营性、public 公益性、household 到户类"`
	Owner     string      `json:"owner" required:"true" description:"产权归属：state 国有、collective 村集体、household 农户"`
	Village   string      `json:"village_code" required:"true" description:"资产所在村（12 位区划代码，须在项目实施地内）"`
	Value     fupin.Money `json:"value" required:"true" description:"资产原值（元）"`
	Operator  string      `json:"operator" description:"经营主体（经营性资产）"`
	Status    string      `json:"status" required:"true" description:"operating 正常运营、idle 闲置、damaged 损毁待修、disposed 已处置"`
	Note      string      `json:"note" description:"备注（收益分配办法等）"`

	VillageName string    `json:"village_name" readOnly:"true"`
	ProjectName string    `json:"project_name" readOnly:"true"`
	Version     int64     `json:"version" description:"乐观锁版本号，修改时必须带回"`
	CreatedBy   string    `json:"created_by" readOnly:"true"`
	CreatedAt   time.Time `json:"created_at" readOnly:"true"`
}

// Validate trims the text fields and checks codes, lengths and the value.
func (a *Asset) Validate() error {
	errs := fupin.FieldErrors{}
	text(errs, "name", &a.Name, MaxName, true)
	text(errs, "operator", &a.Operator, MaxName, false)
	text(errs, "note", &a.Note, MaxText, false)
	if a.ProjectID <= 0 {
		errs.Add("project_id", "须指明形成资产的项目")
	}
	if !AssetKinds.Has(a.Kind) {
		errs.Add("kind", "资产类别不在代码表中："+a.Kind)
	}
	if !AssetOwners.Has(a.Owner) {
		errs.Add("owner", "产权归属不在代码表中："+a.Owner)
	}
	if !AssetStatuses.Has(a.Status) {
		errs.Add("status", "资产状态不在代码表中："+a.Status)
	}
	a.Village = strings.TrimSpace(a.Village)
	if len(a.Village) != 12 || strings.Trim(a.Village, "0123456789") != "" {
		errs.Add("village_code", "资产所在村应为 12 位区划代码")
	}
	if a.Value <= 0 || a.Value > MaxAmount {
		errs.Add("value", "资产原值应大于 0 且不超过 100 亿元")
	}
	if a.Kind == "operating" && a.Operator == "" {
		errs.Add("operator", "经营性资产须写明经营主体")
	}
	return errs.Err()
}

// AssetCheck is the yearly check (年度核查) of an asset: its income that
// year and the part shared with households.
type AssetCheck struct {
	AssetID    int64       `json:"asset_id" readOnly:"true"`
	Year       int         `json:"year" readOnly:"true"`
	Income     fupin.Money `json:"income" description:"当年收益（元）"`
	Shared     fupin.Money `json:"shared" description:"其中分配给农户的（元）"`
	Households int         `json:"households" description:"分配到的农户数"`
	Status     string      `json:"status" required:"true" description:"核查时的资产状态"`
	Note       string      `json:"note" description:"核查意见"`
	CheckedBy  string      `json:"checked_by" readOnly:"true"`
	CheckedAt  time.Time   `json:"checked_at" readOnly:"true"`
}

// Validate checks the amounts (shared ≤ income), counts and status.
func (c *AssetCheck) Validate() error {
	errs := fupin.FieldErrors{}
	text(errs, "note", &c.Note, MaxText, false)
	if c.Year < 2013 || c.Year > 2100 {
		errs.Add("year", "核查年度应在 2013–2100 之间")
	}
	if c.Income < 0 || c.Income > MaxAmount {
		errs.Add("income", "当年收益应在 0 到 100 亿元之间")
	}
	switch {
	case c.Shared < 0:
		errs.Add("shared", "分配金额不能为负")
	case c.Shared > c.Income:
		errs.Add("shared", fmt.Sprintf("分配给农户的 %s 元超过当年收益 %s 元", c.Shared, c.Income))
	}
	if c.Households < 0 || c.Households > 100_000 {
		errs.Add("households", "分配农户数应在 0–100000 之间")
	}
	if c.Shared > 0 && c.Households == 0 {
		errs.Add("households", "有分配金额时须填写分配到的农户数")
	}
	if !AssetStatuses.Has(c.Status) {
		errs.Add("status", "资产状态不在代码表中："+c.Status)
	}
	return errs.Err()
}

// CheckAssetSource reports whether an asset may be registered from a
// project: it must be accepted, and the asset's village must lie in the
// project's area. Errors: conflict (status), invalid (village).
func CheckAssetSource(p *Project, a *Asset) error {
	if p.Status != StatusAccepted {
		return fupin.Errorf(fupin.EConflict, "项目「%s」尚未验收，验收后才能登记资产", p.Name)
	}
	if !strings.HasPrefix(a.Village, p.AreaCode) {
		errs := fupin.FieldErrors{}
		errs.Add("village_code", "资产所在村不在项目实施地内")
		return errs.Err()
	}
	return nil
}
