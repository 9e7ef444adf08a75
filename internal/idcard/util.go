package idcard

import (
	"strings"
	"time"
	"unicode/utf8"
)

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkChars = "10X98765432"

// CheckChar computes the check character ('0'–'9' or 'X') for the first 17
// digits of a number. It returns 0 if first17 is not exactly 17 ASCII digits;
// it never panics.
func CheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if !isDigit(c) {
			return 0
		}
		sum += int(c-'0') * weights[i]
	}
	return checkChars[sum%11]
}

// Mask hides a number from roles that may not see identities: keep the
// first 4 characters (province and prefecture) and the last 4 (sequence and
// check character), "5002**********123X"; a 15-digit number keeps its last
// 3 ("5102********042"), because its fourth-last digit is part of the birth
// date. The six digits after the first four are hidden too: a county is
// easy to guess from the household's village, and with it and the birth
// date the number could be rebuilt (the birth date is shown as a year
// only, see package redact). Inputs of 10 characters or fewer become all
// '*' of the same length. Length is counted in characters (runes), not
// bytes; the input is not normalised.
func Mask(number string) string {
	n := utf8.RuneCountInString(number)
	if n <= 10 {
		return strings.Repeat("*", n)
	}
	keepTail := 4
	if n == 15 {
		keepTail = 3
	}
	var b strings.Builder
	b.Grow(n)
	i := 0
	for _, r := range number {
		if i < 4 || i >= n-keepTail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// PlausibleProvince reports whether the first two digits of s are a
// province-level code; it lets free-text scanners tell ID numbers from
// other long digit runs. s shorter than 2 bytes is not plausible.
func PlausibleProvince(s string) bool {
	return len(s) >= 2 && isDigit(s[0]) && isDigit(s[1]) && validProvince(int(s[0]-'0')*10+int(s[1]-'0'))
}

// AgeOn returns the full years of age on date d (birthday counts on the day;
// a Feb 29 birthday counts on Mar 1 in non-leap years). Only the calendar
// date of d in its own location is used. It returns 0 if d is before the
// birth date.
func (id ID) AgeOn(d time.Time) int {
	y, m, day := d.Date()
	by, bm, bd := id.Birth.Date()
	age := y - by
	if m < bm || m == bm && day < bd {
		age--
	}
	return max(age, 0)
}

// validProvince reports whether p is a province-level code (GB/T 2260).
func validProvince(p int) bool {
	switch {
	case 11 <= p && p <= 15, 21 <= p && p <= 23, 31 <= p && p <= 37,
		41 <= p && p <= 46, 50 <= p && p <= 54, 61 <= p && p <= 65:
		return true
	}
	// 81, 82 and 83: residence permits of Hong Kong, Macau and Taiwan residents.
	return p == 71 || p == 81 || p == 82 || p == 83
}

// atoi converts a short string of ASCII digits; the caller guarantees digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
