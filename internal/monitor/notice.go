package monitor

import "strings"

// Committee is the name of the body that signs and seals a public notice
// (公示) of the village or community named name: a 社区 (and a 居委会) is
// run by its 居民委员会, a village by its 村民委员会 (城乡社区组织：
// 《城市居民委员会组织法》《村民委员会组织法》).
//
//	天台村 → 天台村村民委员会    东街社区 → 东街社区居民委员会    东街居委会 → 东街居民委员会
func Committee(name string) string {
	switch {
	case strings.HasSuffix(name, "社区"):
		return name + "居民委员会"
	case strings.HasSuffix(name, "居民委员会"):
		return name
	case strings.HasSuffix(name, "居委会"):
		return strings.TrimSuffix(name, "居委会") + "居民委员会"
	case strings.HasSuffix(name, "村民委员会"):
		return name
	}
	return name + "村民委员会"
}

// CommitteeKind is 居民委员会 or 村民委员会: Committee without the name, for
// sentences such as the objection channel.
func CommitteeKind(name string) string {
	if strings.HasSuffix(Committee(name), "居民委员会") {
		return "居民委员会"
	}
	return "村民委员会"
}
