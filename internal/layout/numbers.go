package layout

import (
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// parseNumber reads a decimal number with optional sign, thousands
// separators ("1,234.50"), a leading ¥ and one of the given unit suffixes.
// Scientific notation, NaN and infinities are rejected.
func parseNumber(raw string, units []string) (float64, string) {
	if f, ok := plainDecimal(raw); ok {
		return f, ""
	}
	s := fold(raw)
	for _, u := range units {
		if cut, ok := strings.CutSuffix(s, u); ok {
			s = strings.TrimSpace(cut)
			break
		}
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "¥"), "￥")
	clean, ok := cleanNumber(s)
	if !ok {
		return 0, "“" + raw + "”不是有效数字"
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil || f > 1e12 || f < -1e12 {
		return 0, "“" + raw + "”不是有效数字"
	}
	return f, ""
}

// pow10 are the powers of ten that float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// plainDecimal is the fast path for the common cell: ASCII digits with at
// most one '.', at most 15 digits. Both the digits as an integer and the
// power of ten are exact in a float64, so one division rounds exactly as
// strconv.ParseFloat would.
func plainDecimal(s string) (float64, bool) {
	if len(s) == 0 || len(s) > 16 {
		return 0, false
	}
	mant, frac, dot := uint64(0), 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			if dot {
				frac++
			}
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return 0, false
		}
	}
	return float64(mant) / pow10[frac], true
}

// cleanNumber checks s is [sign] digits-with-optional-grouping [. digits]
// and returns it without the grouping commas.
func cleanNumber(s string) (string, bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	start, digits, group, commas := i, 0, 0, false
	for ; i < len(s) && s[i] != '.'; i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
			group++
		case c == ',' && digits > 0 && (!commas && group <= 3 || commas && group == 3):
			commas, group = true, 0
		default:
			return "", false
		}
	}
	if commas && group != 3 {
		return "", false
	}
	if i < len(s) {
		i++
		for ; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return "", false
			}
			digits++
		}
	}
	if digits == 0 {
		return "", false
	}
	if commas {
		return s[:start] + strings.ReplaceAll(s[start:], ",", ""), true
	}
	return s, true
}

// parseMoney reads an amount in yuan and returns it in fen.
func parseMoney(raw string, units []string) (int, string) {
	if fen, ok := plainFen(raw); ok {
		return fen, ""
	}
	f, reason := parseNumber(raw, units)
	if reason == "" && (f > 1e10 || f < -1e10) {
		reason = "金额“" + raw + "”过大"
	}
	return int(fupin.YuanToMoney(f)), reason
}

// plainFen is the fast path of parseMoney: digits with at most two
// decimals, converted without floating point.
func plainFen(s string) (int, bool) {
	if len(s) == 0 || len(s) > 13 {
		return 0, false
	}
	fen, frac, dot := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9' && frac < 2:
			fen = fen*10 + int(c-'0')
			if dot {
				frac++
			}
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return 0, false
		}
	}
	for ; frac < 2; frac++ {
		fen *= 10
	}
	return fen, fen <= 1e12
}

// parseInt reads a whole number; "3.0" is accepted, "3.5" is not.
func parseInt(raw string, units []string) (int, string) {
	f, reason := parseNumber(raw, units)
	if reason != "" {
		return 0, reason
	}
	if f != float64(int64(f)) || f > 1e9 || f < -1e9 {
		return 0, "“" + raw + "”应为整数"
	}
	return int(f), ""
}
