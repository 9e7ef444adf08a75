package exchange_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func timeNow() time.Time { return time.Now() }

func writeCSV(t *testing.T, rows [][]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bad.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	return path
}
