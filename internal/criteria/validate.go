package criteria

import (
	"math"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// ValidateParam checks value for key: the key must be known, numbers must be
// plain decimals (no spaces, exponents, signs other than a leading "-", NaN
// or infinity) within the key's range and precision, integers whole, enum
// values one of the listed codes. The error is a *fupin.Error with code
// invalid and a Chinese message naming the parameter.
func ValidateParam(key, value string) error {
	i, ok := keyIndex(key)
	if !ok {
		return fupin.Errorf(fupin.EInvalid, "未知的政策参数：%q", key)
	}
	_, err := parseValue(&defs[i], value)
	return err
}

// NormalizeParam trims value and rewrites numbers in their shortest form
// ("35.0" → "35"), so that equal values give equal policy versions. It
// returns the same errors as ValidateParam.
func NormalizeParam(key, value string) (string, error) {
	value = strings.TrimSpace(value)
	i, ok := keyIndex(key)
	if !ok {
		return "", fupin.Errorf(fupin.EInvalid, "未知的政策参数：%q", key)
	}
	f, err := parseValue(&defs[i], value)
	if err != nil {
		return "", err
	}
	if defs[i].Kind == KindEnum {
		return value, nil
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

// ValidateRow checks a stored parameter row: a known key with a valid value
// (ValidateParam), an area that is "" (national) or a division-code prefix
// of 2, 4, 6, 9 or 12 digits, and a year between 2000 and 2100.
func ValidateRow(r ParamRow) error {
	if err := ValidateParam(r.Key, r.Value); err != nil {
		return err
	}
	if !validArea(r.Area) {
		return fupin.Errorf(fupin.EInvalid, "参数 %s 的区域应为空（全国）或 2、4、6、9、12 位区划代码前缀：%q",
			r.Key, r.Area)
	}
	if r.Year < 2000 || r.Year > 2100 {
		return fupin.Errorf(fupin.EInvalid, "参数 %s 的年度应在 2000–2100 之间：%d", r.Key, r.Year)
	}
	return nil
}

func validArea(a string) bool {
	switch len(a) {
	case 0, 2, 4, 6, 9, 12:
		return isDigits(a)
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseValue validates value against d and returns its number (0 for enums).
func parseValue(d *Def, value string) (float64, error) {
	if value == "" {
		return 0, fupin.Errorf(fupin.EInvalid, "%s（%s）不能为空", d.Label, d.Key)
	}
	if d.Kind == KindEnum {
		for _, e := range d.Enum {
			if e.Code == value {
				return 0, nil
			}
		}
		return 0, fupin.Errorf(fupin.EInvalid, "%s（%s）只能取 %s", d.Label, d.Key, enumList(d))
	}
	if !plainDecimal(value) {
		return 0, fupin.Errorf(fupin.EInvalid, "%s（%s）应为数字，例如 %s：%q", d.Label, d.Key, d.Default, value)
	}
	f, err := strconv.ParseFloat(value, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fupin.Errorf(fupin.EInvalid, "%s（%s）应为数字：%q", d.Label, d.Key, value)
	}
	if d.Kind == KindInteger && f != math.Trunc(f) {
		return 0, fupin.Errorf(fupin.EInvalid, "%s（%s）应为整数：%q", d.Label, d.Key, value)
	}
	if d.Kind == KindNumber && decimals(value) > d.Decimals {
		return 0, fupin.Errorf(fupin.EInvalid, "%s（%s）最多 %d 位小数：%q", d.Label, d.Key, d.Decimals, value)
	}
	low := f < d.Min || (d.MinExclusive && f == d.Min)
	if low || f > d.Max {
		op := "≥"
		if d.MinExclusive {
			op = ">"
		}
		return 0, fupin.Errorf(fupin.EInvalid, "%s（%s）应 %s %s 且 ≤ %s %s：%q", d.Label, d.Key,
			op, fmtNum(d.Min), fmtNum(d.Max), d.Unit, value)
	}
	return f, nil
}

// plainDecimal accepts an optional "-", digits, and an optional fraction.
func plainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	return whole != "" && len(whole) <= 15 && isDigits(whole) && (!dot || (frac != "" && isDigits(frac)))
}

func decimals(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(strings.TrimRight(frac, "0"))
	}
	return 0
}

func enumList(d *Def) string {
	var b strings.Builder
	for i, e := range d.Enum {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(e.Code + "（" + e.Label + "）")
	}
	return b.String()
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
