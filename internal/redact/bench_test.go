package redact

import (
	"fmt"
	"strings"
	"testing"

	"fupin/internal/idcard"
)

// BenchmarkMaskAnswer masks a household-list-sized JSON answer: 3,000
// members, each with an ID number, a birth date and a phone, about 1 MB.
func BenchmarkMaskAnswer(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"items":[`)
	for i := 0; i < 3000; i++ {
		first := fmt.Sprintf("512226%04d%02d%02d%03d", 1930+i%80, 1+i%12, 1+i%28, i%1000)
		id := first + string(idcard.CheckChar(first))
		fmt.Fprintf(&sb, `{"id":%d,"name":"成员%d","id_number":%q,"birth_date":"%s-%s-%s","phone":"139%08d","address":"平安乡天台村 %d 号","updated_at":"2026-12-07T02:28:45Z"},`,
			i, i, id, id[6:10], id[10:12], id[12:14], i, i)
	}
	sb.WriteString(`{}]}`)
	body := sb.String()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dates := map[string]bool{}
		BirthDates(body, dates)
		out := Dates(Text(body), dates)
		if strings.Contains(out, "-01-01\"") {
			b.Fatal("a birth date survived")
		}
	}
}
