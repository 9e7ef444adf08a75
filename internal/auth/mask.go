package auth

import (
	"strings"
	"unicode/utf8"
)

// MaskPhone hides the middle of a phone number for roles that do not see
// identity data (Role.SeesIdentity): numbers of 11 characters or more keep
// the first 3 and the last 4 ("13987654321" → "139****4321"); shorter ones
// of at least 6 characters keep the first 3 and the last 2
// ("8123456" → "812**56"); anything shorter becomes all '*' of the same
// length. Length is counted in characters; the input is not normalised.
func MaskPhone(s string) string {
	n := utf8.RuneCountInString(s)
	keepHead, keepTail := 3, 4
	switch {
	case n < 6:
		return strings.Repeat("*", n)
	case n < 11:
		keepTail = 2
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if i < keepHead || i >= n-keepTail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}
