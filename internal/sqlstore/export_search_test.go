package sqlstore

import "context"

// DataToken exposes the dashboard's data token to the tests.
func (db *DB) DataToken(ctx context.Context) (string, error) { return db.dataToken(ctx) }
