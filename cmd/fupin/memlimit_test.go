package main

import (
	"runtime/debug"
	"testing"
)

// TestDemoMemoryLimit: a demo load runs under an 80 MiB soft memory limit
// and the previous limit comes back after it; GOMEMLIMIT, when set, wins.
func TestDemoMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	restore := demoMemoryLimit(noEnv)
	if got := debug.SetMemoryLimit(-1); got != 80<<20 {
		t.Errorf("limit during the demo = %d", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != old {
		t.Errorf("limit after the demo = %d, want %d", got, old)
	}
	restore = demoMemoryLimit(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	})
	if got := debug.SetMemoryLimit(-1); got != old {
		t.Errorf("limit with GOMEMLIMIT set = %d, want %d", got, old)
	}
	restore()
}
