package layout

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// isBlankMark reports whether a trimmed cell is one of the marks people use
// for "not applicable": "/", "-", "—", "——" and their full-width forms.
func isBlankMark(s string) bool {
	switch s {
	case "/", "-", "—", "——", "／", "－", "--", "\\":
		return true
	}
	return false
}

// asciiOnly reports whether s has no byte above 0x7F.
func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fold returns s with full-width forms folded and surrounding space trimmed.
func fold(s string) string {
	if asciiOnly(s) {
		return s
	}
	return strings.TrimSpace(foldWidth(s))
}

// isDigits reports whether s is non-empty and all ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoiSmall converts up to 9 ASCII digits; -1 when s is not such a string.
func atoiSmall(s string) int {
	if !isDigits(s) || len(s) > 9 {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// excelSerial converts a day number of Excel's 1900 date system. Excel
// counts 1900-02-29, which did not exist (serial 60), so serials from 61 on
// are one day ahead of a plain count from 1899-12-31.
func excelSerial(n int) (int, string) {
	var t time.Time
	switch {
	case n < 1 || n > 2958465:
		return 0, "Excel 日期序号 " + strconv.Itoa(n) + " 超出范围"
	case n == 60:
		return 0, "Excel 日期序号 60 对应 1900-02-29，该日并不存在（Excel 把 1900 年当作闰年）"
	case n < 60:
		t = time.Date(1899, time.December, 31+n, 0, 0, 0, 0, time.UTC)
	default:
		t = time.Date(1899, time.December, 30+n, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d, ""
}

const dateHint = "，应为 2021-03-05、2021/3/5、2021.3.5、2021年3月5日、20210305 或 Excel 日期"

// parseDate reads a date written as text (2021-03-05, 2021/3/5, 2021.3.5,
// 2021年3月5日, 20210305, optionally followed by a time) or as an Excel
// serial day number (43896 or 43896.0; a fraction is a time of day). The
// date is returned as yyyymmdd.
func parseDate(raw string) (int, string) {
	if len(raw) == 10 && raw[4] == '-' && raw[7] == '-' { // the exported form
		y, m, d := atoiSmall(raw[:4]), atoiSmall(raw[5:7]), atoiSmall(raw[8:])
		if y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) {
			return y*10000 + m*100 + d, ""
		}
	}
	s := fold(raw)
	if ip, frac, ok := strings.Cut(s, "."); isDigits(ip) && (!ok || isDigits(frac)) {
		switch n := atoiSmall(ip); {
		case len(ip) == 8 && !ok:
			return ymd(raw, atoiSmall(ip[:4]), atoiSmall(ip[4:6]), atoiSmall(ip[6:]))
		case len(ip) == 4 && n >= 1900 && n <= 2100:
			return 0, "日期“" + raw + "”不完整，缺少月或日" + dateHint
		case len(ip) <= 7:
			return excelSerial(n)
		}
		return 0, "日期“" + raw + "”无法识别" + dateHint
	}
	var part [3]int
	i := 0
	for k := 0; k < 3; k++ {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i && i == len(s) {
			return 0, "日期“" + raw + "”不完整，缺少月或日" + dateHint
		}
		if j == i || j-i > 4 {
			return 0, "日期“" + raw + "”无法识别" + dateHint
		}
		part[k] = atoiSmall(s[i:j])
		i = j
		if k == 2 {
			break
		}
		sep := dateSep(s[i:], k)
		if sep == 0 {
			return 0, "日期“" + raw + "”不完整或无法识别" + dateHint
		}
		i += sep
	}
	rest := strings.TrimPrefix(s[i:], "日")
	if rest != "" && rest[0] != ' ' && rest[0] != 'T' {
		return 0, "日期“" + raw + "”无法识别" + dateHint
	}
	if part[0] < 1000 {
		return 0, "日期“" + raw + "”的年份应写 4 位，且年份在前" + dateHint
	}
	return ymd(raw, part[0], part[1], part[2])
}

// dateSep returns the length of the separator at the start of s after the
// k-th part of a date (0: after the year, 1: after the month), 0 if none.
func dateSep(s string, k int) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case '-', '/', '.':
		return 1
	}
	if k == 0 && strings.HasPrefix(s, "年") || k == 1 && strings.HasPrefix(s, "月") {
		return len("年")
	}
	return 0
}

func ymd(raw string, y, m, d int) (int, string) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, "日期“" + raw + "”不是有效日期"
	}
	if d > daysIn(y, m) {
		return 0, "日期“" + raw + "”不存在（" + strconv.Itoa(y) + " 年 " + strconv.Itoa(m) + " 月没有 " + strconv.Itoa(d) + " 日）"
	}
	return y*10000 + m*100 + d, ""
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

