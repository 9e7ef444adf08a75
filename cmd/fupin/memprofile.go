package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// peakHeapProfile writes a heap profile to path each time the Go heap in
// use reaches a new high (checked every 100 ms, rewritten at most once a
// second, and at least 8 MB above the last one written), so that the file
// left at the end shows what was live at the peak: FUPIN_MEMPROFILE=FILE
// for any command, then `go tool pprof -sample_index=inuse_space FILE`.
// Memory outside the Go heap (SQLite's page cache) is not in the profile.
// stop ends the sampling.
func peakHeapProfile(path string) (stop func()) {
	runtime.MemProfileRate = 64 << 10
	done := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		var peak uint64
		var written time.Time
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			v := sample[0].Value.Uint64()
			if v < peak+8<<20 || time.Since(written) < time.Second {
				continue
			}
			peak, written = v, time.Now()
			runtime.GC() // the profile shows the heap as of the last collection
			if f, err := os.Create(path); err == nil {
				pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
		}
	}()
	return func() { close(done) }
}
