package sqlstore_test

import (
	"context"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// TestRowSinkWritesAsItGoes: the demo's aid rows are written a thousand at
// a time as they are added, not held until the end (all 173,490 visits of
// the 300,000-household demo held at once were 48 MB of its peak heap).
func TestRowSinkWritesAsItGoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		counts, err := db.SinkCounts(context.Background(), 2500)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range map[int]int{0: 0, 998: 0, 999: 1000, 1500: 1000, 1999: 2000, 2499: 2000, 2500: 2500} {
			if counts[i] != want {
				t.Errorf("after %d rows: %d written, want %d", i+1, counts[i], want)
			}
		}
	})
}
