package xlsx

import (
	"bytes"
	"errors"
	"io"
)

// The scanner is a minimal pull tokenizer for the XML that spreadsheet writers produce. It is
// deliberately not a conforming XML parser: it finds tags, attributes and text with IndexByte
// over a large buffer, which is what makes a million-row sheet take seconds instead of a minute.
// Slices in a token point into the buffer and are valid only until the next call to next.

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

type token struct {
	kind  tokKind
	name  []byte // local name, namespace prefix removed
	attrs []byte // raw attribute text of a start tag
	self  bool   // start tag closes itself: <c r="A1"/>
	text  []byte // raw text (entities not decoded) or CDATA content
	cdata bool
}

const (
	scanBufSize = 256 << 10
	maxTokenLen = 2 << 20 // a single tag or text node larger than this is treated as damage (a cell holds at most 32 KB)
)

var (
	errTokenTooLong = errors.New("XML 节点过大")
	errTruncated    = errors.New("XML 意外结束")
)

type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	err      error // sticky error from r; io.EOF once the input is exhausted
}

// newScanner reads r, whose size is about size bytes (0 if unknown): small parts get a small
// buffer, which matters when many small files are opened (tests, fuzzing).
func newScanner(r io.Reader, size int64) *scanner {
	s := &scanner{}
	s.reset(r, size)
	return s
}

// reset starts on a new input, keeping the buffer when it is big enough.
func (s *scanner) reset(r io.Reader, size int64) {
	n := scanBufSize
	if size > 0 && size < scanBufSize {
		n = max(int(size)+1, 4<<10)
	}
	if len(s.buf) < n {
		s.buf = make([]byte, n)
	}
	s.r, s.pos, s.end, s.err = r, 0, 0, nil
}

// fill keeps buf[pos:end], moves it to the front and reads more after it. It reports false when
// no byte could be added.
func (s *scanner) fill() bool {
	if s.err != nil {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxTokenLen {
			s.err = errTokenTooLong
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// readErr is the error that stopped input in the middle of a token.
func (s *scanner) readErr() error {
	if s.err == nil || s.err == io.EOF {
		return errTruncated
	}
	return explain(s.err)
}

// index finds sep at or after buf[pos+from], reading more as needed, and returns its offset
// from pos, or -1 when the input ends first.
func (s *scanner) index(from int, sep []byte) int {
	for {
		if i := bytes.Index(s.buf[s.pos+from:s.end], sep); i >= 0 {
			return from + i
		}
		if n := s.end - s.pos - len(sep) + 1; n > from {
			from = n
		}
		if !s.fill() {
			return -1
		}
	}
}

// next reads the next token into t. At the end of input it sets tokEOF and returns nil; a token
// cut off by the end of input is io.ErrUnexpectedEOF.
func (s *scanner) next(t *token) error {
	for {
		err := s.next1(t)
		if err != errSkipped {
			return err
		}
	}
}

// errSkipped tells next that a comment, processing instruction or declaration was dropped.
var errSkipped = errors.New("skipped")

func (s *scanner) next1(t *token) error {
	if s.pos >= s.end && !s.fill() {
		t.kind = tokEOF
		if s.err == io.EOF {
			return nil
		}
		return explain(s.err)
	}
	if s.buf[s.pos] != '<' {
		return s.nextText(t)
	}
	// Need at least "<x" to classify the tag.
	for s.end-s.pos < 2 {
		if !s.fill() {
			return s.readErr()
		}
	}
	switch s.buf[s.pos+1] {
	case '/':
		i := s.index(2, []byte{'>'})
		if i < 0 {
			return s.readErr()
		}
		t.kind, t.name = tokEnd, localName(trimSpace(s.buf[s.pos+2:s.pos+i]))
		s.pos += i + 1
		return nil
	case '?':
		return s.skipPast(2, []byte("?>"), t)
	case '!':
		return s.nextBang(t)
	}
	return s.nextStart(t)
}

func (s *scanner) nextText(t *token) error {
	i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
	if i < 0 {
		i = s.index(s.end-s.pos, []byte{'<'})
		if i < 0 { // text runs to the end of input
			if s.err != io.EOF {
				return s.readErr()
			}
			i = s.end - s.pos
		}
	}
	t.kind, t.text, t.cdata = tokText, s.buf[s.pos:s.pos+i], false
	s.pos += i
	return nil
}

// nextStart reads a start tag. '>' may legally appear inside a quoted attribute value, so the
// end is found by a quote-aware walk (tags are short).
func (s *scanner) nextStart(t *token) error {
	var quote byte
	i := 1
	for {
		if s.pos+i >= s.end {
			if !s.fill() {
				return s.readErr()
			}
			continue
		}
		c := s.buf[s.pos+i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			tag := s.buf[s.pos+1 : s.pos+i]
			s.pos += i + 1
			t.kind, t.self = tokStart, false
			if len(tag) > 0 && tag[len(tag)-1] == '/' {
				t.self, tag = true, tag[:len(tag)-1]
			}
			n := 0
			for n < len(tag) && !isSpace(tag[n]) {
				n++
			}
			t.name, t.attrs = localName(tag[:n]), tag[n:]
			return nil
		}
		i++
		if i > maxTokenLen {
			return errTokenTooLong
		}
	}
}

func (s *scanner) nextBang(t *token) error {
	for s.end-s.pos < 9 && s.fill() {
	}
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		return s.skipPast(4, []byte("-->"), t)
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		i := s.index(9, []byte("]]>"))
		if i < 0 {
			return s.readErr()
		}
		t.kind, t.text, t.cdata = tokText, s.buf[s.pos+9:s.pos+i], true
		s.pos += i + 3
		return nil
	}
	return s.skipPast(2, []byte{'>'}, t) // DOCTYPE and the like
}

// skipPast drops everything up to and including end.
func (s *scanner) skipPast(from int, end []byte, _ *token) error {
	i := s.index(from, end)
	if i < 0 {
		return s.readErr()
	}
	s.pos += i + len(end)
	return errSkipped
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func localName(b []byte) []byte {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// nextAttr splits the first attribute off raw attribute text. ok is false when none is left or
// the rest is malformed (the rest is then ignored).
func nextAttr(b []byte) (name, val, rest []byte, ok bool) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) && b[j] != '=' && !isSpace(b[j]) {
		j++
	}
	name = b[i:j]
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if len(name) == 0 || j >= len(b) || b[j] != '=' {
		return nil, nil, nil, false
	}
	j++
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j >= len(b) || (b[j] != '"' && b[j] != '\'') {
		return nil, nil, nil, false
	}
	k := bytes.IndexByte(b[j+1:], b[j])
	if k < 0 {
		return nil, nil, nil, false
	}
	return localName(name), b[j+1 : j+1+k], b[j+2+k:], true
}
