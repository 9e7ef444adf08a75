package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password policy thresholds; lengths count characters (runes), not bytes.
const (
	MinPasswordLen     = 10 // with at least MinPasswordClasses classes
	MinPasswordClasses = 3  // of lower, upper, digit, symbol
	LongPasswordLen    = 16 // long enough to need no particular classes
)

const (
	minDistinctRunes = 5 // "Aa1!Aa1!Aa1!" repeats too few characters
	minUsernameLen   = 3 // shorter user names are not searched for
)

// Messages of the *Error values returned by CheckStrength.
const (
	msgWeakPassword     = "密码至少 10 位，且包含大写字母、小写字母、数字、符号中的至少三类；或使用至少 16 位的密码"
	msgContainsUsername = "密码不能包含用户名"
	msgCommonPassword   = "密码过于常见，容易被猜中，请换一个"
	msgRepetitive       = "密码不能由少数几个字符反复组成"
)

// commonPasswords are frequently leaked passwords, lower-cased. Most are
// already too short for the length rule; they are listed so the rule stays
// honest if the thresholds are ever lowered. The long ones pass the length
// and class rules and are caught only here.
var commonPasswords = toSet(
	// Short classics (international and Chinese leaks).
	"123456", "12345678", "123456789", "1234567890", "password", "qwerty",
	"111111", "000000", "123123", "666666", "888888", "88888888", "5201314",
	"a123456", "123456a", "a123456789", "aa123456", "qq123456", "abc123",
	"abc123456", "woaini", "woaini1314", "woaini520", "iloveyou", "admin",
	"admin123", "admin888", "1qaz2wsx", "1q2w3e4r", "qwe123", "123qwe",
	"qwer1234", "1234qwer", "zxcvbnm", "asdfghjkl", "147258369", "987654321",
	"password1", "p@ssw0rd", "abcd1234", "1qaz@wsx", "123456abc", "zxc123456",
	// Long enough to pass the length and class rules.
	"1234567890123456", "12345678901234567890", "1111111111111111",
	"abcdefghijklmnop", "qwertyuiopasdfgh", "a1234567890", "aa123456789",
	"password123", "password@123", "password123!", "p@ssw0rd123", "p@ssw0rd!",
	"p@ssword123", "admin@123", "admin@1234", "admin@123456", "admin123456",
	"admin123!@#", "abcd@123456", "abc@123456", "abc123456789", "qwer1234!@#$",
	"qwer@123456", "1qaz2wsx3edc", "1qaz@wsx3edc", "1qaz!qaz2wsx@wsx",
	"1qaz2wsx3edc4rfv", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u8i", "zaq1@wsx3edc",
	"woaini1314520", "woaini@1314", "fupin123456", "fupin@123", "fupin@123456",
)

func toSet(words ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// CheckStrength enforces the minimum password policy for the user named
// username and returns nil or an *Error for field "password":
//
//   - at least 10 characters containing at least 3 of the 4 classes lower-case
//     letter, upper-case letter, digit and symbol (any other character,
//     including space and Chinese characters, counts as a symbol), or at
//     least 16 characters of any kind;
//   - not containing the user name, ignoring case (user names shorter than
//     3 characters are not checked);
//   - not one of a built-in list of common passwords, ignoring case;
//   - at least 5 distinct characters.
func CheckStrength(pw, username string) error {
	n := utf8.RuneCountInString(pw)
	if n < LongPasswordLen && (n < MinPasswordLen || classes(pw) < MinPasswordClasses) {
		return &Error{Field: "password", Message: msgWeakPassword}
	}
	lower := strings.ToLower(pw)
	if u := strings.ToLower(strings.TrimSpace(username)); utf8.RuneCountInString(u) >= minUsernameLen &&
		strings.Contains(lower, u) {
		return &Error{Field: "password", Message: msgContainsUsername}
	}
	if _, ok := commonPasswords[lower]; ok {
		return &Error{Field: "password", Message: msgCommonPassword}
	}
	if distinctRunes(pw) < minDistinctRunes {
		return &Error{Field: "password", Message: msgRepetitive}
	}
	return nil
}

// classes counts which of lower, upper, digit and symbol occur in s.
func classes(s string) int {
	var lower, upper, digit, symbol int
	for _, r := range s {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			symbol = 1
		}
	}
	return lower + upper + digit + symbol
}

func distinctRunes(s string) int {
	seen := make(map[rune]struct{}, len(s))
	for _, r := range s {
		seen[r] = struct{}{}
	}
	return len(seen)
}
