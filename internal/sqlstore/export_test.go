package sqlstore

// EncodeItems exposes encodeItems to the tests.
var EncodeItems = encodeItems

// Exec runs raw SQL on the write pool, for tests that tamper with tables.
func (db *DB) Exec(query string, args ...any) error {
	_, err := db.write.Exec(query, args...)
	return err
}
