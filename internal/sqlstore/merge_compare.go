package sqlstore

import "fupin/internal/fupin"

// sameHousehold reports whether two households store the same values in
// every households column: what an UPDATE of one over the other would
// write. It compares the driver-native values, without reflection, so that
// a re-import of an unchanged file spends little on each household.
func sameHousehold(a, b *fupin.Household) bool {
	return sameValues(householdArgs(a), householdArgs(b))
}

// sameValues compares two argument lists as they would be stored (dates
// as text, pointers dereferenced, numbers widened).
func sameValues(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := appendNative(nil, false, a...), appendNative(nil, false, b...)
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// memberCmp is a member's stored fields in a form comparable with ==: ids
// cleared, dates in one canonical form and an empty join reason as the
// "registered" it is stored as (the fields memberKey covers).
func memberCmp(m *fupin.Member) fupin.Member {
	c := *m
	c.ID, c.HouseholdID = 0, 0
	if c.JoinReason == "" {
		c.JoinReason = "registered"
	}
	c.BirthDate, c.JoinedOn, c.LeftOn = canonDate(c.BirthDate), canonDate(c.JoinedOn), canonDate(c.LeftOn)
	return c
}

func canonDate(d fupin.Date) fupin.Date {
	if d.IsZero() {
		return fupin.Date{}
	}
	return fupin.DateOf(d.Time())
}
