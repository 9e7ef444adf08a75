package layout

import (
	"strings"

	"fupin/internal/region"
)

// location is the outcome of resolving a household's place.
type location struct {
	code   string  // 12-digit village code
	field  fieldID // the column a problem is reported on
	reason string  // "" when code is good
}

// villageCode checks a 村代码 cell: 12 digits naming an existing village
// (2023 codes) inside the import's area.
func (d *Decoder) villageCode(code string) location {
	if r, ok := d.codeCache[code]; ok {
		return r
	}
	r := location{code: code, field: fVillageCode}
	switch {
	case len(code) != 12 || !isDigits(code):
		r.reason = "村代码“" + code + "”应为 12 位数字（村级统计用区划代码）"
	case !region.IsVillage(code):
		r.reason = "村代码“" + code + "”不是 " + region.Vintage + " 年版统计用区划代码中的村"
	}
	d.codeCache[strings.Clone(code)] = r
	return r
}

// resolve finds the village code for the names in the 县, 乡(镇) and 行政村
// columns, below the import's area, through Options.Resolve when set or
// else the embedded division codes. Results are cached per name triple.
func (d *Decoder) resolve(county, township, village string) location {
	key := county + "\x00" + township + "\x00" + village
	if r, ok := d.nameCache[key]; ok {
		return r
	}
	var r location
	if d.opts.Resolve != nil {
		code, err := d.opts.Resolve(county, township, village)
		r = location{code: code, field: fVillage}
		if err != nil {
			r.reason = err.Error()
		}
	} else {
		r = resolveNames(d.area, [3]string{county, township, village})
	}
	d.nameCache[key] = r
	return r
}

var nameLevels = [3]struct {
	f     fieldID
	n     int
	level region.Level
	label string
}{
	{fCounty, 6, region.LevelCounty, "县"},
	{fTownship, 9, region.LevelTownship, "乡(镇)"},
	{fVillage, 12, region.LevelVillage, "行政村"},
}

// resolveNames walks down from area: a level that area already fixes only
// has its name checked; below it each name must match exactly one region.
func resolveNames(area string, names [3]string) location {
	cur := area
	for k, lv := range nameLevels {
		name := ToSimplified(names[k])
		if len(cur) >= lv.n {
			if name == "" {
				continue
			}
			if r, err := region.Lookup(cur[:lv.n]); err == nil && !nameMatch(r, name) {
				return location{field: lv.f, reason: lv.label + "“" + name + "”不在导入区域（" + r.Name + "）内"}
			}
			continue
		}
		if name == "" {
			return location{field: lv.f, reason: "缺少" + lv.label + "名称，无法确定所在村；请填写" + lv.label + "或村代码"}
		}
		var found, exact []region.Region
		for _, r := range region.Search(trimPlaceSuffix(name), cur, 500) {
			if r.Level == lv.level && nameMatch(r, name) {
				found = append(found, r)
				if name == r.Name || name == r.FullName {
					exact = append(exact, r)
				}
			}
		}
		if len(exact) > 0 {
			found = exact
		}
		where := "全国"
		if cur != "" {
			if r, err := region.Lookup(cur); err == nil {
				where = r.Name
			}
		}
		switch len(found) {
		case 0:
			return location{field: lv.f, reason: "在" + where + "找不到" + lv.label + "“" + name + "”"}
		case 1:
			cur = found[0].Code
		default:
			return location{field: lv.f, reason: where + "有 " + itoa(len(found)) + " 个名为“" + name + "”的" + lv.label + "，请填写村代码"}
		}
	}
	return location{code: cur, field: fVillage}
}

var placeSuffixes = []string{"村民委员会", "居民委员会", "村委会", "居委会", "街道", "社区", "县", "区", "市", "乡", "镇", "村"}

// trimPlaceSuffix drops a trailing 县/乡/镇/村 … so that a search for
// "平安乡" also finds a region published as "平安"-something.
func trimPlaceSuffix(s string) string {
	for _, suf := range placeSuffixes {
		if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
			return t
		}
	}
	return s
}

// nameMatch reports whether a name from a file denotes r: its display or
// published name, with or without the usual suffix.
func nameMatch(r region.Region, name string) bool {
	if name == r.Name || name == r.FullName {
		return true
	}
	t := trimPlaceSuffix(name)
	return t == trimPlaceSuffix(r.Name) || t == trimPlaceSuffix(r.FullName)
}
