package ledger

import (
	"cmp"
	"slices"
	"strings"
)

// Recurrence is how many findings recurred (反弹) for one responsible unit
// and category, as found by 回头看.
type Recurrence struct {
	Unit     string `json:"unit" description:"牵头单位"`
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// CountRecurrences counts the findings that are recurrences of an earlier
// finding (RecurrenceOf set) per lead unit and category, most first, then
// by unit and category.
func CountRecurrences(fs []Finding) []Recurrence {
	type key struct{ unit, cat string }
	n := map[key]int{}
	for _, f := range fs {
		if f.RecurrenceOf != nil {
			n[key{f.LeadUnit, f.Category}]++
		}
	}
	out := make([]Recurrence, 0, len(n))
	for k, c := range n {
		out = append(out, Recurrence{Unit: k.unit, Category: k.cat, Count: c})
	}
	slices.SortFunc(out, func(a, b Recurrence) int {
		return cmp.Or(b.Count-a.Count, strings.Compare(a.Unit, b.Unit), strings.Compare(a.Category, b.Category))
	})
	return out
}

// Recurred returns the finding that reopens f after a 回头看 found it
// recurred: a new finding under the re-inspection, linked to f, with the
// same area, category and units, not started, due on the new deadline.
func Recurred(f Finding, recheckInspection int64, description string) Finding {
	id := f.ID
	return Finding{
		InspectionID: recheckInspection,
		Number:       f.Number + "-回",
		Category:     f.Category,
		Description:  description,
		AreaCode:     f.AreaCode,
		CountyLevel:  f.CountyLevel,
		LeadUnit:     f.LeadUnit,
		Responsible:  f.Responsible,
		Person:       f.Person,
		Measures:     f.Measures,
		Kind:         f.Kind,
		RecurrenceOf: &id,
		Status:       StatusNotStarted,
	}
}
