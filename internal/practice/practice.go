package practice

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fupin/internal/fupin"
)

// Bounds of a practice, checked before anything is stored.
const (
	MaxTitle     = 100  // characters
	MaxText      = 5000 // characters of problem, actions or results
	MaxFigures   = 20
	MaxThemes    = 5
	MaxLabel     = 50 // characters of a figure's label
	MaxUnit      = 10 // characters of a figure's unit
	MaxDocuments = 10 // documents per practice
	MaxQuery     = 50 // characters of a search
	MaxFigure    = 1e12
)

// Themes are the subjects a practice is filed under (帮扶领域).
var Themes = fupin.CodeList{Name: "theme", Label: "帮扶领域", Items: []fupin.CodeItem{
	{Code: "industry", Label: "产业帮扶"}, {Code: "employment", Label: "就业帮扶"}, {Code: "relocation", Label: "易地搬迁后续扶持"},
	{Code: "education", Label: "教育帮扶"}, {Code: "health", Label: "健康帮扶"}, {Code: "housing", Label: "住房安全"},
	{Code: "water", Label: "饮水安全"}, {Code: "monitoring", Label: "防返贫动态监测"}, {Code: "rectification", Label: "问题整改"},
	{Code: "forces", Label: "帮扶力量与驻村工作"}, {Code: "assets", Label: "项目资产管理"}, {Code: "consumption", Label: "消费帮扶"},
	{Code: "governance", Label: "乡村治理"}, {Code: "other", Label: "其他"},
}}

// Statuses of a practice.
const (
	StatusProposed  = "proposed"  // 推荐（待审核）
	StatusPublished = "published" // 已入库
	StatusWithdrawn = "withdrawn" // 已撤回
)

// Statuses lists the statuses with their labels.
var Statuses = fupin.CodeList{Name: "status", Label: "案例状态", Items: []fupin.CodeItem{
	{Code: StatusProposed, Label: "推荐待审"}, {Code: StatusPublished, Label: "已入库"}, {Code: StatusWithdrawn, Label: "已撤回"},
}}

// Sources are the records a practice is proposed from, and the records a
// figure may come from.
var Sources = fupin.CodeList{Name: "source", Label: "来源记录", Items: []fupin.CodeItem{
	{Code: "finding", Label: "整改问题"}, {Code: "rotation", Label: "轮换交接"}, {Code: "project", Label: "帮扶项目"},
	{Code: "round", Label: "抽查轮次"}, {Code: "asset", Label: "项目资产"},
}}

// Figure is one result in numbers (成效数据), such as 已整改 12 户 or 户均增收
// 3,200 元, with the record it was taken from so a reader can check it.
type Figure struct {
	Label    string  `json:"label" required:"true" description:"指标名称，如 已整改户数"`
	Value    float64 `json:"value" required:"true" description:"数值"`
	Unit     string  `json:"unit" description:"单位，如 户、元、%"`
	Source   string  `json:"source" description:"数据来源记录：finding 整改问题、rotation 轮换交接、project 帮扶项目、round 抽查轮次、asset 项目资产；空为填报"`
	SourceID int64   `json:"source_id,omitempty" description:"来源记录编号"`
}

