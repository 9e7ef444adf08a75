package xlsx

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// parallelDeflate compresses a zip entry on all cores, the way pigz does:
// the data is cut into chunks, each chunk is compressed on its own
// (ending with a sync flush, so that it ends on a byte boundary) and the
// compressed chunks are written in order, followed by an empty final
// block. The result is one valid deflate stream; a chunk's back-references
// cannot reach into the chunk before it, which costs about 1% in size.
// Memory is bounded by the chunks in flight (2 per core, 1 MiB each).
type parallelDeflate struct {
	fh    *zip.FileHeader
	out   io.Writer
	buf   []byte
	crc   uint32
	size  uint64
	csize uint64
	queue chan chan []byte // compressed chunks, in order
	done  chan error
	// failed is the first error writing the output (set by drain), so that
	// Write stops early; closed is set once the queue is closed.
	mu     sync.Mutex
	failed error
	closed bool
}

const deflateChunk = 1 << 20

// The buffers and deflaters of parallelDeflate (and the workbook parts'
// deflaters, writer.go) are kept for the next file in free lists rather than
// sync.Pools: under a server's allocation rate the pools were emptied by the
// collections between two exports, so every village export allocated a 1 MiB
// chunk, its compressed output and six deflaters of about 1 MB each anew (a
// quarter of all the bytes the soak of issue 19 allocated). They keep at most
// a few megabytes.
var (
	chunkPool    = newFreeList(2*runtime.GOMAXPROCS(0)+2, func() []byte { return make([]byte, 0, deflateChunk) })
	outPool      = newFreeList(2*runtime.GOMAXPROCS(0)+2, func() []byte { return make([]byte, 0, deflateChunk/4) })
	deflaterPool = newFreeList(runtime.GOMAXPROCS(0), func() *flate.Writer {
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		return w
	})
)

// freeList keeps up to its capacity of values for reuse.
type freeList[T any] struct {
	c     chan T
	alloc func() T
}

func newFreeList[T any](n int, alloc func() T) *freeList[T] {
	return &freeList[T]{c: make(chan T, n), alloc: alloc}
}

// get returns a kept value, or a new one.
func (f *freeList[T]) get() T {
	select {
	case v := <-f.c:
		return v
	default:
		return f.alloc()
	}
}

// put keeps v when there is room (v must no longer be used).
func (f *freeList[T]) put(v T) {
	select {
	case f.c <- v:
	default:
	}
}

// createDeflated starts a zip entry written by a parallelDeflate; Close
// it before the next entry is created.
func createDeflated(zw *zip.Writer, name string) (*parallelDeflate, error) {
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, Flags: 0x8} // 0x8: sizes and CRC after the data
	out, err := zw.CreateRaw(fh)
	if err != nil {
		return nil, err
	}
	p := &parallelDeflate{fh: fh, out: out, buf: chunkPool.get(),
		queue: make(chan chan []byte, 2*runtime.GOMAXPROCS(0)), done: make(chan error, 1)}
	go p.drain()
	return p, nil
}

// writeChunk compresses b, after what Write has buffered, as a chunk of its
// own; b must be a buffer the caller no longer uses (it goes to chunkPool).
func (p *parallelDeflate) writeChunk(b []byte) error {
	if err := p.err(); err != nil {
		chunkPool.put(b[:0])
		return err
	}
	if len(p.buf) > 0 {
		p.submit()
	}
	if p.buf != nil {
		chunkPool.put(p.buf[:0])
	}
	if len(b) == 0 {
		p.buf = nil
		chunkPool.put(b)
		return nil
	}
	p.buf = b
	p.submit()
	return nil
}

func (p *parallelDeflate) Write(b []byte) (int, error) {
	if err := p.err(); err != nil {
		return 0, err
	}
	n := len(b)
	for len(b) > 0 {
		if p.buf == nil {
			p.buf = chunkPool.get()
		}
		k := copy(p.buf[len(p.buf):cap(p.buf)], b)
		p.buf = p.buf[:len(p.buf)+k]
		b = b[k:]
		if len(p.buf) == cap(p.buf) {
			p.submit()
		}
	}
	return n, nil
}

// submit hands the buffered chunk to a compressing goroutine; it blocks
// while too many chunks are in flight.
func (p *parallelDeflate) submit() {
	chunk := p.buf
	p.buf = nil // taken again by Write, not by Close
	p.crc = crc32.Update(p.crc, crc32.IEEETable, chunk)
	p.size += uint64(len(chunk))
	result := make(chan []byte, 1)
	p.queue <- result
	go func() {
		out := bytes.NewBuffer(outPool.get())
		fw := deflaterPool.get()
		fw.Reset(out)
		fw.Write(chunk) // writes to a bytes.Buffer cannot fail
		fw.Flush()
		fw.Reset(io.Discard) // keep no reference to out
		deflaterPool.put(fw)
		chunkPool.put(chunk[:0])
		result <- out.Bytes()
	}()
}

func (p *parallelDeflate) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed
}

func (p *parallelDeflate) drain() {
	var err error
	for result := range p.queue {
		data := <-result
		if err == nil {
			if _, err = p.out.Write(data); err != nil {
				p.mu.Lock()
				p.failed = err
				p.mu.Unlock()
			}
		}
		p.csize += uint64(len(data))
		outPool.put(data[:0])
	}
	p.done <- err
}

// finish stops taking chunks and waits for the ones in flight; it returns
// the first output error. Only the first call does anything.
func (p *parallelDeflate) finish() error {
	if p.closed {
		return p.err()
	}
	p.closed = true
	close(p.queue)
	if p.buf != nil {
		chunkPool.put(p.buf[:0])
		p.buf = nil
	}
	return <-p.done
}

// abort ends the entry without completing it (its goroutines exit); the
// file is unusable after it.
func (p *parallelDeflate) abort() { p.finish() }

// finalBlock is an empty stored block with BFINAL set: the end of the
// stream (every chunk ended byte-aligned with a sync flush).
var finalBlock = []byte{0x01, 0x00, 0x00, 0xff, 0xff}

// Close writes the rest and fills in the entry's CRC and sizes, which the
// zip writer puts after the data and in the central directory.
func (p *parallelDeflate) Close() error {
	if len(p.buf) > 0 && !p.closed {
		p.submit()
	}
	if err := p.finish(); err != nil {
		return err
	}
	if _, err := p.out.Write(finalBlock); err != nil {
		return err
	}
	p.csize += uint64(len(finalBlock))
	fh := p.fh
	fh.CRC32, fh.CompressedSize64, fh.UncompressedSize64 = p.crc, p.csize, p.size
	const max32 = 1<<32 - 1
	if p.size >= max32 || p.csize >= max32 {
		//lint:ignore SA1019 the 32-bit fields are what a ZIP64 header must set to 0xFFFFFFFF
		fh.CompressedSize, fh.UncompressedSize = max32, max32
		fh.ReaderVersion = 45 // ZIP64
	} else {
		//lint:ignore SA1019 a raw header written with CreateRaw carries the 32-bit sizes too
		fh.CompressedSize, fh.UncompressedSize = uint32(p.csize), uint32(p.size)
	}
	return nil
}
