package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"time"
)

// peakHeapProfile writes a heap profile to path each time the Go heap in
// use reaches a new high (checked every 100 ms, rewritten at most once a
// second, and at least 8 MB above the last one written), so that the file
// left at the end shows what was live at the peak: FUPIN_MEMPROFILE=FILE
// for any command, then `go tool pprof -sample_index=inuse_space FILE`.
// Memory outside the Go heap (SQLite's page cache) is not in the profile;
// FILE.txt gets the highest Go total (runtime/metrics
// /memory/classes/total:bytes) and resident size seen, to tell the two
// apart. stop ends the sampling.
func peakHeapProfile(path string) (stop func()) {
	runtime.MemProfileRate = 64 << 10
	done := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	go func() {
		var peak, peakTotal, peakRSS uint64
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
			if t, r := sample[1].Value.Uint64(), residentBytes(); t > peakTotal || r > peakRSS {
				peakTotal, peakRSS = max(t, peakTotal), max(r, peakRSS)
				os.WriteFile(path+".txt", []byte(fmt.Sprintf("go_total_mb %d\nrss_mb %d\n", peakTotal>>20, peakRSS>>20)), 0o644)
			}
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

// residentBytes is the process's resident size (VmRSS), 0 where /proc is
// not readable.
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte("VmRSS:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kb, err := strconv.ParseUint(string(bytes.Fields(line)[0]), 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}
