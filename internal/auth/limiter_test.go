package auth

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a manually advanced clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fail makes one allowed, failed attempt and returns Failure's result.
func fail(t *testing.T, l *Limiter, account, addr string) bool {
	t.Helper()
	if ok, wait, reason := l.Allow(account, addr); !ok {
		t.Fatalf("Allow(%q, %q) = false, %v, %q; want true", account, addr, wait, reason)
	}
	return l.Failure(account, addr)
}

func TestLimiterLockout(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(clk.Now)
	for i := 1; i <= 5; i++ {
		if got, want := fail(t, l, "ZhangSan", fmt.Sprintf("10.0.0.%d", i)), i == 5; got != want {
			t.Fatalf("failure %d: lockedNow = %v, want %v", i, got, want)
		}
	}
	// Sixth attempt, another spelling of the account and another address.
	ok, wait, reason := l.Allow(" zhangsan ", "10.9.9.9")
	if got, want := fmt.Sprint(ok, wait, reason), fmt.Sprint(false, 15*time.Minute, "账号已临时锁定，请 15 分钟后再试"); got != want {
		t.Fatalf("6th Allow = %s, want %s", got, want)
	}
	// Failures during the lock neither count nor extend it.
	clk.Advance(14*time.Minute + 30*time.Second)
	if l.Failure("zhangsan", "10.9.9.9") {
		t.Errorf("Failure during lock returned lockedNow = true")
	}
	l.Success("zhangsan", "10.9.9.9") // must not lift the lock
	ok, wait, reason = l.Allow("zhangsan", "10.9.9.9")
	if got, want := fmt.Sprint(ok, wait, reason), fmt.Sprint(false, 30*time.Second, "账号已临时锁定，请 1 分钟后再试"); got != want {
		t.Fatalf("Allow near the end of the lock = %s, want %s", got, want)
	}
	clk.Advance(30 * time.Second)
	// Unlocked, with MaxFailures fresh tries.
	for i := 1; i <= 5; i++ {
		if got, want := fail(t, l, "zhangsan", "10.0.1.1"), i == 5; got != want {
			t.Fatalf("after unlock, failure %d: lockedNow = %v, want %v", i, got, want)
		}
	}
	if ok, _, _ := l.Allow("zhangsan", "10.0.1.1"); ok {
		t.Fatalf("Allow after relock = true")
	}
	// Other accounts are unaffected; an administrator can unlock.
	if ok, _, _ := l.Allow("lisi", "10.0.1.1"); !ok {
		t.Errorf("Allow(lisi) = false while only zhangsan is locked")
	}
	l.Unlock("ZHANGSAN")
	if ok, _, _ := l.Allow("zhangsan", "10.0.1.1"); !ok {
		t.Errorf("Allow after Unlock = false")
	}
}

func TestLimiterSuccessResets(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(clk.Now)
	for i := range 4 {
		if fail(t, l, "wangwu", "10.0.0.1") {
			t.Fatalf("failure %d locked", i+1)
		}
	}
	if ok, _, _ := l.Allow("wangwu", "10.0.0.1"); !ok {
		t.Fatal("Allow after 4 failures = false")
	}
	l.Success("wangwu", "10.0.0.1")
	for i := range 4 {
		if fail(t, l, "wangwu", "10.0.0.1") {
			t.Fatalf("failure %d after success locked", i+1)
		}
	}
	// Failures older than ForgetAfter are forgotten too.
	clk.Advance(l.ForgetAfter)
	if fail(t, l, "wangwu", "10.0.0.1") {
		t.Fatal("failure after ForgetAfter locked")
	}
}

func TestLimiterAddressWindow(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(clk.Now)
	// 20 attempts on different accounts, 30 s apart: 0 s … 9 m 30 s.
	for i := range 20 {
		if i > 0 {
			clk.Advance(30 * time.Second)
		}
		if ok, _, _ := l.Allow(fmt.Sprintf("user%d", i), fmt.Sprintf("203.0.113.7:%d", 40000+i)); !ok {
			t.Fatalf("attempt %d rejected", i+1)
		}
	}
	for range 50 { // rejected attempts do not count
		ok, wait, reason := l.Allow("another", "203.0.113.7")
		if got, want := fmt.Sprint(ok, wait, reason), fmt.Sprint(false, 30*time.Second, msgTooFrequent); got != want {
			t.Fatalf("21st attempt = %s, want %s", got, want)
		}
	}
	if ok, _, _ := l.Allow("another", "203.0.113.8"); !ok {
		t.Fatal("another address rejected")
	}
	clk.Advance(30 * time.Second) // the first attempt leaves the window
	if ok, _, _ := l.Allow("another", "203.0.113.7"); !ok {
		t.Fatal("attempt after the window moved rejected")
	}
	ok, wait, _ := l.Allow("another", "203.0.113.7")
	if ok || wait != 30*time.Second {
		t.Fatalf("next attempt = %v, %v; want false, 30s", ok, wait)
	}
	clk.Advance(l.Window)
	for i := range 20 {
		if ok, _, _ := l.Allow("x", "203.0.113.7"); !ok {
			t.Fatalf("attempt %d after a quiet window rejected", i+1)
		}
	}
}

