package sqlstore

import (
	"context"

	"fupin/internal/fupin"
)

// EncodeItems exposes encodeItems to the tests.
var EncodeItems = encodeItems

// Exec runs raw SQL on the write pool, for tests that tamper with tables.
func (db *DB) Exec(query string, args ...any) error {
	_, err := db.write.Exec(query, args...)
	return err
}

// Update exposes update (a write transaction with its failover retry) to the tests.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.update(ctx, fupin.SystemActor("test"), fn)
}

// PrimaryChanged exposes primaryChanged to the tests.
var PrimaryChanged = primaryChanged