// parseBool reads 是/否 and the other marks of yes and no.
func parseBool(raw string) (bool, string) {
	if b, ok := boolWord(raw); ok {
		return b, ""
	}
	if b, ok := boolWord(strings.ToUpper(dropSpace(foldWidth(raw)))); ok {
		return b, ""
	}
	return false, "“" + raw + "”应为“是”或“否”"
}

func boolWord(s string) (bool, bool) {
	switch s {
	case "是", "有", "√", "✓", "✔", "Y", "y", "1", "1.0", "TRUE", "true", "YES", "yes", "对", "已", "已参加", "参加":
		return true, true
	case "否", "无", "没有", "×", "✗", "✘", "N", "n", "0", "0.0", "FALSE", "false", "NO", "no", "未", "不", "未参加":
		return false, true
	}
	return false, false
}

// parseDigitText reads a number-like identifier (户编号, 人编号, phone):
// Excel's "stored as text" apostrophe and a ".0" that a numeric cell picked
// up are dropped; scientific notation is rejected because digits are lost.
func parseDigitText(raw, what string) (string, string) {
	s := strings.TrimLeft(raw, "'‘’")
	if ip, ok := strings.CutSuffix(s, ".0"); ok && isDigits(ip) {
		s = ip
	}
	if looksScientific(s) {
		return "", what + "已被 Excel 转成科学计数法（" + raw + "），后几位数字已丢失，无法还原；" +
			"请将该列设为“文本”格式后重新录入"
	}
	return s, ""
}

// looksScientific reports whether s is like 5.00236E+17 or 1.3E10.
func looksScientific(s string) bool {
	i := strings.IndexAny(s, "Ee")
	if i <= 0 || i == len(s)-1 {
		return false
	}
	mant, exp := s[:i], strings.TrimPrefix(strings.TrimPrefix(s[i+1:], "+"), "-")
	ip, frac, _ := strings.Cut(mant, ".")
	return isDigits(ip) && (frac == "" || isDigits(frac)) && isDigits(exp)
}

// parseDisability reads 残疾等级: 一级…四级, 1级…4级, 1…4; blank, 0 and 无
// mean no disability.
func parseDisability(raw string) (int, string) {
	s := normValue(raw)
	s = strings.TrimPrefix(s, "残疾")
	s = strings.TrimSuffix(s, "级")
	switch s {
	case "", "0", "无", "否", "零":
		return 0, ""
	case "1", "一", "壹", "Ⅰ", "I":
		return 1, ""
	case "2", "二", "贰", "Ⅱ", "II":
		return 2, ""
	case "3", "三", "叁", "Ⅲ", "III":
		return 3, ""
	case "4", "四", "肆", "Ⅳ", "IV":
		return 4, ""
	}
	return 0, "残疾等级“" + raw + "”无法识别，应为一级至四级（1–4），无残疾留空"
}

// disabilityLabels are written on export.
var disabilityLabels = [5]string{"", "一级", "二级", "三级", "四级"}

// splitList splits a multi-value cell at 、 , ， ; ； / and white space.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', ',', '，', ';', '；', '/', '／', '|', ' ', '\u3000', '\n', '\t', '+':
			return true
		}
		return false
	})
}

func itoa(i int) string { return strconv.Itoa(i) }

// trim is strings.TrimSpace with a fast path, small enough to inline, for
// the common cell that starts and ends with a printable ASCII character.
func trim(s string) string {
	if n := len(s); n > 0 && s[0] > ' ' && s[0] < 0x80 && s[n-1] > ' ' && s[n-1] < 0x80 {
		return s
	}
	return trimSlow(s)
}

// trimSlow passes without decoding a cell that starts and ends with a
// character of U+4000–U+FFFF (lead byte E4 or above: CJK, full-width
// forms), none of which is white space.
func trimSlow(s string) string {
	n := len(s)
	if n > 0 && (s[0] > ' ' && s[0] < 0x80 || s[0] >= 0xE4) &&
		(s[n-1] > ' ' && s[n-1] < 0x80 || n >= 3 && s[n-1] >= 0x80 && s[n-3] >= 0xE4) {
		return s
	}
	return strings.TrimSpace(s)
}