// Document is a file attached to a practice (材料), without its bytes.
type Document struct {
	ID          int64     `json:"id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// Practice is a case of the library.
type Practice struct {
	ID       int64    `json:"id" readOnly:"true"`
	Title    string   `json:"title" required:"true" description:"案例名称（100 字以内）"`
	AreaCode string   `json:"area_code" required:"true" description:"案例所在区域（县、乡镇或村的区划代码）"`
	Themes   []string `json:"themes" required:"true" description:"帮扶领域（1–5 个）：industry 产业帮扶、employment 就业帮扶、relocation 易地搬迁后续扶持、education 教育、health 健康、housing 住房安全、water 饮水安全、monitoring 防返贫动态监测、rectification 问题整改、forces 帮扶力量与驻村工作、assets 项目资产管理、consumption 消费帮扶、governance 乡村治理、other 其他"`
	Problem  string   `json:"problem" required:"true" description:"面临的问题"`
	Actions  string   `json:"actions" required:"true" description:"主要做法"`
	Results  string   `json:"results" required:"true" description:"取得的成效（文字）"`
	Figures  []Figure `json:"figures" description:"成效数据（最多 20 项），注明来源记录"`
	// Source is the record the practice was proposed from ("" when typed).
	Source   string `json:"source" description:"由哪条记录推荐：finding 已销号的整改问题、rotation 已完成的轮换；空为直接填报"`
	SourceID int64  `json:"source_id,omitempty" description:"来源记录编号"`

	AreaName    string     `json:"area_name" readOnly:"true"`
	Initials    string     `json:"initials" readOnly:"true" description:"名称的拼音首字母（检索用）"`
	Status      string     `json:"status" readOnly:"true" description:"proposed 推荐待审、published 已入库、withdrawn 已撤回"`
	Documents   []Document `json:"documents" readOnly:"true"`
	Version     int64      `json:"version" description:"乐观锁版本号，修改时必须带回"`
	CreatedBy   string     `json:"created_by" readOnly:"true"`
	CreatedAt   time.Time  `json:"created_at" readOnly:"true"`
	PublishedBy string     `json:"published_by" readOnly:"true"`
	PublishedAt *time.Time `json:"published_at" readOnly:"true"`
}

// Validate trims the text fields and checks lengths, codes, the area and
// the figures, with Chinese messages keyed by field path (figures[2].label).
func (p *Practice) Validate() error {
	errs := fupin.FieldErrors{}
	text(errs, "title", &p.Title, MaxTitle)
	text(errs, "problem", &p.Problem, MaxText)
	text(errs, "actions", &p.Actions, MaxText)
	text(errs, "results", &p.Results, MaxText)
	p.AreaCode = strings.TrimSpace(p.AreaCode)
	if n := len(p.AreaCode); (n != 6 && n != 9 && n != 12) || strings.Trim(p.AreaCode, "0123456789") != "" {
		errs.Add("area_code", "应为县（6 位）、乡镇（9 位）或村（12 位）区划代码")
	}
	switch {
	case len(p.Themes) == 0:
		errs.Add("themes", "至少选择一个帮扶领域")
	case len(p.Themes) > MaxThemes:
		errs.Add("themes", fmt.Sprintf("最多选择 %d 个帮扶领域", MaxThemes))
	default:
		seen := map[string]bool{}
		for i, t := range p.Themes {
			if !Themes.Has(t) || seen[t] {
				errs.Add(fmt.Sprintf("themes[%d]", i), "帮扶领域不在代码表中或重复："+t)
			}
			seen[t] = true
		}
	}
	if len(p.Figures) > MaxFigures {
		errs.Add("figures", fmt.Sprintf("成效数据最多 %d 项", MaxFigures))
	} else {
		for i := range p.Figures {
			p.Figures[i].check(errs, fmt.Sprintf("figures[%d].", i))
		}
	}
	if p.Source != "" && p.Source != "finding" && p.Source != "rotation" || p.Source != "" && p.SourceID <= 0 {
		errs.Add("source", "只能由已销号的整改问题（finding）或已完成的轮换（rotation）推荐")
	}
	if p.Figures == nil {
		p.Figures = []Figure{}
	}
	return errs.Err()
}

func (f *Figure) check(errs fupin.FieldErrors, path string) {
	text(errs, path+"label", &f.Label, MaxLabel)
	f.Unit = strings.TrimSpace(f.Unit)
	if utf8.RuneCountInString(f.Unit) > MaxUnit {
		errs.Add(path+"unit", fmt.Sprintf("不能超过 %d 个字", MaxUnit))
	}
	if f.Value != f.Value || f.Value > MaxFigure || f.Value < -MaxFigure {
		errs.Add(path+"value", "数值超出范围")
	}
	switch {
	case f.Source == "" && f.SourceID != 0:
		errs.Add(path+"source", "写了来源编号须注明来源类别")
	case f.Source != "" && !Sources.Has(f.Source):
		errs.Add(path+"source", "来源类别不在代码表中："+f.Source)
	case f.Source != "" && f.SourceID <= 0:
		errs.Add(path+"source_id", "须写明来源记录编号")
	}
}

func text(errs fupin.FieldErrors, path string, s *string, max int) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "":
		errs.Add(path, "不能为空")
	case utf8.RuneCountInString(*s) > max:
		errs.Add(path, fmt.Sprintf("不能超过 %d 个字", max))
	}
}
