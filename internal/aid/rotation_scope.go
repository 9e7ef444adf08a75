package aid

import (
	"fupin/internal/fupin"
)

// scopeTo hides what lies outside the actor's areas: a rotation belongs to a township, and a
// village or aid-unit user who may read it sees only the items (postings) whose area overlaps
// theirs (their own village's, and the township-wide ones) and the handover entries of those
// items, without the households of other villages; the rest is counted in HiddenItems and
// HiddenEntries. Users whose areas cover the township see everything. It returns r.
func (r *Rotation) ScopeTo(actor fupin.Actor) *Rotation {
	if r == nil || actor.Covers(r.AreaCode) {
		return r
	}
	hidden := map[int64]bool{}
	items := r.Items[:0:0]
	for _, it := range r.Items {
		if Sees(actor, it.AreaCode) {
			items = append(items, it)
		} else {
			hidden[it.ID] = true
		}
	}
	entries := r.Entries[:0:0]
	for _, e := range r.Entries {
		switch {
		case e.ItemID != nil && hidden[*e.ItemID]:
		case e.Village != "" && !actor.Covers(e.Village):
		case e.ItemID == nil && e.Kind == "household":
			// a household entry whose household is unknown: not shown outside the township
		default:
			entries = append(entries, e)
			continue
		}
		r.HiddenEntries++
	}
	r.HiddenItems = len(r.Items) - len(items)
	r.Items, r.Entries = items, entries
	return r
}
