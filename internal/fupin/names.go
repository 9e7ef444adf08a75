package fupin

import (
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// collators holds Chinese (pinyin) collators: a collate.Collator keeps
// buffers and may not be shared between goroutines.
var collators = sync.Pool{New: func() any { return collate.New(language.Chinese) }}

// CompareNames orders personal names as a Chinese reader looks them up: by
// pinyin (the CLDR zh collation, 阿 < 白 < 李 < 王 < 张), not by Unicode code
// point, which puts 吴 before 阿. It returns -1, 0 or +1.
func CompareNames(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(a, b)
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
			keys[n] = append([]byte(nil), c.KeyFromString(&buf, n)...)
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
