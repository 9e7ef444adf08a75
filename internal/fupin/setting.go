package fupin

import (
	"fmt"
	"strings"
)

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

// SettingDef is one configurable number of a settings family stored by
// area (the aid rules, aid.SettingDefs; the monitoring time limits,
// monitor.LimitDefs): its key, label and unit, its default, the bounds a
// stored value must keep and the practice it follows (Source). Both
// families answer their definitions in this one shape, and the console
// edits both with one table.
type SettingDef struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Unit    string `json:"unit"`
	Default int    `json:"default"`
	Min     int    `json:"min"`
	Max     int    `json:"max"`
	Source  string `json:"source"`
}

// SettingDefOf returns the definition of key in defs, nil when defs has none.
func SettingDefOf(defs []SettingDef, key string) *SettingDef {
	for i := range defs {
		if defs[i].Key == key {
			return &defs[i]
		}
	}
	return nil
}

// RangeError is the message for storing v under d when v is outside
// Min–Max ("" when it is inside). Values with a meaning of their own (0 to
// delete a row, monitor.NoLimit) are the caller's to allow first.
func (d SettingDef) RangeError(v int) string {
	if v >= d.Min && v <= d.Max {
		return ""
	}
	return fmt.Sprintf("%s应在 %d–%d %s之间", d.Label, d.Min, d.Max, d.Unit)
}
