package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Shared strings are kept as a few large strings ("chunks") plus one packed uint64 per item, so
// a table of millions of unique names and ID numbers costs about its text plus 8 bytes an item,
// and a cell's value is a substring: no allocation per cell.
const (
	sstChunkBits = 22 // chunks of 4 MiB; an item is at most 4 MiB - 1 bytes
	sstChunkSize = 1 << sstChunkBits
	sstMask      = sstChunkSize - 1
	sstMaxHint   = 1 << 24 // uniqueCount is outside input: preallocation from it is capped
	sstMaxBytes  = 1 << 30 // against zip bombs; a million-row registry needs about 100 MB
	sstMaxItems  = 1 << 26 // the same, for items: a million rows × 24 columns is 1 << 24.5
)

type sharedStrings struct {
	chunks []string
	items  []uint64 // chunk<<44 | offset<<22 | length
	cur    []byte   // chunk being filled while loading
}

// get returns item i.
func (s *sharedStrings) get(i int) (string, bool) {
	if s == nil || i < 0 || i >= len(s.items) {
		return "", false
	}
	e := s.items[i]
	n := int(e & sstMask)
	if n == 0 {
		return "", true
	}
	off := int(e >> sstChunkBits & sstMask)
	return s.chunks[e>>(2*sstChunkBits)][off : off+n], true
}

func (s *sharedStrings) add(b []byte) error {
	if len(s.items) >= sstMaxItems {
		return fmt.Errorf("共享字符串表过大（超过 %d 项）", sstMaxItems)
	}
	if len(b) == 0 {
		s.items = append(s.items, 0)
		return nil
	}
	if len(b) >= sstChunkSize {
		return fmt.Errorf("共享字符串第 %d 项过长（%d 字节）", len(s.items)+1, len(b))
	}
	if len(s.cur)+len(b) > sstChunkSize {
		if len(s.chunks)*sstChunkSize > sstMaxBytes {
			return fmt.Errorf("共享字符串表过大（超过 %d MB）", sstMaxBytes>>20)
		}
		s.flush()
	}
	e := uint64(len(s.chunks))<<(2*sstChunkBits) | uint64(len(s.cur))<<sstChunkBits | uint64(len(b))
	s.cur = append(s.cur, b...)
	s.items = append(s.items, e)
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
func loadSharedStrings(src io.Reader, size int64) (*sharedStrings, error) {
	s := &sharedStrings{}
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
			return s, nil
		case tokText:
			if inT {
				text = appendText(text, &t)
			}
		case tokStart:
			switch string(t.name) {
			case "sst":
				// An item takes at least 5 bytes (<si/>), which bounds a lying uniqueCount.
				s.items = make([]uint64, 0, min(uniqueCount(t.attrs), int(size/5)))
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
				return min(n, sstMaxHint)
			}
		}
	}
	return 0
}