func TestLimiterLongerWaitWins(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(clk.Now)
	l.MaxAttempts = 6
	for range 5 {
		fail(t, l, "zhaoliu", "10.0.0.1")
	}
	clk.Advance(10 * time.Minute) // lock has 5 minutes left
	fail(t, l, "other", "10.0.0.2")
	for range 6 {
		l.Allow("other", "10.0.0.3")
	}
	tests := []struct {
		addr   string
		wait   time.Duration
		reason string
	}{
		{"10.0.0.1", 5 * time.Minute, "账号已临时锁定，请 5 分钟后再试"},
		{"10.0.0.3", 10 * time.Minute, msgTooFrequent},
	}
	for _, tt := range tests {
		ok, wait, reason := l.Allow("zhaoliu", tt.addr)
		if got, want := fmt.Sprint(ok, wait, reason), fmt.Sprint(false, tt.wait, tt.reason); got != want {
			t.Errorf("Allow(zhaoliu, %s) = %s, want %s", tt.addr, got, want)
		}
	}
}

func TestLimiterDisabledAndEmpty(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(clk.Now)
	l.MaxFailures, l.MaxAttempts = 0, 0
	for range 100 {
		fail(t, l, "a", "10.0.0.1")
	}
	l = NewLimiter(clk.Now)
	for range 100 {
		if fail(t, l, "", "") {
			t.Fatal("empty account locked")
		}
	}
	if len(l.accounts) != 0 || len(l.addrs) != 0 {
		t.Errorf("empty keys tracked: %d accounts, %d addresses", len(l.accounts), len(l.addrs))
	}
}

func TestNormAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"203.0.113.7:51234", "203.0.113.7"},
		{" 203.0.113.7 ", "203.0.113.7"},
		{"[::ffff:203.0.113.7]:80", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::9]:443", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"unix-socket", "unix-socket"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normAddr(tt.in); got != tt.want {
			t.Errorf("normAddr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLimiterPruning(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(clk.Now)
	l.MaxEntries = 100
	for range 5 {
		fail(t, l, "victim", "10.0.0.1")
	}
	for i := range 1000 {
		clk.Advance(time.Millisecond)
		fail(t, l, fmt.Sprintf("user%d", i), fmt.Sprintf("10.1.%d.%d", i/256, i%256))
		if len(l.accounts) > l.MaxEntries || len(l.addrs) > l.MaxEntries {
			t.Fatalf("after %d entries: %d accounts, %d addresses; want at most %d",
				i+1, len(l.accounts), len(l.addrs), l.MaxEntries)
		}
	}
	if ok, _, _ := l.Allow("victim", "10.9.9.9"); ok {
		t.Error("flooding the table unlocked an account")
	}
	// Once everything is stale, the next pruning drops all of it.
	clk.Advance(l.ForgetAfter)
	for i := range 30 {
		fail(t, l, fmt.Sprintf("fresh%d", i), fmt.Sprintf("10.2.0.%d", i))
	}
	if got, want := fmt.Sprint(len(l.accounts), len(l.addrs)), "30 30"; got != want {
		t.Errorf("entries after stale pruning = %s, want %s", got, want)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(nil)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				acct := fmt.Sprintf("u%d", i%3)
				if ok, _, _ := l.Allow(acct, "198.51.100.1"); ok {
					allowed.Add(1)
				}
				if g%2 == 0 {
					l.Failure(acct, "198.51.100.1")
				} else {
					l.Success(acct, "198.51.100.1")
				}
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got > int32(l.MaxAttempts) {
		t.Errorf("%d concurrent attempts allowed from one address, want at most %d", got, l.MaxAttempts)
	}
}
