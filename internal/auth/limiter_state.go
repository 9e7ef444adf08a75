package auth

import "time"

// AccountState is the lock-out state of one account name, for keeping it
// in a database across restarts (see Limiter.State and Limiter.Restore).
type AccountState struct {
	Account     string    // normalised account name
	Failures    int       // consecutive failures counted towards a lock
	LastFailure time.Time // time of the latest failure
	LockedUntil time.Time // zero when not locked
}

// State returns the lock-out state of account after a Failure or Success;
// ok is false when nothing is kept for it (no failures, not locked), in
// which case a stored state should be deleted.
func (l *Limiter) State(account string) (st AccountState, ok bool) {
	acct := normAccount(account)
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.accounts[acct]
	if a == nil || acct == "" {
		return AccountState{Account: acct}, false
	}
	return AccountState{Account: acct, Failures: a.failures, LastFailure: a.last, LockedUntil: a.lockedUntil}, true
}

// Restore loads a stored lock-out state, for a Limiter created at start-up.
// States that no longer matter (lock over and failures forgotten) are
// ignored.
func (l *Limiter) Restore(st AccountState) {
	acct := normAccount(st.Account)
	now := l.now()
	if acct == "" || !now.Before(st.LockedUntil) && now.Sub(st.LastFailure) >= l.ForgetAfter {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pruneAccounts(now)
	l.accounts[acct] = &accountState{failures: st.Failures, last: st.LastFailure, lockedUntil: st.LockedUntil}
}

// Merge takes in a state stored by another server on the same database (read before each
// sign-in), so that failures and lock-outs on one server hold on all: the stored state
// replaces this limiter's when it is newer (a later failure) or locks longer. Forgotten
// states are ignored as in Restore.
func (l *Limiter) Merge(st AccountState) {
	acct := normAccount(st.Account)
	now := l.now()
	if acct == "" || !now.Before(st.LockedUntil) && now.Sub(st.LastFailure) >= l.ForgetAfter {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.accounts[acct]
	if a != nil && !st.LastFailure.After(a.last) && !st.LockedUntil.After(a.lockedUntil) {
		return
	}
	l.pruneAccounts(now)
	l.accounts[acct] = &accountState{failures: st.Failures, last: st.LastFailure, lockedUntil: st.LockedUntil}
}
