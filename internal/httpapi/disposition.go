package httpapi

import (
	"strings"
	"unicode/utf8"
)

// attachment is a Content-Disposition value for a download (RFC 6266): an ASCII fallback
// name, in which anything but letters, digits, '.', '-' and '_' becomes '_' (so that no
// quote, semicolon or line break from a name can reach the header), and the real name as
// filename* in UTF-8, percent-encoded outside RFC 8187's attr-char.
func attachment(asciiName, name string) string {
	var fb strings.Builder
	for _, c := range asciiName {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			fb.WriteRune(c)
		default:
			fb.WriteByte('_')
		}
	}
	if name == "" || !utf8.ValidString(name) {
		name = fb.String()
	}
	const hex = "0123456789ABCDEF"
	var enc strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			enc.WriteByte(c)
		} else {
			enc.WriteByte('%')
			enc.WriteByte(hex[c>>4])
			enc.WriteByte(hex[c&15])
		}
	}
	return `attachment; filename="` + fb.String() + `"; filename*=UTF-8''` + enc.String()
}
