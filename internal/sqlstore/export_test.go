package sqlstore

// EncodeItems exposes encodeItems to the tests.
var EncodeItems = encodeItems

// Exec runs raw SQL on the write pool, for tests that tamper with tables.
func (db *DB) Exec(query string, args ...any) error {
	_, err := db.write.Exec(query, args...)
	return err
}

// OnSnapshotRead sets a function run inside CreateSnapshot's transaction
// after it listed the households, to interleave writers with it.
func (db *DB) OnSnapshotRead(f func()) { db.snapshotRead = f }

// QueryRow scans one row of raw SQL on the write pool into dest.
func (db *DB) QueryRow(query string, dest any, args ...any) error {
	return db.write.QueryRow(query, args...).Scan(dest)
}
