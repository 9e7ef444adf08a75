package xlsx

import (
	"archive/zip"
	"io"
	"sync/atomic"
)

// prefetch inflates a zip entry on its own goroutine, so that decompression (about half the
// work) overlaps with scanning on a second core. It holds prefetchBufs buffers of
// prefetchBufSize bytes, so memory stays flat whatever the entry's size.
type prefetch struct {
	rc     io.ReadCloser
	full   chan chunk
	free   chan []byte
	stop   chan struct{}
	exited chan struct{}
	cur    []byte // unread part of the chunk being consumed
	last   []byte // that chunk's buffer, returned to free once consumed
	err    error
	closed bool
}

type chunk struct {
	b   []byte
	err error
}

const (
	prefetchBufs    = 8
	prefetchBufSize = 256 << 10
	prefetchMin     = 1 << 20
)

// openPart opens a zip entry for scanning: through a prefetch goroutine when it is big enough
// for the overlap to pay, directly otherwise.
func openPart(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil || f.UncompressedSize64 < prefetchMin {
		return rc, err
	}
	return newPrefetch(rc), nil
}

func newPrefetch(rc io.ReadCloser) *prefetch {
	p := &prefetch{
		rc:     rc,
		full:   make(chan chunk, prefetchBufs),
		free:   make(chan []byte, prefetchBufs),
		stop:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range prefetchBufs {
		p.free <- make([]byte, prefetchBufSize)
	}
	go p.run()
	return p
}

func (p *prefetch) run() {
	defer close(p.exited)
	for {
		var b []byte
		select {
		case b = <-p.free:
		case <-p.stop:
			return
		}
		n, err := readFull(p.rc, b)
		select {
		case p.full <- chunk{b[:n], err}:
		case <-p.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// readFull is io.ReadFull without its translation of a short read into io.ErrUnexpectedEOF,
// which would hide whether the inflater itself found the data cut off.
func readFull(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Read implements io.Reader for the scanner.
func (p *prefetch) Read(dst []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.err != nil || p.closed {
			return 0, p.errOrEOF()
		}
		if p.last != nil {
			p.free <- p.last // never blocks: there are only prefetchBufs buffers
			p.last = nil
		}
		c := <-p.full
		p.cur, p.last, p.err = c.b, c.b, c.err
	}
	n := copy(dst, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

func (p *prefetch) errOrEOF() error {
	if p.err == nil {
		return io.ErrClosedPipe
	}
	return p.err
}

// Close stops the goroutine, waits for it and closes the entry.
func (p *prefetch) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	close(p.stop)
	<-p.exited
	return p.rc.Close()
}

// countingReaderAt counts the bytes read from the file, for progress. It is read from other
// goroutines (the prefetcher, a progress bar), hence the atomic.
type countingReaderAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}
