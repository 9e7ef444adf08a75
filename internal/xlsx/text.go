package xlsx

import (
	"bytes"
	"unicode/utf8"
)

// appendText appends text to dst with XML entities decoded (CDATA is taken as it is).
func appendText(dst []byte, t *token) []byte {
	if t.cdata {
		return append(dst, t.text...)
	}
	return appendRaw(dst, t.text)
}

// appendRaw appends raw text to dst with XML entities decoded. An unknown or malformed entity
// is kept as it is.
func appendRaw(dst, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		j := bytes.IndexByte(raw, ';')
		if j < 0 || j > 12 {
			dst = append(dst, '&')
			raw = raw[1:]
			continue
		}
		if r, ok := entity(raw[1:j]); ok {
			dst = utf8.AppendRune(dst, r)
		} else {
			dst = append(dst, raw[:j+1]...)
		}
		raw = raw[j+1:]
	}
}

func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	base, digits := 10, name[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		d := hexVal(c)
		if d < 0 || d >= base {
			return 0, false
		}
		r = r*rune(base) + rune(d)
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	return r, true
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unescapeX decodes the _xHHHH_ escapes (ECMA-376 ST_Xstring) that Excel uses for characters
// XML 1.0 cannot carry, such as _x000D_ for a carriage return, in place. _x005F_ is '_'.
// Surrogate pairs written as two escapes are joined.
func unescapeX(b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	w := i
	for i < len(b) {
		r, ok := xEscape(b[i:])
		if !ok {
			b[w] = b[i]
			w, i = w+1, i+1
			continue
		}
		i += 7
		if utf16High(r) {
			if lo, ok := xEscape(b[i:]); ok && utf16Low(lo) {
				r, i = (r-0xD800)<<10+(lo-0xDC00)+0x10000, i+7
			}
		}
		w += utf8.EncodeRune(b[w:], r) // 7 input bytes became at most 4
	}
	return b[:w]
}

func xEscape(b []byte) (rune, bool) {
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		d := hexVal(c)
		if d < 0 {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func utf16High(r rune) bool { return 0xD800 <= r && r < 0xDC00 }
func utf16Low(r rune) bool  { return 0xDC00 <= r && r < 0xE000 }
