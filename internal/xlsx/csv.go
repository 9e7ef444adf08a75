package xlsx

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a CSV file decides its encoding.
const sniffSize = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// OpenCSV reads comma-separated text in UTF-8 (with or without a byte-order mark) or in
// GB18030/GBK, which is what Chinese Excel and WPS save as "CSV": the first 64 KiB decide,
// UTF-8 if they are valid UTF-8, GB18030 otherwise. Quotes are lenient and records may have
// any number of fields. BytesRead's total is known when r has a Size or Stat method.
func OpenCSV(r io.Reader) (Reader, error) {
	total := int64(-1)
	switch s := r.(type) {
	case interface{ Size() int64 }:
		total = s.Size()
	case interface{ Stat() (fs.FileInfo, error) }:
		if st, err := s.Stat(); err == nil && st.Mode().IsRegular() {
			total = st.Size()
		}
	}
	c, err := newCSV(r, total, nil)
	if err != nil {
		return nil, err
	}
	return c, nil
}

type csvReader struct {
	cr     *csv.Reader
	n      *countingReader
	total  int64
	file   io.Closer
	row    Row
	err    error
	atEOF  atomic.Bool
	closed bool
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func newCSV(r io.Reader, total int64, file io.Closer) (*csvReader, error) {
	c := &csvReader{n: &countingReader{r: r}, total: total, file: file}
	br := bufio.NewReaderSize(c.n, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		if file != nil {
			file.Close()
		}
		return nil, fmt.Errorf("读取 CSV 文件：%w", err)
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		if file != nil {
			file.Close()
		}
		return nil, &formatError{msg: "文件是 UTF-16 编码的文本（Excel 的「Unicode 文本」），请在 Excel 中另存为「CSV UTF-8」或 .xlsx 后再导入"}
	}
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		br.Discard(len(utf8BOM))
	case !validUTF8Prefix(head, err == io.EOF):
		src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	c.cr = csv.NewReader(src)
	c.cr.LazyQuotes = true
	c.cr.FieldsPerRecord = -1
	c.cr.ReuseRecord = true
	return c, nil
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a character cut off at the end of
// b when b is not the whole file.
func validUTF8Prefix(b []byte, whole bool) bool {
	if !whole {
		for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
			if utf8.RuneStart(b[len(b)-i]) {
				if !utf8.FullRune(b[len(b)-i:]) {
					b = b[:len(b)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// Next implements Reader.
func (c *csvReader) Next() (Row, error) {
	for c.err == nil {
		rec, err := c.cr.Read()
		if err == io.EOF {
			c.err = io.EOF
			c.atEOF.Store(true)
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				c.err = &formatError{msg: fmt.Sprintf("CSV 文件第 %d 行格式错误", pe.StartLine), err: err}
			} else {
				c.err = fmt.Errorf("读取 CSV 文件：%w", err)
			}
			break
		}
		n := len(rec)
		for n > 0 && rec[n-1] == "" {
			n--
		}
		if n == 0 {
			continue
		}
		c.row.Num, _ = c.cr.FieldPos(0)
		c.row.Cells = rec[:n]
		return c.row, nil
	}
	return Row{}, c.err
}

// Close implements Reader.
func (c *csvReader) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	if c.err == nil {
		c.err = errors.New("读取器已关闭")
	}
	if c.file != nil {
		return c.file.Close()
	}
	return nil
}

// Sheets implements Reader.
func (c *csvReader) Sheets() []string { return []string{""} }

func (c *csvReader) bytesRead() (int64, int64) {
	done := c.n.n.Load()
	if c.total >= 0 {
		done = min(done, c.total)
		if c.atEOF.Load() {
			done = c.total
		}
	}
	return done, c.total
}
