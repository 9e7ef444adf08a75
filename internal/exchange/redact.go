package exchange

import (
	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/redact"
	"fupin/internal/sqlstore"
)

// Masker hides ID and phone numbers for callers who may not see them (see
// package redact for the rule); Export then also masks identities typed
// into free text and every spelling of a member's birth date.
func Masker(maskIdentity bool) func(string) string {
	if !maskIdentity {
		return nil
	}
	return func(s string) string {
		if len(s) >= 15 {
			return idcard.Mask(s)
		}
		return redact.Phone(s)
	}
}

// redactHousehold masks the rows of one household for a masked export:
// ID and mobile numbers in any cell, and the members' birth dates (a
// newborn's joining date is its birth date).
func redactHousehold(h *fupin.Household, rows [][]string) {
	dates := map[string]bool{}
	for i := range h.Members {
		if d := h.Members[i].BirthDate; !d.IsZero() {
			dates[d.String()] = true
		}
	}
	for _, row := range rows {
		redact.Row(row, dates)
	}
}

// RedactErrors masks import errors for callers who may not see
// identities: every ID and mobile number, and the birth dates of the ID
// numbers in the same row, in the value, the reason and the original
// cells.
func RedactErrors(errs []sqlstore.ImportError) {
	for i := range errs {
		e := &errs[i]
		row := append([]string{e.Value, e.Reason}, e.Cells...)
		redact.Row(row, nil)
		e.Value, e.Reason = row[0], row[1]
		copy(e.Cells, row[2:])
	}
}
