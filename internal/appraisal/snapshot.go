package appraisal

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fupin/internal/fupin"
)

// Limits on a snapshot request.
const (
	MaxName = 100 // characters of a snapshot's name
	MinYear = 2013
	MaxYear = 2100
)

// Snapshot is a frozen copy of an area's registry (households, members,
// income years, the year's verdicts with reasons) taken at CreatedAt. It is
// never changed after it is taken: later edits to the registry write new row
// versions and leave the versions a snapshot refers to alone.
type Snapshot struct {
	ID         int64      `json:"id" readOnly:"true"`
	Name       string     `json:"name" description:"名称，如 2025 年度成效考核基数"`
	Year       int        `json:"year" required:"true" description:"考核年度（核查结论取该年度）"`
	AreaCode   string     `json:"area_code" required:"true" description:"区域（县、乡镇或村的区划代码）"`
	AsOf       fupin.Date `json:"as_of" description:"所代表的日期（默认为拍快照当天）；内容是拍快照时的数据"`
	Households int        `json:"households" readOnly:"true" description:"户数"`
	People     int        `json:"people" readOnly:"true" description:"在册人数（未减员）"`
	NewRows    int        `json:"new_rows" readOnly:"true" description:"本快照新写入的核查结论版本数（其余与以前的快照共用；农户、成员和收入在修改前才复制）"`
	CreatedBy  string     `json:"created_by" readOnly:"true"`
	CreatedAt  time.Time  `json:"created_at" readOnly:"true"`
}

// Normalize trims the name, defaults it and as_of, and checks the fields
// with Chinese messages keyed by field. today is the caller's day (CST).
func (s *Snapshot) Normalize(today fupin.Date) error {
	errs := fupin.FieldErrors{}
	s.Name = strings.TrimSpace(s.Name)
	if utf8.RuneCountInString(s.Name) > MaxName {
		errs.Add("name", "名称不能超过 100 个字")
	}
	if s.Year < MinYear || s.Year > MaxYear {
		errs.Add("year", "考核年度应在 2013–2100 之间")
	}
	if s.AreaCode == "" || len(s.AreaCode) > 12 || strings.Trim(s.AreaCode, "0123456789") != "" {
		errs.Add("area_code", "区域应为统计用区划代码")
	}
	if s.AsOf.IsZero() {
		s.AsOf = today
	} else if s.AsOf.After(today) {
		errs.Add("as_of", "所代表的日期不能晚于今天")
	}
	if s.Name == "" {
		s.Name = strconv.Itoa(s.Year) + " 年度快照（" + s.AsOf.String() + "）"
	}
	return errs.Err()
}
