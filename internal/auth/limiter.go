package auth

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// Reason given by Limiter.Allow when an address makes too many attempts.
const msgTooFrequent = "尝试过于频繁，请稍后再试"

// Limiter throttles sign-in attempts in memory: it locks an account after
// repeated consecutive failures and caps the attempts per remote address.
// It is safe for concurrent use. State is per process and lost on restart,
// which is acceptable for throttling.
//
// Use it around every password check:
//
//	if ok, wait, reason := lim.Allow(user, r.RemoteAddr); !ok { /* 429, Retry-After: wait, reason */ }
//	if passwordOK { lim.Success(user, r.RemoteAddr) } else if lim.Failure(user, r.RemoteAddr) { /* audit lock-out */ }
//
// Account names are compared ignoring case and surrounding space. Addresses
// may be given with a port ("1.2.3.4:5678", as in http.Request.RemoteAddr);
// the port is dropped, and IPv6 addresses are grouped by their /64 prefix
// because one client usually owns a whole /64. An empty account or address
// skips that limit.
//
// The exported fields hold the policy; NewLimiter sets the defaults. Change
// them only before the Limiter is first used.
type Limiter struct {
	// MaxFailures consecutive failed attempts lock an account (default 5;
	// zero or less disables lock-out). A success resets the count.
	MaxFailures int
	// LockFor is how long a lock lasts (default 15 minutes). Failures while
	// locked neither count nor extend the lock; Allow rejects the account.
	LockFor time.Duration
	// ForgetAfter drops a failure count whose latest failure is older than
	// this (default 24 hours), so a typo last month does not count today.
	ForgetAfter time.Duration
	// MaxAttempts is the number of attempts one address may make in any
	// sliding Window, for all accounts together (default 20; zero or less
	// disables the limit). Every Allow that returns true is an attempt,
	// successful or not, so concurrent guesses cannot slip past the limit.
	MaxAttempts int
	// Window is the length of the sliding window of MaxAttempts (default
	// 10 minutes).
	Window time.Duration
	// MaxEntries bounds the number of accounts and of addresses tracked
	// (default 10000 each). When a new entry would exceed it, stale entries
	// are dropped and, if that is not enough, the least recently active
	// ones, keeping locked accounts as long as possible. Zero or less
	// means no bound.
	MaxEntries int

	now      func() time.Time
	mu       sync.Mutex
	accounts map[string]*accountState
	addrs    map[string]*addrState
}

type accountState struct {
	failures    int       // consecutive failures since the last success or lock
	last        time.Time // time of the latest failure
	lockedUntil time.Time // zero or past when not locked
}

type addrState struct {
	times []time.Time // accepted attempts inside the window, oldest first
}

// NewLimiter returns a Limiter with the default policy: lock an account for
// 15 minutes after 5 consecutive failures, and allow 20 attempts per address
// in any 10 minutes. now is the clock (nil means time.Now); tests pass a fake.
func NewLimiter(now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{
		MaxFailures: 5,
		LockFor:     15 * time.Minute,
		ForgetAfter: 24 * time.Hour,
		MaxAttempts: 20,
		Window:      10 * time.Minute,
		MaxEntries:  10000,
		now:         now,
		accounts:    make(map[string]*accountState),
		addrs:       make(map[string]*addrState),
	}
}

// Allow reports whether a sign-in attempt for account from addr may go ahead;
// call it before checking the password. If not, retryAfter is how long until
// an attempt can succeed and reason is a Chinese message for the user, e.g.
// "账号已临时锁定，请 15 分钟后再试" or "尝试过于频繁，请稍后再试". When
// both limits apply, the longer wait is reported. An allowed attempt counts
// against addr; a rejected one counts against nothing.
func (l *Limiter) Allow(account, addr string) (ok bool, retryAfter time.Duration, reason string) {
	acct, ad := normAccount(account), normAddr(addr)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()

	if a := l.accounts[acct]; acct != "" && a != nil && now.Before(a.lockedUntil) {
		retryAfter = a.lockedUntil.Sub(now)
		reason = lockReason(retryAfter)
	}
	var st *addrState
	if ad != "" && l.MaxAttempts > 0 {
		if st = l.addrs[ad]; st != nil {
			st.trim(now.Add(-l.Window))
			if n := len(st.times); n >= l.MaxAttempts {
				// Free once the attempt MaxAttempts back leaves the window.
				if wait := st.times[n-l.MaxAttempts].Add(l.Window).Sub(now); wait > retryAfter {
					retryAfter, reason = wait, msgTooFrequent
				}
			}
		}
	}
	if reason != "" {
		return false, retryAfter, reason
	}
	if ad != "" && l.MaxAttempts > 0 {
		if st == nil {
			l.pruneAddrs(now)
			st = &addrState{}
			l.addrs[ad] = st
		}
		st.times = append(st.times, now)
	}
	return true, 0, ""
}

