package layout

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestDbgSlow(t *testing.T) {
	var seeds []string
	for _, h := range demoHouseholds(t, 3) {
		seeds = append(seeds, strings.Join(EncodeHousehold(h, nil)[0], "\t"))
	}
	r := rand.New(rand.NewSource(1))
	worst := time.Duration(0)
	for n := 0; n < 300; n++ {
		b := []byte(seeds[r.Intn(len(seeds))])
		for k := 0; k < 1+r.Intn(5); k++ {
			i := r.Intn(len(b))
			switch r.Intn(3) {
			case 0:
				b[i] = byte(r.Intn(256))
			case 1:
				b = append(b[:i], b[i+1:]...)
			case 2:
				b = append(b[:i], append([]byte{"\t\n0123456789"[r.Intn(12)]}, b[i:]...)...)
			}
		}
		text := string(b)
		t0 := time.Now()
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		d := NewDecoder(Options{Today: testToday, Area: "500236266"})
		d.Row("A", 1, ExportHeader())
		for i, r := range rows {
			d.Row("A", i+2, r)
		}
		for i, r := range rows {
			d.Row("B", i+1, r)
		}
		d.Flush()
		if el := time.Since(t0); el > worst {
			worst = el
			t.Logf("%v %q", el, text[:min(len(text), 200)])
		}
	}
}
