// Package redact hides identities from roles that may not see them
// (auth.Role.SeesIdentity is false): ID numbers, mobile and other phone
// numbers, and birth dates, wherever they occur — in typed fields, in free
// text (addresses, posts, notes) and in dates that equal a birth date.
//
// The rule, and why: an ID number is 6 digits of region, 8 of birth date,
// 3 of sequence and a check character. The masked number keeps the first 4
// and the last 4 characters ("5002**********123X", idcard.Mask) and a
// birth date is shown as its year only ("1960-**-**"). Someone holding a
// masked answer then lacks the county (two digits, 100 choices, though often
// guessable from the village) and the month and day (365 choices); the
// check character removes only one choice in eleven, so at least 33
// numbers fit even when the county is guessed. Showing the full birth date
// beside a number that hides exactly the birth date — the former rule —
// gave the number back.
package redact

import (
	"strings"

	"fupin/internal/auth"
	"fupin/internal/idcard"
)

// ID masks an ID number (see idcard.Mask).
func ID(s string) string { return idcard.Mask(s) }

// Phone masks a phone number: its digits without separators or a +86/0086
// prefix keep the first 3 and the last 4 ("139****4321").
func Phone(s string) string {
	d := digitsOnly(s)
	if m, ok := mobile(d); ok {
		d = m
	}
	if d == "" {
		d = s
	}
	return auth.MaskPhone(d)
}

// Date masks a date to its year: "1960-01-02" → "1960-**-**". Values that
// are not at least a 4-digit year are masked whole.
func Date(s string) string {
	if len(s) >= 4 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) {
		return s[:4] + "-**-**"
	}
	return strings.Repeat("*", len(s))
}

// Text masks the ID numbers and mobile numbers inside free text, however
// they are written: "+86 139-0000-2222", "0086 13900002222", "139 0000
// 2222", an 18-character number ending in x. Runs of digits that are not
// a plausible ID number (province code, month and day) or a mobile number
// (1[3-9] and 11 digits) are left alone, so division codes, household
// numbers and amounts survive.
func Text(s string) string {
	if !hasDigitRun(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for i < len(s) {
		if !isDigit(s[i]) && !(s[i] == '+' && i+1 < len(s) && isDigit(s[i+1])) || i > 0 && isDigit(s[i-1]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		groups, end := scanGroups(s, i)
		b.WriteString(maskGroups(s, i, groups))
		i = end
	}
	return b.String()
}

// group is a run of digits (an ID number may end in X) at s[from:to].
type group struct{ from, to int }

// scanGroups reads digit groups from i, joined by single '-' or ' '
// separators, and returns them and the end of the last one.
func scanGroups(s string, i int) ([]group, int) {
	var gs []group
	if s[i] == '+' {
		i++
	}
	for {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			j++
		}
		gs = append(gs, group{i, j})
		if j+1 < len(s) && (s[j] == '-' || s[j] == ' ') && isDigit(s[j+1]) {
			i = j + 1
			continue
		}
		return gs, j
	}
}

// maskGroups writes the groups back with their separators, masking each ID
// number and each sequence of groups that spells a mobile number.
func maskGroups(s string, start int, gs []group) string {
	var b strings.Builder
	pos := start
	for k := 0; k < len(gs); {
		g := gs[k]
		if touchesMask(s, g) {
			k++ // part of an already masked number: leave it
			continue
		}
		if v := s[g.from:g.to]; plausibleID(v) {
			b.WriteString(s[pos:g.from])
			b.WriteString(ID(strings.ToUpper(v)))
			pos, k = g.to, k+1
			continue
		}
		if m := mobileSpan(s, gs[k:]); m > 0 {
			from := g.from
			if k == 0 {
				from = start
			}
			b.WriteString(s[pos:from])
			b.WriteString(Phone(s[from:gs[k+m-1].to]))
			pos, k = gs[k+m-1].to, k+m
			continue
		}
		k++
	}
	b.WriteString(s[pos:gs[len(gs)-1].to])
	return b.String()
}

// mobileSpan returns how many groups from gs[0] spell a mobile number
// (with or without a 86/0086 prefix), or 0.
func mobileSpan(s string, gs []group) int {
	d := ""
	for m, g := range gs {
		if touchesMask(s, g) {
			return 0
		}
		d += s[g.from:g.to]
		if len(d) > 15 {
			return 0
		}
		if _, ok := mobile(d); ok {
			return m + 1
		}
	}
	return 0
}

// touchesMask reports whether a group of digits is part of a masked
// number ("139****4321", "5002**********123X": at most 4 characters
// beside the stars), so that masking again changes nothing.
func touchesMask(s string, g group) bool {
	return g.to-g.from <= 4 && (g.to < len(s) && s[g.to] == '*' || g.from > 0 && s[g.from-1] == '*')
}

// mobile returns the 11-digit mobile number d spells, without a 86 or 0086
// prefix.
func mobile(d string) (string, bool) {
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	}
	if len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && digitsOnly(d) == d {
		return d, true
	}
	return "", false
}

