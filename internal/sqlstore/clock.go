package sqlstore

import "time"

// Clock is the store's current time, read from DB.Now at each call: the
// one clock that sessions, the sign-in limiter and every transaction share,
// so that a test pinning DB.Now moves all of them together.
func (db *DB) Clock() time.Time { return db.Now() }
