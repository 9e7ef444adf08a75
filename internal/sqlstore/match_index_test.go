package sqlstore

import (
	"fmt"
	"runtime"
	"testing"
)

// Packed keys find exactly the keys put in: no two keys (leading zeros,
// a final X, letters, lengths) share an entry.
func TestPackedMap(t *testing.T) {
	keys := []string{"1", "01", "001", "10", "5002362660010001", "05002362660010001",
		"50023619800101123X", "500236198001011230", "500236198001011231", "50023619800101123x",
		"H-001", "A12", "12345678901234567890", "99999999999999999", "999999999999999999"}
	var m packedMap
	for i, k := range keys {
		m.put([]byte(k), int64(i+1))
	}
	for i, k := range keys {
		if got, ok := m.get(k); !ok || got != int64(i+1) {
			t.Errorf("get(%q) = %d, %v; want %d", k, got, ok, i+1)
		}
	}
	for _, k := range []string{"", "0001", "2", "50023619800101123Y", "50023619800101123"} {
		if got, ok := m.get(k); ok {
			t.Errorf("get(%q) = %d, want none", k, got)
		}
	}
	if len(m.str) != 4 {
		t.Errorf("%d keys kept as strings, want 4 (letters, lower-case x, 20 digits)", len(m.str))
	}
}

// The size packedMap.bytes reports is within a factor of two of the heap
// its maps take, for ID numbers and for string keys.
func TestPackedMapBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  func(i int) string
	}{
		{"ID numbers", func(i int) string { return fmt.Sprintf("500236%08d%04d", 19500101+i%500000, i%10000) }},
		{"户编号 with letters", func(i int) string { return fmt.Sprintf("H-%09d", i) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 200000
			keys := make([][]byte, n)
			for i := range keys {
				keys[i] = []byte(tc.key(i))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var m packedMap
			for i, k := range keys {
				m.put(k, int64(i))
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
			t.Logf("bytes() = %d, heap grew by %d", m.bytes(), heap)
			if got := m.bytes(); got < heap/2 || got > heap*2 {
				t.Errorf("bytes() = %d for %d keys, heap grew by %d", got, n, heap)
			}
			runtime.KeepAlive(keys)
		})
	}
}
