package fupin

import (
	"strings"
	"unicode"

	"golang.org/x/text/collate"
)

// initialBounds are, for each initial letter of Mandarin pinyin (no
// syllable starts with I, U or V), the first character the CLDR zh
// (pinyin) collation puts under it. A Han character's initial is the
// letter of the last bound that does not collate after it.
var (
	initialBounds  = []rune("阿八嚓哒妸发旮哈讥咔垃妈拏噢妑七呥仨他屲夕丫帀")
	initialLetters = "ABCDEFGHJKLMNOPQRSTWXYZ"
)

// Initials returns the pinyin initials of s for searching by them (光伏
// 产业 → GFCY): each Han character gives the initial of its most common
// reading in the collation (a polyphone such as 重 takes that reading,
// 重庆 → ZQ), ASCII letters and digits are kept (letters in upper case),
// everything else is left out.
func Initials(s string) string {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToUpper(r))
		case unicode.Is(unicode.Han, r):
			if l := initialOf(c, r); l != 0 {
				b.WriteByte(l)
			}
		}
	}
	return b.String()
}

// initialOf finds r's initial by binary search over the ordered bounds; 0
// when r collates before 阿.
func initialOf(c *collate.Collator, r rune) byte {
	ch := string(r)
	lo, hi := 0, len(initialBounds) // the answer is the last i with bound[i] <= r
	for lo < hi {
		mid := (lo + hi) / 2
		if c.CompareString(string(initialBounds[mid]), ch) <= 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return 0
	}
	return initialLetters[lo-1]
}
