package sqlstore

import "testing"

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
