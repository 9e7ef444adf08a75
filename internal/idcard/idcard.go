// Package idcard parses and validates Chinese resident identity numbers
// (公民身份号码, GB 11643-1999) as they appear in registry files and forms.
//
// Input is normalised before validation: whitespace of any kind is removed,
// full-width characters are folded to ASCII and a lowercase x becomes X.
// Old 15-digit numbers are upgraded to the 18-character form. Numbers that
// Excel has turned into scientific notation are rejected, since their
// trailing digits are lost and cannot be recovered.
package idcard

import (
	"fmt"
	"strings"
	"time"
)

// Sex of the holder as derived from the sequence digit.
type Sex string

// Sex values: an odd sequence number means male, an even one female.
const (
	Male   Sex = "male"
	Female Sex = "female"
)

// Label returns 男 / 女, or "" for an unknown value.
func (s Sex) Label() string {
	switch s {
	case Male:
		return "男"
	case Female:
		return "女"
	}
	return ""
}

// ID is a validated, normalised 18-character number.
type ID struct {
	Number   string    // normalised 18 characters, uppercase X
	Region   string    // first 6 digits
	Birth    time.Time // birth date at 00:00 UTC
	Sex      Sex
	Upgraded bool // true when the input had 15 digits
}

// Kind classifies why a number was rejected (stable English codes).
type Kind string

// Rejection kinds reported in Error.Kind.
const (
	KindEmpty      Kind = "empty"               // nothing left after removing whitespace
	KindScientific Kind = "scientific_notation" // mangled by Excel into e.g. 4.10105E+17
	KindLength     Kind = "length"              // neither 18 nor 15 characters
	KindChars      Kind = "chars"               // a character other than a digit or a final X
	KindProvince   Kind = "province"            // first two digits are not a province-level code
	KindDate       Kind = "date"                // birth date is not real or out of range
	KindCheck      Kind = "check"               // check character does not match
)

// Error is returned by Parse; Error() returns the Chinese message.
type Error struct {
	Kind    Kind   // machine-readable reason
	Input   string // the raw input exactly as passed to Parse
	Message string // user-facing explanation in Simplified Chinese
}

// Error returns the Chinese message.
func (e *Error) Error() string { return e.Message }

// minBirth is the earliest accepted birth date.
var minBirth = time.Date(1890, time.January, 1, 0, 0, 0, 0, time.UTC)

// Parse normalises raw and validates it; today bounds the birth date. Errors are always *Error.
//
// Only the calendar date of today (in its own location) is used: a birth
// date later than that day is rejected. A clean 18-character ASCII input
// (digits with an optional final uppercase X) is validated without
// allocating.
func Parse(raw string, today time.Time) (ID, error) {
	s := raw
	upgraded := false
	if !isClean(raw) {
		s = normalise(raw)
		if err := checkShape(raw, s); err != nil {
			return ID{}, err
		}
		if len(s) == 15 {
			s = upgrade(s)
			upgraded = true
		}
	}
	id, err := validate18(raw, s, today)
	if err != nil {
		return ID{}, err
	}
	id.Upgraded = upgraded
	return id, nil
}

