package sqlstore_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestDashboardIncomeBands checks that the income bands count verdicts by
// the per-capita income stored with them, and that verdicts stored without
// it (before migration 0006) show as "none" until the recomputation that
// migration queues has run, which fills them in without recording an
// outcome change.
func TestDashboardIncomeBands(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC) }
		var ids []int64
		// Per head of three: 10 000 yuan, 1 000 yuan, no income record.
		for i, net := range []fupin.Money{3000000, 300000, -1} {
			h, err := db.CreateHousehold(ctx, admin, cleanFamily(t, 200+10*i))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, h.ID)
			if net >= 0 {
				if _, err := db.PutIncome(ctx, admin, h.ID, 2025, fupin.IncomeInput{Version: h.Version, Wage: net}); err != nil {
					t.Fatal(err)
				}
			}
		}
		bands := func() map[string]int {
			t.Helper()
			d, err := db.Dashboard(ctx, admin, "500236266", 2025)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, b := range d.Income {
				key := b.Key
				if b.Min != nil && *b.Min >= d.MonitoringLine {
					key = "above" // 10 000 yuan is above the line; which multiple depends on it
				}
				if b.Households > 0 {
					got[key] += b.Households
				}
			}
			return got
		}
		if got, want := bands(), map[string]int{"none": 1, "below_poverty": 1, "above": 1}; !equalCounts(got, want) {
			t.Fatalf("bands = %v, want %v", got, want)
		}

		// Verdicts as migration 0006 finds them, and the recomputation it queues.
		if err := db.Exec(`UPDATE verdicts SET per_capita = NULL`); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(`INSERT INTO recompute_queue (area, from_year, requested_at)
			SELECT '', MIN(year), CURRENT_TIMESTAMP FROM verdicts HAVING COUNT(*) > 0`); err != nil {
			t.Fatal(err)
		}
		if got, want := bands(), map[string]int{"none": 3}; !equalCounts(got, want) {
			t.Errorf("bands before the recomputation = %v, want %v", got, want)
		}
		history := func() (n int) {
			t.Helper()
			for _, id := range ids {
				a, err := db.AssessHousehold(ctx, admin, id, 2025)
				if err != nil {
					t.Fatal(err)
				}
				n += len(a.History)
			}
			return n
		}
		before := history()
		if n, err := db.ProcessRecomputeQueue(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil || n != 1 {
			t.Fatalf("recompute: %d, %v", n, err)
		}
		if got, want := bands(), map[string]int{"none": 1, "below_poverty": 1, "above": 1}; !equalCounts(got, want) {
			t.Errorf("bands after the recomputation = %v, want %v", got, want)
		}
		if after := history(); after != before {
			t.Errorf("filling per_capita recorded %d outcome changes", after-before)
		}
	})
}

func equalCounts(got, want map[string]int) bool {
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	for k, v := range got {
		if want[k] != v {
			return false
		}
	}
	return true
}
