package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// Lockout is the stored sign-in lock-out state of an account name, so that
// a restart neither lifts a lock nor forgets failures counted towards one.
type Lockout struct {
	Account     string
	Failures    int
	LastFailure time.Time
	LockedUntil time.Time // zero when not locked
}

// Lockouts returns every stored lock-out state.
func (db *DB) Lockouts(ctx context.Context) ([]Lockout, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT account, failures, last_failure, locked_until FROM signin_lockouts`)
	if err != nil {
		return nil, fmt.Errorf("lockouts: %w", err)
	}
	defer rows.Close()
	var out []Lockout
	for rows.Next() {
		var l Lockout
		var until *time.Time
		if err := rows.Scan(&l.Account, &l.Failures, &l.LastFailure, &until); err != nil {
			return nil, fmt.Errorf("lockouts: %w", err)
		}
		if until != nil {
			l.LockedUntil = until.UTC()
		}
		l.LastFailure = l.LastFailure.UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

// SaveLockout stores an account's lock-out state; keep false deletes it
// (after a successful sign-in, or when nothing is left to remember).
func (db *DB) SaveLockout(ctx context.Context, l Lockout, keep bool) error {
	return db.update(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_lockouts WHERE account = $1`, l.Account); err != nil || !keep {
			return err
		}
		var until any
		if !l.LockedUntil.IsZero() {
			until = l.LockedUntil.UTC()
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO signin_lockouts (account, failures, last_failure, locked_until)
			VALUES ($1, $2, $3, $4)`, l.Account, l.Failures, l.LastFailure.UTC(), until)
		return err
	})
}

// LockoutOf returns one account's stored lock-out state (ok false when none is stored).
func (db *DB) LockoutOf(ctx context.Context, account string) (l Lockout, ok bool, err error) {
	var until *time.Time
	err = db.read.QueryRowContext(ctx, `SELECT account, failures, last_failure, locked_until FROM signin_lockouts WHERE account = $1`, account).
		Scan(&l.Account, &l.Failures, &l.LastFailure, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return Lockout{}, false, nil
	}
	if err != nil {
		return Lockout{}, false, fmt.Errorf("lockout: %w", err)
	}
	if until != nil {
		l.LockedUntil = until.UTC()
	}
	l.LastFailure = l.LastFailure.UTC()
	return l, true, nil
}