// isClean reports whether s is 17 ASCII digits followed by a digit or 'X'.
func isClean(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return isDigit(s[17]) || s[17] == 'X'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// normalise removes all whitespace and invisible separators, a leading
// apostrophe (Excel's "store as text" marker), folds full-width ASCII
// (U+FF01–U+FF5E) to ASCII and turns x into X.
func normalise(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	raw = strings.TrimLeft(strings.TrimSpace(raw), "'‘’")
	for _, r := range raw {
		if isSpace(r) {
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if r == 'x' {
			r = 'X'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isSpace reports whether r is whitespace (ASCII, NBSP, U+3000 and the other
// Unicode spaces) or an invisible character often pasted along with numbers.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
		0x202F, 0x205F, 0x3000, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// checkShape validates the normalised string s up to (not including) the
// province, date and check-character rules. On success s is 15 or 18 ASCII
// characters, digits only except for a final X in the 18-character form.
func checkShape(raw, s string) *Error {
	if s == "" {
		return newErr(KindEmpty, raw, "身份证号码为空")
	}
	if isScientific(s) {
		return newErr(KindScientific, raw, fmt.Sprintf(
			"号码已被 Excel 转成科学计数法（%s），后几位数字已丢失，无法还原；"+
				"请将该列设为“文本”格式后重新录入完整号码", s))
	}
	pos := 0
	for _, r := range s {
		pos++
		if r > 0x7F || !isDigit(byte(r)) && r != 'X' {
			return newErr(KindChars, raw, fmt.Sprintf(
				"含有非法字符 %s（第 %d 位）：身份证号码只能由数字和末位的 X 组成",
				quoteRune(r), pos))
		}
	}
	if len(s) != 18 && len(s) != 15 {
		return newErr(KindLength, raw, fmt.Sprintf(
			"位数错误：身份证号码应为 18 位（旧版 15 位），实为 %d 位", len(s)))
	}
	if i := strings.IndexByte(s, 'X'); i >= 0 {
		if len(s) == 15 {
			return newErr(KindChars, raw, fmt.Sprintf(
				"含有非法字符 X（第 %d 位）：15 位旧号码只能由数字组成", i+1))
		}
		if i != 17 {
			return newErr(KindChars, raw, fmt.Sprintf(
				"X 只能出现在末位（第 18 位），实际出现在第 %d 位", i+1))
		}
	}
	return nil
}

// quoteRune renders r for a message: printable characters in Chinese
// quotation marks, control and replacement characters as a U+XXXX code.
func quoteRune(r rune) string {
	if r < 0x20 || r == 0x7F || r == 0xFFFD {
		return fmt.Sprintf("%U", r)
	}
	return "“" + string(r) + "”"
}

// isScientific reports whether s looks like a number in scientific notation,
// e.g. 4.10105E+17 or 5.00236198001012e17 (comma accepted as decimal mark).
func isScientific(s string) bool {
	i, n := 0, len(s)
	digits := 0
	for i < n && isDigit(s[i]) {
		i++
		digits++
	}
	if i < n && (s[i] == '.' || s[i] == ',') {
		i++
		for i < n && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 || i >= n || (s[i] != 'E' && s[i] != 'e') {
		return false
	}
	i++
	if i < n && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i >= n {
		return false
	}
	for ; i < n; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// upgrade converts a 15-digit number to 18 characters by inserting the
// century "19" and appending the check character.
func upgrade(s string) string {
	var b [18]byte
	copy(b[:6], s[:6])
	b[6], b[7] = '1', '9'
	copy(b[8:17], s[6:])
	b[17] = CheckChar(string(b[:17]))
	return string(b[:])
}

// validate18 applies the province, birth date and check-character rules to
// s, which must be 17 ASCII digits followed by a digit or X.
func validate18(raw, s string, today time.Time) (ID, *Error) {
	if !validProvince(int(s[0]-'0')*10 + int(s[1]-'0')) {
		return ID{}, newErr(KindProvince, raw, fmt.Sprintf(
			"地区码错误：前两位 %s 不是有效的省级行政区代码", s[:2]))
	}
	y, m, d := atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return ID{}, newErr(KindDate, raw, fmt.Sprintf(
			"出生日期无效：%s-%s-%s 不是真实存在的日期", s[6:10], s[10:12], s[12:14]))
	}
	birth := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	ty, tm, td := today.Date()
	if limit := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC); birth.After(limit) {
		return ID{}, newErr(KindDate, raw, fmt.Sprintf(
			"出生日期错误：%s 晚于今天（%s）", birth.Format(time.DateOnly), limit.Format(time.DateOnly)))
	}
	if birth.Before(minBirth) {
		return ID{}, newErr(KindDate, raw, fmt.Sprintf(
			"出生日期错误：%s 早于 1890-01-01，不可能是有效号码", birth.Format(time.DateOnly)))
	}
	if want := CheckChar(s[:17]); want != s[17] {
		return ID{}, newErr(KindCheck, raw, fmt.Sprintf(
			"校验位错误：末位应为 %c，实为 %c", want, s[17]))
	}
	sex := Female
	if (s[16]-'0')%2 == 1 {
		sex = Male
	}
	return ID{Number: s, Region: s[:6], Birth: birth, Sex: sex}, nil
}

func newErr(k Kind, raw, msg string) *Error {
	return &Error{Kind: k, Input: raw, Message: msg}
}
