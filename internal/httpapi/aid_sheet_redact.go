package httpapi

import (
	"fupin/internal/aid"
	"fupin/internal/redact"
)

// redactRotation masks, for roles that may not see identities, the ID and
// phone numbers people typed into a rotation's free text, and the birth
// dates of those ID numbers, before it is printed as a handover sheet
// (JSON answers are masked by identityFilter).
func redactRotation(r *aid.Rotation) {
	fields := []*string{&r.Title, &r.Note}
	for i := range r.Entries {
		fields = append(fields, &r.Entries[i].Title, &r.Entries[i].Detail)
	}
	cells := make([]string, len(fields))
	for i, f := range fields {
		cells[i] = *f
	}
	redact.Row(cells, nil)
	for i, f := range fields {
		*f = cells[i]
	}
}
