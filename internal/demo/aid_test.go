package demo

import (
	"testing"
	"time"

	"fupin/internal/aid"

	"fupin/internal/idcard"
)

// The aid forces of a township of 3 million households (about 10 million people, issue 19)
// have some 80,000 cadres; their ID numbers must all differ (the store refuses a second
// cadre with the same one) and be valid.
func TestCadreIDsUniqueAtScale(t *testing.T) {
	fullNamesOnce.Do(buildFullNames)
	a := &aidGen{r: rng{s: 1 ^ 0xA1D}, p: &aid.Dataset{}}
	a.units()
	const n = 80000
	seen := map[string]int{}
	for i := 0; i < n; i++ {
		c := a.p.Cadres[a.cadre(0, "", "帮扶责任人", "二级主任科员")]
		if j, dup := seen[c.IDNumber]; dup {
			t.Fatalf("cadre %d has the ID number of cadre %d: %s", i, j, c.IDNumber)
		}
		seen[c.IDNumber] = i
		if _, err := idcard.Parse(c.IDNumber, time.Now()); err != nil {
			t.Fatalf("cadre %d: ID number %s: %v", i, c.IDNumber, err)
		}
	}
}
