package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"fupin/internal/fupin"
)

var errNoSession = errors.New("no session")

// Session is a signed-in browser session.
type Session struct {
	User      User
	CSRFToken string
	ExpiresAt time.Time
	// PasswordResetBy and PasswordResetAt are set when someone else reset
	// the user's password before this sign-in: the user is told so.
	PasswordResetBy string
	PasswordResetAt *time.Time
}

// CreateSession stores a session (by the hash of its id) for a user. A
// pending password-reset notice of the user moves to the session (see
// Session.PasswordResetBy), so that the user is told once.
func (db *DB) CreateSession(ctx context.Context, u *User, idHash, csrf, addr string, absolute time.Duration) error {
	return db.update(ctx, u.Actor(), func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at,
			expires_at, addr, password_reset_by, password_reset_at)
			SELECT $1, id, $2, $3, $3, $4, $5, password_reset_by, password_reset_at FROM users WHERE id = $6`,
			idHash, csrf, tx.now, tx.now.Add(absolute), addr, u.ID)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_reset_by = '', password_reset_at = NULL
			WHERE id = $1 AND password_reset_at IS NOT NULL`, u.ID); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return tx.auditValue(ctx, "auth.sign_in", "user", u.Username, nil, map[string]string{"addr": addr})
	})
}

// SessionByHash returns the live session with that id hash. It only reads:
// the session's last-seen time is kept in memory and written in the
// background (see seenTracker), so that a browser is never kept waiting
// for the database's writer — on SQLite there is one, and an import holds
// it for minutes. A session idle longer than idle, past its absolute
// expiry, or of a disabled user is reported unauthorized and deleted in
// the background.
func (db *DB) SessionByHash(ctx context.Context, idHash string, idle time.Duration) (*Session, error) {
	var s *Session
	now := db.Now().UTC()
	err := db.view(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		var uid int64
		var seen, expires time.Time
		var sess Session
		err := tx.QueryRowContext(ctx, `SELECT user_id, csrf_token, last_seen_at, expires_at, password_reset_by, password_reset_at
			FROM sessions WHERE id_hash = $1`, idHash).Scan(&uid, &sess.CSRFToken, &seen, &expires, &sess.PasswordResetBy, &sess.PasswordResetAt)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoSession
		} else if err != nil {
			return err
		}
		users, _, err := tx.scanUsers(ctx, `WHERE id = $1`, uid)
		if err != nil {
			return err
		}
		seen = db.seen.latest(idHash, seen)
		if len(users) == 0 || users[0].Disabled || now.After(expires) || now.Sub(seen) > idle {
			db.seen.forget(idHash)
			go db.deleteSession(idHash)
			return errNoSession
		}
		db.seen.touch(db, idHash, now, idle)
		sess.User, sess.ExpiresAt = users[0], expires.UTC()
		if sess.PasswordResetAt != nil {
			at := sess.PasswordResetAt.UTC()
			sess.PasswordResetAt = &at
		}
		s = &sess
		return nil
	})
	if errors.Is(err, errNoSession) {
		return nil, fupin.Errorf(fupin.EUnauthorized, "登录已过期，请重新登录")
	}
	return s, err
}

// deleteSession removes an ended session, in the background of a request.
func (db *DB) deleteSession(idHash string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db.update(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
		return err
	})
}

// seenTracker keeps the last-seen times of sessions (and last-used times
// of API tokens) in memory and writes them in the background, at most once
// per granularity: a quarter of the idle timeout, and never more than a
// minute, so that an active user is never signed out for being idle.
type seenTracker struct {
	mu      sync.Mutex
	times   map[string]time.Time // session hash → last seen, not yet written
	tokens  map[int64]time.Time  // token id → last used, not yet written
	every   time.Duration        // flush interval
	running bool
	stop    chan struct{}
	done    chan struct{}
}

// latest is the later of the stored last-seen time and the one in memory.
func (t *seenTracker) latest(idHash string, stored time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if m, ok := t.times[idHash]; ok && m.After(stored) {
		return m
	}
	return stored
}

func (t *seenTracker) forget(idHash string) {
	t.mu.Lock()
	delete(t.times, idHash)
	t.mu.Unlock()
}

// touch records a session's use now and makes sure the flusher runs often
// enough for the idle timeout.
func (t *seenTracker) touch(db *DB, idHash string, now time.Time, idle time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.times == nil {
		t.times = map[string]time.Time{}
	}
	t.times[idHash] = now
	t.start(db, min(time.Minute, max(idle/4, 10*time.Millisecond)))
}

// touchToken records an API token's use now.
func (t *seenTracker) touchToken(db *DB, id int64, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tokens == nil {
		t.tokens = map[int64]time.Time{}
	}
	t.tokens[id] = now
	t.start(db, time.Minute)
}

// start runs the flusher, or makes it run at least every interval. t.mu is
// held.
func (t *seenTracker) start(db *DB, every time.Duration) {
	if t.running && every >= t.every {
		return
	}
	if !t.running {
		t.stop, t.done, t.running = make(chan struct{}), make(chan struct{}), true
		t.every = every
		go t.loop(db, t.stop, t.done)
		return
	}
	t.every = every
}

func (t *seenTracker) loop(db *DB, stop, done chan struct{}) {
	defer close(done)
	for {
		t.mu.Lock()
		every := t.every
		t.mu.Unlock()
		select {
		case <-stop:
			// A last flush, bounded: shutting down must not wait for an
			// import that holds the writer.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			t.flush(ctx, db)
			cancel()
			return
		case <-time.After(every):
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				select {
				case <-stop:
				case <-ctx.Done():
				}
				cancel()
			}()
			t.flush(ctx, db)
			cancel()
		}
	}
}

// flush writes the pending times in one transaction, waiting for the
// writer as long as ctx allows. A time that changed meanwhile, or that
// could not be written, stays pending.
func (t *seenTracker) flush(ctx context.Context, db *DB) {
	t.mu.Lock()
	sessions, tokens := make(map[string]time.Time, len(t.times)), make(map[int64]time.Time, len(t.tokens))
	for k, v := range t.times {
		sessions[k] = v
	}
	for k, v := range t.tokens {
		tokens[k] = v
	}
	t.mu.Unlock()
	if len(sessions) == 0 && len(tokens) == 0 {
		return
	}
	err := db.update(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		for k, v := range sessions {
			if _, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND last_seen_at < $1`,
				v.Truncate(time.Microsecond), k); err != nil {
				return err
			}
		}
		for k, v := range tokens {
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, v.Truncate(time.Microsecond), k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return // stays pending; the next flush tries again
	}
	t.mu.Lock()
	for k, v := range sessions {
		if t.times[k].Equal(v) {
			delete(t.times, k)
		}
	}
	for k, v := range tokens {
		if t.tokens[k].Equal(v) {
			delete(t.tokens, k)
		}
	}
	t.mu.Unlock()
}

// close stops the flusher after a last flush.
func (t *seenTracker) close() {
	t.mu.Lock()
	running, stop, done := t.running, t.stop, t.done
	t.running = false
	t.mu.Unlock()
	if running {
		close(stop)
		<-done
	}
}
