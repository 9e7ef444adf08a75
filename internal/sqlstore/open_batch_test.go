package sqlstore_test

import (
	"path/filepath"
	"testing"

	"fupin/internal/sqlstore"
)

// TestOpenBatchSmallReadCache: a one-shot command's read connections keep
// a small page cache, the server's a large one.
func TestOpenBatchSmallReadCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	var got [2]int
	for i, open := range []func() (*sqlstore.DB, error){
		func() (*sqlstore.DB, error) { return sqlstore.Open(ctx, path) },
		func() (*sqlstore.DB, error) { return sqlstore.OpenBatch(ctx, path) },
	} {
		db, err := open()
		if err != nil {
			t.Fatal(err)
		}
		got[i], err = db.ReadCacheKiB(ctx)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if got[1] <= 0 || got[1] > 4<<10 || got[0] < 4*got[1] {
		t.Errorf("read cache: Open %d KiB, OpenBatch %d KiB; want OpenBatch at most 4 MiB and a quarter of Open's", got[0], got[1])
	}
}
