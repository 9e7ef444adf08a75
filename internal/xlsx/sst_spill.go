package xlsx

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
)

// A shared strings table larger than spillAt (its text plus 8 bytes an item, as
// Limits.SharedBytes counts it) moves to two temporary files: the items' text, and an index of
// one uint64 per item (offset<<22 | length). Sheets then read items through small page caches,
// so memory stays at a few megabytes whatever the table: a 2.1M-row workbook whose table is at
// the 160 MB budget took an import to 405 MB resident with the table in memory.
//
// The files are removed from the directory as soon as they are created (only the open
// descriptors keep them), so no path — an error, a panic, a killed process — leaves registry
// text behind in the temporary directory; Close releases the space.
//
// Items are written in the order the table lists them and sheets mostly reference the newest
// ones (each new name or ID number is added as the row using it is written) or a few frequent
// ones (villages, relations), so direct-mapped caches of 32 KiB pages miss rarely.
var spillAt int64 = 24 << 20

const (
	spillPageBits  = 15 // 32 KiB pages
	spillPageSize  = 1 << spillPageBits
	spillTextPages = 256 // 8 MiB of text pages
	spillIndexPage = 64  // 2 MiB of index pages: 262,144 items
)

// spillCacheBytes is the memory a spilled table holds while sheets are read.
const spillCacheBytes = (spillTextPages + spillIndexPage) * spillPageSize

type sstSpill struct {
	text, index *os.File
	tw, iw      *bufio.Writer // while loading
	off         int64         // text written so far
	tc, ic      pageCache
	scratch     []byte // an item spanning two text pages
	e           [8]byte
}

// spill moves the in-memory table to temporary files.
func (s *sharedStrings) spill() error {
	d := &sstSpill{}
	var err error
	if d.text, err = tempFile(); err != nil {
		return err
	}
	if d.index, err = tempFile(); err != nil {
		d.text.Close()
		return err
	}
	s.disk = d
	d.tw, d.iw = bufio.NewWriterSize(d.text, 64<<10), bufio.NewWriterSize(d.index, 64<<10)
	s.flush()
	bases := make([]int64, len(s.chunks))
	for k, c := range s.chunks {
		bases[k] = d.off
		if _, err := d.tw.WriteString(c); err != nil {
			return spillError(err)
		}
		d.off += int64(len(c))
	}
	for i := range s.n {
		e := s.items[i>>sstBlockBits][i&(sstBlockSize-1)]
		n := int64(e & sstMask)
		off := int64(0)
		if n > 0 {
			off = bases[e>>(2*sstChunkBits)] + int64(e>>sstChunkBits&sstMask)
		}
		if err := d.putIndex(off, n); err != nil {
			return err
		}
	}
	s.chunks, s.items, s.cur = nil, nil, nil
	return nil
}

func tempFile() (*os.File, error) {
	f, err := os.CreateTemp("", "fupin-sst-*")
	if err != nil {
		return nil, spillError(err)
	}
	// Only the descriptor keeps the file from now on.
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, spillError(err)
	}
	return f, nil
}

func spillError(err error) error {
	return fmt.Errorf("写入共享字符串表的临时文件：%w", err)
}

func (d *sstSpill) putIndex(off, n int64) error {
	binary.LittleEndian.PutUint64(d.e[:], uint64(off)<<sstChunkBits|uint64(n))
	if _, err := d.iw.Write(d.e[:]); err != nil {
		return spillError(err)
	}
	return nil
}

// add appends an item (already checked against the limits).
func (d *sstSpill) add(b []byte) error {
	if err := d.putIndex(d.off, int64(len(b))); err != nil {
		return err
	}
	if _, err := d.tw.Write(b); err != nil {
		return spillError(err)
	}
	d.off += int64(len(b))
	return nil
}

// finish ends loading: the writers' buffers are released, the caches made.
func (d *sstSpill) finish() error {
	if err := d.tw.Flush(); err != nil {
		return spillError(err)
	}
	if err := d.iw.Flush(); err != nil {
		return spillError(err)
	}
	d.tw, d.iw = nil, nil
	d.tc.init(d.text, spillTextPages)
	d.ic.init(d.index, spillIndexPage)
	return nil
}

// item returns item i (which exists), valid until the next call.
func (d *sstSpill) item(i int) ([]byte, error) {
	b, err := d.ic.read(int64(i)*8, 8, &d.scratch)
	if err != nil {
		return nil, err
	}
	e := binary.LittleEndian.Uint64(b)
	n := int(e & sstMask)
	if n == 0 {
		return nil, nil
	}
	return d.tc.read(int64(e>>sstChunkBits), n, &d.scratch)
}

func (d *sstSpill) close() {
	d.text.Close()
	d.index.Close()
	d.tc, d.ic = pageCache{}, pageCache{}
}

// pageCache is a direct-mapped cache of a file's pages.
type pageCache struct {
	f     *os.File
	pages [][]byte
	tags  []int64 // page number held by each slot, -1 for none
}

func (c *pageCache) init(f *os.File, slots int) {
	c.f = f
	c.pages = make([][]byte, slots)
	c.tags = make([]int64, slots)
	for i := range c.tags {
		c.tags[i] = -1
	}
}

// page returns page p, reading it on a miss. The last page of the file may be short.
func (c *pageCache) page(p int64) ([]byte, error) {
	slot := int(p % int64(len(c.pages)))
	if c.tags[slot] == p {
		return c.pages[slot], nil
	}
	buf := c.pages[slot]
	if buf == nil {
		buf = make([]byte, spillPageSize)
	}
	buf = buf[:spillPageSize]
	n, err := c.f.ReadAt(buf, p<<spillPageBits)
	if n == 0 && err != nil {
		c.tags[slot] = -1
		return nil, fmt.Errorf("读取共享字符串表的临时文件：%w", err)
	}
	c.pages[slot], c.tags[slot] = buf[:n], p
	return buf[:n], nil
}

// read returns n bytes at off: a slice of a cached page, or of *scratch when they span pages.
func (c *pageCache) read(off int64, n int, scratch *[]byte) ([]byte, error) {
	p, in := off>>spillPageBits, int(off&(spillPageSize-1))
	pg, err := c.page(p)
	if err != nil {
		return nil, err
	}
	if in+n <= len(pg) {
		return pg[in : in+n], nil
	}
	if in+n <= spillPageSize {
		return nil, fmt.Errorf("共享字符串表的临时文件不完整")
	}
	buf := append((*scratch)[:0], pg[in:]...)
	for len(buf) < n {
		p++
		if pg, err = c.page(p); err != nil {
			return nil, err
		}
		buf = append(buf, pg[:min(len(pg), n-len(buf))]...)
	}
	*scratch = buf
	return buf, nil
}
