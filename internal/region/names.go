package region

import "strings"

// shortName derives the display name of a village-level unit from its name
// as published by stripping the committee suffix where the result is
// unambiguous:
//
//	天台村村民委员会 → 天台村    黄屯村民委员会 → 黄屯村    武岩村委会 → 武岩村
//	平安社区居民委员会 → 平安社区  朝阳社区居委会 → 朝阳社区
//	东街居民委员会 → 东街居委会  巴彦嘎查村民委员会 → 巴彦嘎查
//
// A 村委会 or 村民委员会 is the committee of the village "stem+村" unless the
// stem already ends in 村, 社区 or 嘎查. A 居民委员会 or 居委会 whose stem is
// not a 社区 is only abbreviated to 居委会: many are named after a street or
// an estate, and calling them 社区 would be a guess. Other names (…社区,
// …村, …嘎查, …牧委会, …管理委员会, names with typos or trailing brackets)
// are kept as published. The caller (displayNames) falls back to the
// published name where two villages of a township would share a short name.
func shortName(full string) string {
	for _, s := range villageSuffixes {
		stem, ok := strings.CutSuffix(full, s)
		if !ok {
			continue
		}
		switch {
		case stem == "" || endsWithAny(stem, "委会", "委员会"): // 西张口村委会村民委员会
			return full
		case endsWithAny(stem, "村", "社区", "嘎查"):
			return stem
		default:
			return stem + "村"
		}
	}
	for _, s := range residentSuffixes {
		stem, ok := strings.CutSuffix(full, s)
		if !ok {
			continue
		}
		switch {
		case stem == "":
			return full
		case endsWithAny(stem, "社区", "嘎查"):
			return stem
		default:
			return stem + "居委会"
		}
	}
	for _, s := range []string{"嘎查委员会", "嘎查委会"} {
		if stem, ok := strings.CutSuffix(full, s); ok && stem != "" {
			return stem + "嘎查"
		}
	}
	if stem, ok := strings.CutSuffix(full, "社区委员会"); ok && stem != "" {
		return stem + "社区"
	}
	return full
}

// villageSuffixes are the spellings of 村民委员会 found in the data, longest
// first so that the stem keeps no part of the suffix.
var villageSuffixes = []string{"村民委员会", "村民委会", "村委员会", "村委会"}

// residentSuffixes are the spellings of 居民委员会 found in the data.
var residentSuffixes = []string{"居民委员会", "居民委会", "居委会"}

func endsWithAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
