package fupin

import "strings"

// Actor is who is calling: a name for the audit log and the areas (division
// code prefixes such as "500236266") whose records they may see. Every store
// method takes an Actor and limits its queries to those areas.
type Actor struct {
	Name  string
	Areas []string
}

// SystemActor may see every area; the CLI and the demo loader use it.
func SystemActor(name string) Actor { return Actor{Name: name, Areas: []string{""}} }

// Covers reports whether code lies within one of the actor's areas.
func (a Actor) Covers(code string) bool {
	for _, p := range a.Areas {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// Narrow returns the prefixes to query for a requested area: the requested
// prefix where it lies inside one of the actor's areas, the actor's areas
// that lie inside the requested one, or nothing when they do not overlap.
func (a Actor) Narrow(area string) []string {
	var out []string
	for _, p := range a.Areas {
		switch {
		case strings.HasPrefix(area, p):
			return []string{area}
		case strings.HasPrefix(p, area):
			out = append(out, p)
		}
	}
	return out
}

// HouseholdFilter selects households for a list.
type HouseholdFilter struct {
	Area        string // division code prefix
	Type        string
	PovertyAttr string
	MonitorType string
	// Monitored limits to households with any monitoring type when true.
	Monitored bool
	Query     string // head name, 户编号 or member ID number
	Deleted   bool   // list soft-deleted households instead of live ones
	Sort      string // one of HouseholdSorts, "-" prefix for descending
	Offset    int
	Limit     int

	// NoIDSearch keeps Query off ID numbers, for callers who may not see
	// them: a prefix search would rebuild a masked number digit by digit.
	NoIDSearch bool
}

// HouseholdSorts are the columns a household list may be sorted by.
var HouseholdSorts = []string{"id", "household_no", "village_code", "head_name", "size", "updated_at"}

// Validate checks codes, sort and paging; Limit 0 becomes 20.
func (f *HouseholdFilter) Validate() error {
	errs := FieldErrors{}
	checkCode(errs, "household_type", f.Type, HouseholdTypes, false)
	checkCode(errs, "poverty_attr", f.PovertyAttr, PovertyAttrs, false)
	checkCode(errs, "monitor_type", f.MonitorType, MonitorTypes, false)
	if strings.Trim(f.Area, "0123456789") != "" || len(f.Area) > 12 {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if s := strings.TrimPrefix(f.Sort, "-"); s != "" && !contains(HouseholdSorts, s) {
		errs.Add("sort", "不支持按此字段排序："+s)
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	if f.Limit < 0 || f.Limit > 500 {
		errs.Add("limit", "每页条数应在 1–500 之间")
	}
	if f.Offset < 0 {
		errs.Add("offset", "偏移量不能为负")
	}
	if len([]rune(f.Query)) > 50 {
		errs.Add("q", "搜索词过长")
	}
	return errs.Err()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