// plausibleID reports whether v looks like an 18- or 15-character ID
// number: province code, then a real month and day.
func plausibleID(v string) bool {
	var mm, dd string
	switch len(v) {
	case 18:
		mm, dd = v[10:12], v[12:14]
	case 15:
		if v[14] < '0' || v[14] > '9' {
			return false
		}
		mm, dd = v[8:10], v[10:12]
	default:
		return false
	}
	return idcard.PlausibleProvince(v) && mm >= "01" && mm <= "12" && dd >= "01" && dd <= "31"
}

// BirthDates adds to into the birth dates ("YYYY-MM-DD") of the plausible
// ID numbers inside s, for Dates.
func BirthDates(s string, into map[string]bool) {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			j++
		}
		if v := s[i:j]; plausibleID(v) {
			if len(v) == 18 {
				into[v[6:10]+"-"+v[10:12]+"-"+v[12:14]] = true
			} else {
				into["19"+v[6:8]+"-"+v[8:10]+"-"+v[10:12]] = true
			}
		}
		i = j
	}
}

// Dates masks every spelling of the given birth dates in s ("1960-01-02",
// "1960/01/02", "1960.01.02", "19600102", "1960年1月2日") to the year, in
// one pass whatever the number of dates. A date that starts a timestamp
// ("1960-01-02T08:00:00Z") is a record's time of writing and stays.
func Dates(s string, dates map[string]bool) string {
	if len(dates) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		date, end := spelledDate(s, i, j)
		if date != "" && dates[date] {
			b.WriteString(s[last:i])
			b.WriteString(date[:4] + "-**-**")
			last = end
		}
		i = max(j, end)
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// spelledDate reads a date spelled from s[i:], where s[i:j] is a whole run
// of digits, and returns it as "YYYY-MM-DD" with the end of its spelling,
// or "" when there is none.
func spelledDate(s string, i, j int) (string, int) {
	switch j - i {
	case 8:
		return s[i:i+4] + "-" + s[i+4:i+6] + "-" + s[i+6:i+8], j
	case 4:
	default:
		return "", j
	}
	y := s[i:j]
	if j+6 <= len(s) && (s[j] == '-' || s[j] == '/' || s[j] == '.') && s[j+3] == s[j] &&
		isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+4]) && isDigit(s[j+5]) &&
		(j+6 == len(s) || !isDigit(s[j+6]) && s[j+6] != 'T') {
		return y + "-" + s[j+1:j+3] + "-" + s[j+4:j+6], j + 6
	}
	rest, ok := strings.CutPrefix(s[j:], "年")
	if !ok {
		return "", j
	}
	m, n := digitsAt(rest)
	rest, ok = strings.CutPrefix(rest[n:], "月")
	if !ok || n == 0 || n > 2 {
		return "", j
	}
	d, k := digitsAt(rest)
	if k == 0 || k > 2 || !strings.HasPrefix(rest[k:], "日") {
		return "", j
	}
	return y + "-" + pad2(m) + "-" + pad2(d), len(s) - len(rest) + k + len("日")
}

func digitsAt(s string) (string, int) {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return s[:n], n
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// Row masks one row of cells in place (an export or error-report row): ID
// and phone numbers anywhere in it, and any spelling of the birth date of
// an ID number in the row or in dates.
func Row(cells []string, dates map[string]bool) {
	own := map[string]bool{}
	for d := range dates {
		own[d] = true
	}
	for _, c := range cells {
		BirthDates(c, own)
	}
	for i, c := range cells {
		cells[i] = Dates(Text(c), own)
	}
}

// hasDigitRun reports whether s has 3 digits in a row, the least a phone
// number written in groups has.
func hasDigitRun(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			if run++; run >= 3 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
