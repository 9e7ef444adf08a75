package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestReadPoolMixCompletes runs what `fupin bench http` sends (exports,
// sorted lists, details, dashboards and version-checked writes, which make
// the lists recount) side by side on a small read pool. Code that holds one
// read connection while it waits for another (an export taking its three
// scan connections one by one, a list counting on the pool inside its read
// transaction) stalls here until the deadline, a hang detector only.
func TestReadPoolMixCompletes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(120)); err != nil {
			t.Fatal(err)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 200})
		if err != nil || len(page.Items) < 100 {
			t.Fatalf("households: %d, %v", len(page.Items), err)
		}
		ids := make([]int64, len(page.Items))
		for i, h := range page.Items {
			ids[i] = h.ID
		}
		area := page.Items[0].VillageCode[:6]
		db.LimitReadPool(4)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		sorts := []string{"", "-updated_at", "head_name"}
		// Filters with totals of their own: after each write every one
		// of them is recounted.
		attrs := []string{""}
		for _, it := range fupin.PovertyAttrs.Items {
			attrs = append(attrs, it.Code)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		var exported int
		note := func(err error) {
			if err != nil && code(err) != fupin.EConflict {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}
		for w := 0; w < 24; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 24 && ctx.Err() == nil; i++ {
					id := ids[(w*24+i)%len(ids)]
					switch (w + i) % 6 {
					case 0:
						n := 0
						err := db.EachHousehold(ctx, admin, area, func(*fupin.Household) error { n++; return nil })
						mu.Lock()
						exported += n
						mu.Unlock()
						note(err)
					case 1, 2:
						_, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: area, Limit: 20, Offset: 20 * (i % 3), Sort: sorts[(w+i)%3], PovertyAttr: attrs[(w*7+i)%len(attrs)]})
						note(err)
					case 3:
						_, err := db.Household(ctx, admin, id)
						note(err)
					case 4:
						_, err := db.Dashboard(ctx, admin, area, 2025)
						note(err)
					case 5:
						h, err := db.Household(ctx, admin, id)
						if err == nil {
							h.Phone = fmt.Sprintf("1390000%04d", w*100+i)
							_, err = db.UpdateHousehold(ctx, admin, h)
						}
						note(err)
					}
				}
			}()
		}
		waitOrDump(t, &wg, cancel)
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if exported == 0 {
			t.Fatal("the exports streamed no household")
		}
	})
}

// waitOrDump waits for wg; when it has not finished after 60 s (a hang
// detector, not a speed limit) it fails with the goroutines as they wait,
// then cancels the work.
func waitOrDump(t *testing.T, wg *sync.WaitGroup, cancel func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(60 * time.Second):
	}
	var b strings.Builder
	pprof.Lookup("goroutine").WriteTo(&b, 1)
	cancel()
	<-done
	t.Fatalf("did not finish within 60 s (a connection held while waiting for another?); goroutines:\n%s", b.String())
}

// TestOneReadConnectionServesReads runs the console's reads one after
// another on a read pool of one connection (on PostgreSQL the one pool), each
// after a write so that nothing is memoised: a read that asks the pool for
// a second connection while holding one waits forever. Batch scans are
// left out on PostgreSQL, where their three connections come from that pool.
func TestOneReadConnectionServesReads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.BulkLoad(ctx, admin, "test.load", demoHouseholds(30)); err != nil {
			t.Fatal(err)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 5})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("households: %d, %v", len(page.Items), err)
		}
		h0 := page.Items[0]
		area := h0.VillageCode[:6]
		db.LimitReadPool(1)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		who := sqlstore.TodoCaller{Role: "county", CanWrite: true, Principal: "user:1"}
		reads := []struct {
			name string
			read func() error
		}{
			{"list", func() error {
				_, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Area: area, Limit: 20, Sort: "-updated_at"})
				return err
			}},
			{"household", func() error { _, err := db.Household(ctx, admin, h0.ID); return err }},
			{"dashboard", func() error { _, err := db.Dashboard(ctx, admin, area, 2025); return err }},
			{"todo", func() error { _, err := db.Todo(ctx, admin, area, who); return err }},
			{"findings", func() error {
				_, err := db.Findings(ctx, admin, sqlstore.FindingFilter{Area: area, Limit: 20})
				return err
			}},
		}
		if db.Dialect() == sqlstore.SQLite {
			reads = append(reads, struct {
				name string
				read func() error
			}{"export", func() error {
				return db.EachHousehold(ctx, admin, area, func(*fupin.Household) error { return nil })
			}})
		}
		var errs []error
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, r := range reads {
				h, err := db.Household(ctx, admin, h0.ID)
				if err == nil {
					h.Phone = fmt.Sprintf("1390000%04d", i)
					_, err = db.UpdateHousehold(ctx, admin, h)
				}
				if err != nil {
					errs = append(errs, fmt.Errorf("write before %s: %w", r.name, err))
					return
				}
				if err := r.read(); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", r.name, err))
				}
			}
		}()
		waitOrDump(t, &wg, cancel)
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	})
}
