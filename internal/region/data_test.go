package region

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestAllVillages inflates every county: it checks the village total, that
// each village's township exists, and that IsVillage accepts the first and
// last village of a sample of counties. It takes about 0.3 s (about 1.5 s with
// -race on two cores); -short skips it.
func TestAllVillages(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates every county")
	}
	idx, err := load()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	counties := idx.levels[2]
	workers := min(runtime.GOMAXPROCS(0), 4)
	counts := make([]int, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(counties) && errs[w] == nil; i += workers {
				var n int
				n, errs[w] = checkCounty(idx, counties[i])
				counts[w] += n
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if got, want := total, 620573; got != want {
		t.Errorf("villages = %d, want %d", got, want)
	}
	t.Logf("inflated %d counties in %v", len(counties), time.Since(start))
	for i, want := range []int{31, 342, 2978, 41352} {
		if got := len(idx.levels[i]); got != want {
			t.Errorf("level %s has %d regions, want %d", levelsByIndex[i], got, want)
		}
	}
}

// checkCounty inflates one county's villages without caching them and
// returns their number.
func checkCounty(idx *index, c row) (int, error) {
	v, err := idx.inflateCounty(c.code)
	if err != nil || v == nil || len(v.villages) == 0 {
		return 0, fmt.Errorf("county %s %s: %v, %v", c.code, c.name, v, err)
	}
	towns := prefixRange(idx.levels[3], c.code)
	for _, r := range v.villages {
		for len(towns) > 0 && towns[0].code < r.code[:9] {
			towns = towns[1:]
		}
		if len(towns) == 0 || towns[0].code != r.code[:9] {
			return 0, fmt.Errorf("village %s %s has no township", r.code, r.name)
		}
	}
	if c.code[5] == '1' { // a sample: IsVillage inflates the county again
		for _, r := range []row{v.villages[0], v.villages[len(v.villages)-1]} {
			if !IsVillage(r.code) {
				return 0, fmt.Errorf("IsVillage(%s) = false", r.code)
			}
		}
	}
	return len(v.villages), nil
}

// TestConcurrentLookups exercises the county cache from several goroutines
// with more counties than it holds (run with -race).
func TestConcurrentLookups(t *testing.T) {
	idx, err := load()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(idx.levels[3]); i += 97 {
				town := idx.levels[3][i].code
				kids, err := Children(town)
				if err != nil || len(kids) == 0 {
					t.Errorf("Children(%s) = %d, %v", town, len(kids), err)
					return
				}
				if !IsVillage(kids[0].Code) {
					t.Errorf("IsVillage(%s) = false", kids[0].Code)
				}
			}
		})
	}
	wg.Wait()
	if n := len(idx.cache.m); n > cacheSize || len(idx.cache.order) != n {
		t.Errorf("cache holds %d counties (%d in order), want at most %d", n, len(idx.cache.order), cacheSize)
	}
}
