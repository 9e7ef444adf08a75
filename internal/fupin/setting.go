package fupin

import "strings"

// Settings by area: the policy parameters (criteria) and the aid rules (aid)
// are both values stored for an area prefix ("" is the whole country) from
// a year on, in one table (policy_params; aid keys carry SettingPrefixAid, monitoring limits SettingPrefixMonitor).
// These two functions are the one rule that picks the row in force.

// SettingPrefixAid marks the aid rules' keys in the shared settings table.
const SettingPrefixAid = "aid."

// SettingPrefixMonitor marks the monitoring time limits' keys (monitor.Limits)
// in the shared settings table.
const SettingPrefixMonitor = "monitor."

// SettingApplies reports whether a row stored for rowArea from rowYear on
// applies to area in year: its area is a prefix of area and its year is not
// after year.
func SettingApplies(rowArea string, rowYear int, area string, year int) bool {
	return rowYear <= year && strings.HasPrefix(area, rowArea)
}

// SettingBeats reports whether an applicable row (area a, year ay) takes
// precedence over another applicable row of the same key (area b, year by):
// the longer area prefix wins, then the later year.
func SettingBeats(a string, ay int, b string, by int) bool {
	return len(a) > len(b) || len(a) == len(b) && ay > by
}
