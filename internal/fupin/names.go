package fupin

import (
	"slices"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// collators holds Chinese (pinyin) collators: a collate.Collator keeps
// buffers and may not be shared between goroutines.
var collators = sync.Pool{New: func() any { return collate.New(language.Chinese) }}

// CompareNames orders personal names as a Chinese reader looks them up: by
// pinyin (the CLDR zh collation, 阿 < 白 < 李 < 王 < 张), not by Unicode code
// point, which puts 吴 before 阿; a surname by its reading as a surname (曾
// zēng, not céng). It returns -1, 0 or +1.
func CompareNames(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(asSurname(a), asSurname(b))
}

// surnameReadings maps surnames whose reading as a surname differs from the
// character's common reading, which the collation uses (曾 céng, 单 dān),
// to a character read as the surname is (曾 zēng as 增, 单 shàn as 善), so
// that 曾建平 files under Z and not among the C names.
var surnameReadings = map[rune]rune{
	'曾': '增', '单': '善', '解': '谢', '仇': '求', '区': '欧', '查': '扎', '朴': '瓢',
	'覃': '秦', '翟': '宅', '盖': '葛', '乐': '越', '缪': '妙', '种': '崇',
}

// asSurname is name with its first character replaced by one read as that
// surname is (surnameReadings), for collation only.
func asSurname(name string) string {
	r, size := utf8.DecodeRuneInString(name)
	if s, ok := surnameReadings[r]; ok {
		return string(s) + name[size:]
	}
	return name
}

// SortByName sorts items by pinyin of name(item), keeping the order of
// items whose names collate equal (pass them in id order for a stable list).
func SortByName[T any](items []T, name func(T) string) {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	keys := make(map[string][]byte, len(items))
	for _, it := range items {
		n := name(it)
		if _, ok := keys[n]; !ok {
			keys[n] = append([]byte(nil), c.KeyFromString(&buf, asSurname(n))...)
			buf.Reset()
		}
	}
	slices.SortStableFunc(items, func(x, y T) int { return compareBytes(keys[name(x)], keys[name(y)]) })
}

func compareBytes(a, b []byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}
