package xlsx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Shared strings are kept as a few large strings ("chunks") plus one packed uint64 per item, so
// a table of millions of unique names and ID numbers costs about its text plus 8 bytes an item,
// and a cell's value is a substring: no allocation per cell.
const (
	sstChunkBits = 22 // chunks of 4 MiB; an item is at most 4 MiB - 1 bytes
	sstChunkSize = 1 << sstChunkBits
	sstMask      = sstChunkSize - 1
	sstBlockBits = 16 // items are kept in blocks of 65,536, so that growing never copies them
	sstBlockSize = 1 << sstBlockBits
)

type sharedStrings struct {
	chunks []string
	items  [][]uint64 // blocks of chunk<<44 | offset<<22 | length
	n      int        // items
	cur    []byte     // chunk being filled while loading
	lim    Limits
	bytes  int64     // text of the items so far
	disk   *sstSpill // the table once it outgrew spillAt; chunks and items are then unused
}

// get returns item i. A spilled table's item is a copy (sheets read it with appendItem).
func (s *sharedStrings) get(i int) (string, bool) {
	if s == nil || i < 0 || i >= s.n {
		return "", false
	}
	if s.disk != nil {
		b, err := s.disk.item(i)
		return string(b), err == nil
	}
	e := s.items[i>>sstBlockBits][i&(sstBlockSize-1)]
	n := int(e & sstMask)
	if n == 0 {
		return "", true
	}
	off := int(e >> sstChunkBits & sstMask)
	return s.chunks[e>>(2*sstChunkBits)][off : off+n], true
}

// add appends an item after checking it against the limits: an item is a cell (CellBytes), and
// the table's text plus 8 bytes an item stays within SharedBytes.
func (s *sharedStrings) add(b []byte) error {
	if s.lim.CellBytes > 0 && len(b) > s.lim.CellBytes {
		return limitError(fmt.Sprintf("共享字符串表第 %d 项过长（超过 %d KB 上限）", s.n+1, s.lim.CellBytes>>10))
	}
	if len(b) >= sstChunkSize {
		return fmt.Errorf("共享字符串第 %d 项过长（%d 字节）", s.n+1, len(b))
	}
	if s.lim.SharedBytes > 0 && s.bytes+int64(len(b))+8*int64(s.n+1) > s.lim.SharedBytes {
		return limitError(fmt.Sprintf("共享字符串表过大（%d 项，超过 %d MB 上限）", s.n+1, s.lim.SharedBytes>>20))
	}
	if s.disk == nil && s.bytes+int64(len(b))+8*int64(s.n+1) > spillAt {
		if err := s.spill(); err != nil {
			return err
		}
	}
	if s.disk != nil {
		if err := s.disk.add(b); err != nil {
			return err
		}
		s.n++
		s.bytes += int64(len(b))
		return nil
	}
	if s.n&(sstBlockSize-1) == 0 {
		s.items = append(s.items, make([]uint64, 0, sstBlockSize))
	}
	blk := &s.items[len(s.items)-1]
	if len(b) == 0 {
		*blk = append(*blk, 0)
		s.n++
		return nil
	}
	if len(s.cur)+len(b) > sstChunkSize {
		s.flush()
	}
	if s.cur == nil {
		s.cur = make([]byte, 0, min(sstChunkSize, max(s.lim.SharedBytes, 64<<10)))
	}
	e := uint64(len(s.chunks))<<(2*sstChunkBits) | uint64(len(s.cur))<<sstChunkBits | uint64(len(b))
	s.cur = append(s.cur, b...)
	*blk = append(*blk, e)
	s.n++
	s.bytes += int64(len(b))
	return nil
}

func (s *sharedStrings) flush() {
	if len(s.cur) > 0 {
		s.chunks = append(s.chunks, string(s.cur))
		s.cur = s.cur[:0]
	}
}

// loadSharedStrings reads xl/sharedStrings.xml. An item's text is its <t> plus the <t> of each
// rich-text run <r>; phonetic runs <rPh> (furigana) are not part of the text.
// The table's size is checked against lim before anything is allocated for it: a stated
// uniqueCount beyond what SharedBytes allows is refused at once, and items are stored in
// blocks, so memory grows with what was read and checked, never by a stated count.
func loadSharedStrings(src io.Reader, size int64, lim Limits) (_ *sharedStrings, err error) {
	s := &sharedStrings{lim: lim}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	sc := newScanner(src, size)
	var t token
	var text []byte
	inSi, inPh, inT, ended := false, false, false, false
	for {
		if err := sc.next(&t); err != nil {
			return nil, err
		}
		switch t.kind {
		case tokEOF:
			if !ended {
				return nil, fmt.Errorf("缺少 </sst>：%w", errTruncated)
			}
			s.flush()
			s.cur = nil
			if s.disk != nil {
				if err := s.disk.finish(); err != nil {
					return nil, err
				}
			}
			return s, nil
		case tokText:
			if inT {
				text = appendText(text, &t)
			}
		case tokStart:
			switch string(t.name) {
			case "sst":
				if n := uniqueCount(t.attrs); lim.SharedBytes > 0 && int64(n) > lim.SharedBytes/8 {
					return nil, limitError(fmt.Sprintf("共享字符串表声明 %d 项，超过上限（%d MB 内存）", n, lim.SharedBytes>>20))
				}
				ended = ended || t.self
			case "si":
				if t.self {
					if err := s.add(nil); err != nil {
						return nil, err
					}
				} else {
					inSi, text = true, text[:0]
				}
			case "rPh":
				inPh = !t.self
			case "t":
				inT = inSi && !inPh && !t.self
			}
		case tokEnd:
			switch string(t.name) {
			case "t":
				inT = false
			case "rPh":
				inPh = false
			case "si":
				if !inSi {
					return nil, errors.New("共享字符串表结构错误")
				}
				inSi = false
				if err := s.add(unescapeX(text)); err != nil {
					return nil, err
				}
			case "sst":
				ended = true
			}
		}
	}
}

func uniqueCount(attrs []byte) int {
	for a, v, rest, ok := nextAttr(attrs); ok; a, v, rest, ok = nextAttr(rest) {
		if string(a) == "uniqueCount" {
			n, err := strconv.Atoi(string(v))
			if err == nil && n > 0 {
				return n
			}
			if err != nil && len(v) > 0 && v[0] != '-' {
				return math.MaxInt // too large for an int
			}
		}
	}
	return 0
}

// close releases a spilled table's files.
func (s *sharedStrings) close() {
	if s != nil && s.disk != nil {
		s.disk.close()
	}
}

// held is the memory the table holds while sheets are read, as Limits.SharedBytes counts it
// for a table in memory; a spilled table holds its page caches.
func (s *sharedStrings) held() int64 {
	switch {
	case s == nil:
		return 0
	case s.disk != nil:
		return spillCacheBytes
	}
	return s.bytes + 8*int64(s.n)
}

// appendItem appends item i to buf: sheets of a spilled table copy each item into the row's
// text, so a kept cell never pins a cached page. ok is false for no such item.
func (s *sharedStrings) appendItem(buf []byte, i int) (_ []byte, ok bool, err error) {
	if s == nil || i < 0 || i >= s.n {
		return buf, false, nil
	}
	b, err := s.disk.item(i)
	if err != nil {
		return buf, true, err
	}
	return append(buf, b...), true, nil
}
