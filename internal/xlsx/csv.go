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
// any number of fields. A cell written by CSVSafe loses the apostrophe it added. BytesRead's
// total is known when r has a Size or Stat method. DefaultLimits apply.
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
	c, err := newCSV(r, total, nil, DefaultLimits)
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
	lim    Limits
	rows   int
	rec    *recordLimit
	// lastLine is the line the last record ended on: a record too long to be parsed
	// starts after it (blank lines aside).
	lastLine int
}

// recordLimit sits between the decoded text and encoding/csv, which holds a whole record in
// memory however long it is: it fails the read once the record being parsed has taken more
// than Limits.RowBytes (plus the csv reader's small read-ahead), so a 100 MB line costs about
// a megabyte before it is refused.
type recordLimit struct {
	r     io.Reader
	n     int64 // bytes handed to the csv reader
	start int64 // where the current record starts (the csv reader's InputOffset)
	max   int64
}

// errRecordTooLong ends reading a CSV record longer than Limits.RowBytes.
var errRecordTooLong = errors.New("record too long")

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.max > 0 && l.n-l.start > l.max+int64(csvReadAhead) {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// csvReadAhead is how far encoding/csv reads ahead of the record it returns (its bufio size).
const csvReadAhead = 4096

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func newCSV(r io.Reader, total int64, file io.Closer, lim Limits) (*csvReader, error) {
	c := &csvReader{n: &countingReader{r: r}, total: total, file: file, lim: lim}
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
	c.rec = &recordLimit{r: src, max: int64(lim.RowBytes)}
	c.cr = csv.NewReader(c.rec)
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
		c.rec.start = c.cr.InputOffset()
		if err == io.EOF {
			c.err = io.EOF
			c.atEOF.Store(true)
			break
		}
		if err != nil {
			var pe *csv.ParseError
			switch {
			case errors.Is(err, errRecordTooLong):
				line := c.lastLine + 1
				if errors.As(err, &pe) {
					line = pe.StartLine
				}
				c.err = &formatError{msg: fmt.Sprintf("CSV 文件第 %d 行过长（超过 %d KB 上限），请检查引号是否成对", line, c.lim.RowBytes>>10)}
			case errors.As(err, &pe):
				c.err = &formatError{msg: fmt.Sprintf("CSV 文件第 %d 行格式错误", pe.StartLine), err: err}
			default:
				c.err = fmt.Errorf("读取 CSV 文件：%w", err)
			}
			break
		}
		c.lastLine, _ = c.cr.FieldPos(len(rec) - 1)
		n := len(rec)
		for n > 0 && rec[n-1] == "" {
			n--
		}
		if n == 0 {
			continue
		}
		c.row.Num, _ = c.cr.FieldPos(0)
		for i, v := range rec[:n] {
			if len(v) > 1 && v[0] == '\'' {
				rec[i] = csvUnsafe(v)
			}
		}
		if err := c.check(rec[:n]); err != nil {
			c.err = err
			break
		}
		c.row.Cells = rec[:n]
		return c.row, nil
	}
	return Row{}, c.err
}

// check applies the row, column and cell limits to the record just read.
func (c *csvReader) check(cells []string) error {
	if c.rows++; c.lim.Rows > 0 && c.rows > c.lim.Rows {
		return tooManyRows(c.lim.Rows)
	}
	if c.lim.Columns > 0 && len(cells) > c.lim.Columns {
		return &formatError{msg: fmt.Sprintf("CSV 文件第 %d 行超过 %d 列上限", c.row.Num, c.lim.Columns)}
	}
	for i, v := range cells {
		if c.lim.CellBytes > 0 && len(v) > c.lim.CellBytes {
			line, _ := c.cr.FieldPos(i)
			return &formatError{msg: fmt.Sprintf("CSV 文件第 %d 行%s", line, cellTooLong(i, c.lim.CellBytes))}
		}
	}
	return nil
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
