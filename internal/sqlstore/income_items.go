package sqlstore

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"fupin/internal/fupin"
)

// decodeItems reads a stored income year's detail lines. What encodeItems
// wrote is read by hand (decodeCanonicalItems); anything else goes through
// encoding/json. A re-import reads every stored year of the area, and
// json.Unmarshal of the items was a tenth of its CPU at a million people.
func decodeItems(s string) ([]fupin.IncomeItem, error) {
	if items, ok := decodeCanonicalItems(s); ok {
		return items, nil
	}
	items := []fupin.IncomeItem{}
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return nil, err
	}
	return items, nil
}

// decodeCanonicalItems reads items in exactly the form encodeItems writes
// ([{"category":"…","name":"…","amount":N},…], strings without escapes);
// ok is false for anything else, and then nothing is claimed about s. The
// strings it returns share s's memory.
func decodeCanonicalItems(s string) (items []fupin.IncomeItem, ok bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	rest := s[1 : len(s)-1]
	items = make([]fupin.IncomeItem, 0, strings.Count(rest, `{"category":`))
	for len(rest) > 0 {
		if len(items) > 0 {
			if rest[0] != ',' {
				return nil, false
			}
			rest = rest[1:]
		}
		var it fupin.IncomeItem
		if it.Category, rest, ok = cutJSONString(rest, `{"category":"`); !ok {
			return nil, false
		}
		if it.Name, rest, ok = cutJSONString(rest, `,"name":"`); !ok {
			return nil, false
		}
		if !strings.HasPrefix(rest, `,"amount":`) {
			return nil, false
		}
		rest = rest[len(`,"amount":`):]
		end := strings.IndexByte(rest, '}')
		if end < 0 || !jsonNumber(rest[:end]) {
			return nil, false
		}
		f, err := strconv.ParseFloat(rest[:end], 64)
		if err != nil || math.Abs(f) > 1e12 { // Money.UnmarshalJSON's bound
			return nil, false
		}
		it.Amount = fupin.YuanToMoney(f)
		items = append(items, it)
		rest = rest[end+1:]
	}
	return items, true
}

// cutJSONString expects prefix (which ends with an opening quote), then a
// string up to the next quote that needs no unescaping: valid UTF-8, no
// backslash and no control character.
func cutJSONString(s, prefix string) (val, rest string, ok bool) {
	if !strings.HasPrefix(s, prefix) {
		return "", s, false
	}
	s = s[len(prefix):]
	end := strings.IndexByte(s, '"')
	if end < 0 {
		return "", s, false
	}
	val = s[:end]
	for i := 0; i < len(val); i++ {
		if val[i] < 0x20 || val[i] == '\\' {
			return "", s, false
		}
	}
	if !utf8.ValidString(val) {
		return "", s, false
	}
	return val, s[end+1:], true
}

// jsonNumber reports whether s is a number in JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, n = i+1, n+1
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
