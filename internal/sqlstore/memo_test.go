package sqlstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMemoSharesOneComputation checks that concurrent gets of one key under
// one token run one computation and all get its value.
func TestMemoSharesOneComputation(t *testing.T) {
	m := newMemo[string, int](4, 0)
	var runs atomic.Int32
	release := make(chan struct{})
	compute := func(context.Context) (int, error) {
		runs.Add(1)
		<-release
		return 42, nil
	}
	const n = 8
	got := make([]int, n)
	var started, wg sync.WaitGroup
	for i := range n {
		started.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			v, err := m.get(context.Background(), "k", "t1", compute)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	started.Wait()
	time.Sleep(20 * time.Millisecond) // let the waiters reach the entry
	close(release)
	wg.Wait()
	if r := runs.Load(); r != 1 {
		t.Errorf("computations = %d, want 1", r)
	}
	for i, v := range got {
		if v != 42 {
			t.Errorf("caller %d got %d, want 42", i, v)
		}
	}
}

// TestMemoToken checks that a value is reused under its token, recomputed
// under another, and that errors are not kept.
func TestMemoToken(t *testing.T) {
	ctx := context.Background()
	m := newMemo[string, int](4, 0)
	n := 0
	count := func(context.Context) (int, error) { n++; return n, nil }
	for _, step := range []struct {
		token string
		want  int
	}{{"a", 1}, {"a", 1}, {"b", 2}, {"b", 2}, {"a", 3}} {
		if got, err := m.get(ctx, "k", step.token, count); err != nil || got != step.want {
			t.Fatalf("token %s: got %d, %v; want %d", step.token, got, err, step.want)
		}
	}
	boom := errors.New("boom")
	if _, err := m.get(ctx, "e", "a", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got, err := m.get(ctx, "e", "a", count); err != nil || got != 4 {
		t.Fatalf("after an error: got %d, %v; want a new computation (4)", got, err)
	}
	if _, ok := m.peek("e", "b"); ok {
		t.Error("peek under another token found a value")
	}
	if got, ok := m.peek("e", "a"); !ok || got != 4 {
		t.Errorf("peek = %d, %v; want 4, true", got, ok)
	}
}

// TestMemoMaxAge checks that an entry older than maxAge is recomputed
// under the same token.
func TestMemoMaxAge(t *testing.T) {
	ctx := context.Background()
	m := newMemo[string, int](4, 30*time.Millisecond)
	n := 0
	count := func(context.Context) (int, error) { n++; return n, nil }
	m.get(ctx, "k", "a", count)
	if got, _ := m.get(ctx, "k", "a", count); got != 1 {
		t.Fatalf("fresh entry recomputed: got %d", got)
	}
	time.Sleep(40 * time.Millisecond)
	if _, ok := m.peek("k", "a"); ok {
		t.Error("peek returned an entry older than maxAge")
	}
	if got, _ := m.get(ctx, "k", "a", count); got != 2 {
		t.Errorf("old entry: got %d, want a recomputation (2)", got)
	}
}

// TestMemoEvictsLeastRecentlyUsed checks the bound and which entry goes.
func TestMemoEvictsLeastRecentlyUsed(t *testing.T) {
	m := newMemo[int, int](3, 0)
	for k := range 3 {
		m.put(k, "t", k*10)
		time.Sleep(time.Millisecond) // distinct use times
	}
	if _, ok := m.peek(0, "t"); !ok { // 0 is now the most recently used
		t.Fatal("entry 0 missing before the bound was reached")
	}
	time.Sleep(time.Millisecond)
	m.put(3, "t", 30)
	if len(m.entries) != 3 {
		t.Fatalf("entries = %d, want 3", len(m.entries))
	}
	if _, ok := m.peek(1, "t"); ok {
		t.Error("entry 1, the least recently used, was kept")
	}
	for _, k := range []int{0, 2, 3} {
		if v, ok := m.peek(k, "t"); !ok || v != k*10 {
			t.Errorf("entry %d = %d, %v; want %d", k, v, ok, k*10)
		}
	}
}

// TestMemoWaiterCancelled checks that a waiter whose context ends gets its
// error while the computation goes on for the others.
func TestMemoWaiterCancelled(t *testing.T) {
	m := newMemo[string, int](4, 0)
	release := make(chan struct{})
	first := make(chan int)
	go func() {
		v, _ := m.get(context.Background(), "k", "t", func(ctx context.Context) (int, error) {
			<-release
			return 7, ctx.Err()
		})
		first <- v
	}()
	for { // wait until the computation has begun
		m.mu.Lock()
		_, ok := m.entries["k"]
		m.mu.Unlock()
		if ok {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.get(ctx, "k", "t", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: err = %v, want context.Canceled", err)
	}
	close(release)
	if v := <-first; v != 7 {
		t.Errorf("computing caller got %d, want 7", v)
	}
}