// Failure records a failed attempt (wrong password or unknown account) and
// reports whether this failure locked the account, so the caller can write
// an audit record of the lock-out. A failure while the account is already
// locked changes nothing and returns false. addr is accepted for symmetry
// with Allow, which has already counted the attempt against it.
func (l *Limiter) Failure(account, addr string) (lockedNow bool) {
	acct := normAccount(account)
	if acct == "" || l.MaxFailures <= 0 {
		return false
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()

	a := l.accounts[acct]
	if a == nil {
		l.pruneAccounts(now)
		a = &accountState{}
		l.accounts[acct] = a
	}
	if now.Before(a.lockedUntil) {
		return false
	}
	if now.Sub(a.last) >= l.ForgetAfter {
		a.failures = 0
	}
	a.failures++
	a.last = now
	if a.failures >= l.MaxFailures {
		a.failures = 0 // after the lock, the account gets MaxFailures new tries
		a.lockedUntil = now.Add(l.LockFor)
		return true
	}
	return false
}

// Success records a successful sign-in: the account's consecutive failure
// count returns to zero. It does not lift an active lock (Allow would not
// have let the attempt through) and does not refund the address's attempt.
func (l *Limiter) Success(account, addr string) {
	acct := normAccount(account)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if a := l.accounts[acct]; a != nil && !now.Before(a.lockedUntil) {
		delete(l.accounts, acct)
	}
}

// Unlock lifts a lock and clears the failure count of account, for an
// administrator helping a locked-out user.
func (l *Limiter) Unlock(account string) {
	acct := normAccount(account)
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, acct)
}

// trim drops attempts at or before cutoff.
func (s *addrState) trim(cutoff time.Time) {
	i := 0
	for i < len(s.times) && !s.times[i].After(cutoff) {
		i++
	}
	if i > 0 {
		s.times = s.times[:copy(s.times, s.times[i:])]
	}
}

// pruneAccounts makes room for one more account entry. l.mu is held.
func (l *Limiter) pruneAccounts(now time.Time) {
	if l.MaxEntries <= 0 || len(l.accounts) < l.MaxEntries {
		return
	}
	for k, a := range l.accounts {
		if !now.Before(a.lockedUntil) && (a.failures == 0 || now.Sub(a.last) >= l.ForgetAfter) {
			delete(l.accounts, k)
		}
	}
	evictOldest(l.accounts, l.MaxEntries, func(a, b *accountState) int {
		// Unlocked before locked, then least recently failed first.
		la, lb := now.Before(a.lockedUntil), now.Before(b.lockedUntil)
		if la != lb {
			if la {
				return 1
			}
			return -1
		}
		return a.last.Compare(b.last)
	})
}

// pruneAddrs makes room for one more address entry. l.mu is held.
func (l *Limiter) pruneAddrs(now time.Time) {
	if l.MaxEntries <= 0 || len(l.addrs) < l.MaxEntries {
		return
	}
	cutoff := now.Add(-l.Window)
	for k, s := range l.addrs {
		if s.trim(cutoff); len(s.times) == 0 {
			delete(l.addrs, k)
		}
	}
	evictOldest(l.addrs, l.MaxEntries, func(a, b *addrState) int {
		return a.times[len(a.times)-1].Compare(b.times[len(b.times)-1])
	})
}

// evictOldest deletes the first entries in cmp order until m holds at most
// three quarters of limit, when it holds more than that. Shrinking well
// below the limit keeps the cost of the sort amortised over many inserts.
func evictOldest[V any](m map[string]V, limit int, cmpFn func(a, b V) int) {
	target := limit * 3 / 4
	if len(m) <= target {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmpFn(m[a], m[b]), strings.Compare(a, b))
	})
	for _, k := range keys[:len(keys)-target] {
		delete(m, k)
	}
}

func lockReason(wait time.Duration) string {
	minutes := max(1, int((wait+time.Minute-1)/time.Minute))
	return fmt.Sprintf("账号已临时锁定，请 %d 分钟后再试", minutes)
}

func normAccount(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// normAddr drops a port and groups IPv6 addresses by /64.
func normAddr(s string) string {
	s = strings.TrimSpace(s)
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return s
	}
	a = a.WithZone("").Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
