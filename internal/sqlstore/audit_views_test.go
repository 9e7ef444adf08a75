package sqlstore_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/sqlstore"
)

// Views that arrive while a batch is being written share the next
// transaction; every view gets its own chained entry, with its own actor
// and household, committed before AuditView returns.
func TestAuditViewsBatched(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		const n = 20
		release := make(chan struct{})
		var mu sync.Mutex
		var sizes []int
		db.BeforeViewBatch(func(size int) {
			mu.Lock()
			sizes = append(sizes, size)
			first := len(sizes) == 1
			mu.Unlock()
			if first {
				<-release // hold the first batch until the others wait
			}
		})
		var before int
		if err := db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'person.view'`, &before); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, n)
		view := func(i int) {
			errs <- db.AuditView(ctx, fmt.Sprintf("查看者%d", i), "person.view", "household", fmt.Sprint(1000+i), map[string]string{"path": "/x"})
		}
		go view(0)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			mu.Lock()
			started := len(sizes) == 1
			mu.Unlock()
			if started {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the first view's batch did not start")
			}
		}
		for i := 1; i < n; i++ {
			go view(i)
		}
		for deadline := time.Now().Add(10 * time.Second); db.PendingViews() < n-1; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d views pending", db.PendingViews(), n-1)
			}
		}
		close(release)
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		if !slices.Equal(sizes, []int{1, n - 1}) {
			t.Errorf("batches %v, want [1 %d]", sizes, n-1)
		}
		mu.Unlock()
		for i := range n {
			var got int
			if err := db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'person.view' AND actor = $1 AND entity_id = $2`,
				&got, fmt.Sprintf("查看者%d", i), fmt.Sprint(1000+i)); err != nil {
				t.Fatal(err)
			}
			if got != 1 {
				t.Errorf("view %d: %d entries, want 1", i, got)
			}
		}
		var after int
		if err := db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'person.view'`, &after); err != nil {
			t.Fatal(err)
		}
		if after-before != n {
			t.Errorf("%d person.view entries written, want %d", after-before, n)
		}
		if _, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
			t.Errorf("audit chain after the batches: %v %+v", err, problem)
		}
	})
}
