package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxRowBytes bounds the text of one row whatever the Limits (a registry row is about a
// kilobyte); it keeps the int32 offsets of cellVal far from overflow.
const maxRowBytes = 64 << 20

// limitError is a row or cell beyond the Limits; the reader prefixes the sheet's name.
type limitError string

func (e limitError) Error() string { return string(e) }

// maxColumns is Excel's column limit (XFD); a reference beyond it is damage, and the limit keeps
// a hostile r="ZZZZZZ1" from allocating a huge row.
const maxColumns = 16384

// Cell types (the t attribute) that change how the value is read.
const (
	cellNumber = iota // n, str, e, d and anything unknown: the <v> text as it is
	cellShared        // s: <v> is an index into the shared strings
	cellInline        // inlineStr: the <t> runs of <is>
	cellBool          // b: 1/0
)

// cellVal is one non-empty cell of the current row: a range of sheetReader.buf, or a shared
// string.
type cellVal struct {
	col  int32
	a, b int32 // range of buf, or a = -1 and b = the shared string's index
}

// sheetReader turns the <sheetData> of one worksheet into rows. Its buffers are reused from
// row to row and from sheet to sheet.
type sheetReader struct {
	sc     *scanner
	sst    *sharedStrings
	lim    Limits
	tok    token
	rowNum int
	buf    []byte // texts of the current row, turned into one string per row
	vbuf   []byte // text of the current <v>
	vals   []cellVal
	cells  []string
}

// reset points the reader at a new sheet stream of about size bytes.
func (r *sheetReader) reset(src io.Reader, size int64) {
	if r.sc == nil {
		r.sc = newScanner(src, size)
	} else {
		r.sc.reset(src, size)
	}
	r.rowNum = 0
}

// next fills row with the next row that has a non-empty cell. It reports false at the end of
// <sheetData>, leaving whatever follows (merged cells, page setup) unread.
func (r *sheetReader) next(row *Row) (bool, error) {
	t := &r.tok
	for {
		if err := r.sc.next(t); err != nil {
			return false, err
		}
		switch t.kind {
		case tokEOF:
			return false, fmt.Errorf("缺少 </sheetData>：%w", errTruncated)
		case tokEnd:
			if string(t.name) == "sheetData" {
				return false, nil
			}
		case tokStart:
			switch string(t.name) {
			case "sheetData":
				if t.self {
					return false, nil
				}
			case "row":
				ok, err := r.readRow()
				if err != nil || ok {
					row.Num, row.Cells = r.rowNum, r.cells
					return ok, err
				}
			}
		}
	}
}

// readRow reads the row whose start tag is in r.tok. It reports false for a row without a
// non-empty cell, which callers skip.
func (r *sheetReader) readRow() (bool, error) {
	t := &r.tok
	num := r.rowNum + 1
	for a, v, rest, ok := nextAttr(t.attrs); ok; a, v, rest, ok = nextAttr(rest) {
		if string(a) == "r" {
			n, ok := parseIndex(bytes.TrimSpace(v))
			if !ok || n == 0 {
				return false, fmt.Errorf("行号「%s」无效", v)
			}
			num = n
		}
	}
	r.rowNum = num
	if t.self {
		return false, nil
	}
	r.buf, r.vals = r.buf[:0], r.vals[:0]
	col := -1
	for {
		// Cells are read by the fast path while it applies, by the tokenizer otherwise.
		c, ok, err := r.fastCell(col)
		if err != nil {
			return false, rowError(num, err)
		}
		if err := r.checkRow(num, c, ok); err != nil {
			return false, err
		}
		if ok {
			col = c
			continue
		}
		if err := r.sc.next(t); err != nil {
			return false, err
		}
		switch t.kind {
		case tokEOF:
			return false, fmt.Errorf("第 %d 行：%w", num, errTruncated)
		case tokStart:
			if string(t.name) == "c" {
				if col, err = r.readCell(col); err != nil {
					return false, rowError(num, err)
				}
				if err := r.checkRow(num, col, true); err != nil {
					return false, err
				}
			}
		case tokEnd:
			if string(t.name) == "row" {
				return r.finishRow(), nil
			}
		}
	}
}

// rowError says which row err happened in; a limit error stays a limitError.
func rowError(num int, err error) error {
	var le limitError
	if errors.As(err, &le) {
		return limitError(fmt.Sprintf("第 %d 行%s", num, le))
	}
	return fmt.Errorf("第 %d 行：%w", num, err)
}

// checkRow applies Limits.Columns (to a cell just read at col, when read) and the row bounds to
// the row being read.
func (r *sheetReader) checkRow(num, col int, read bool) error {
	if read && r.lim.Columns > 0 && col >= r.lim.Columns {
		return limitError(fmt.Sprintf("第 %d 行超过 %d 列上限", num, r.lim.Columns))
	}
	if len(r.buf) > maxRowBytes || (r.lim.RowBytes > 0 && len(r.buf) > r.lim.RowBytes) {
		return limitError(fmt.Sprintf("第 %d 行内容过多（超过 %d KB 上限）", num, min(maxRowBytes, max(r.lim.RowBytes, 0))>>10))
	}
	return nil
}

// checkCell applies Limits.CellBytes to a cell of n bytes in column col.
func (r *sheetReader) checkCell(col, n int) error {
	if r.lim.CellBytes > 0 && n > r.lim.CellBytes {
		return cellTooLong(col, r.lim.CellBytes)
	}
	return nil
}

func cellTooLong(col, limit int) error {
	return limitError(fmt.Sprintf(" %s 列的内容过长（超过 %d KB 上限），请检查该单元格", columnName(col), limit>>10))
}

// readCell reads the cell whose start tag is in r.tok; prev is the column of the cell before
// it (-1 for none), used when the cell has no reference. It returns the cell's column.
func (r *sheetReader) readCell(prev int) (int, error) {
	t := &r.tok
	col, typ := prev+1, cellNumber
	for a, v, rest, ok := nextAttr(t.attrs); ok; a, v, rest, ok = nextAttr(rest) {
		switch string(a) {
		case "r":
			c, err := refColumn(v)
			if err != nil {
				return 0, err
			}
			col = c
		case "t":
			typ = cellType(v)
		}
	}
	if t.self {
		return col, nil
	}
	return col, r.readCellContent(col, typ)
}

func cellType(v []byte) int {
	switch string(v) {
	case "s":
		return cellShared
	case "inlineStr":
		return cellInline
	case "b":
		return cellBool
	}
	return cellNumber
}

// readCellContent reads what follows a cell's start tag up to and including </c>.
func (r *sheetReader) readCellContent(col, typ int) error {
	if ok, err := r.fastContent(col, typ); ok || err != nil {
		return err
	}
	t := &r.tok
	r.vbuf = r.vbuf[:0]
	isStart, sawIs := len(r.buf), false
	inIs, inPh, target := false, false, 0 // target: 0 none, 1 <v>, 2 <t> of <is>
	for {
		if err := r.sc.next(t); err != nil {
			if err == errTokenTooLong && r.lim.CellBytes > 0 {
				return cellTooLong(col, r.lim.CellBytes)
			}
			return err
		}
		switch t.kind {
		case tokEOF:
			return errTruncated
		case tokText:
			switch target {
			case 1:
				r.vbuf = appendText(r.vbuf, t)
			case 2:
				r.buf = appendText(r.buf, t)
			}
			if err := r.checkCell(col, max(len(r.vbuf), len(r.buf)-isStart)); err != nil {
				return err
			}
		case tokStart:
			if t.self {
				continue
			}
			switch string(t.name) {
			case "v":
				target = 1
			case "is":
				inIs, sawIs = true, true
			case "rPh":
				inPh = true
			case "t":
				if inIs && !inPh {
					target = 2
				}
			}
		case tokEnd:
			switch string(t.name) {
			case "v", "t":
				target = 0
			case "is":
				inIs = false
			case "rPh":
				inPh = false
			case "c":
				if typ == cellInline && sawIs {
					return r.finishInline(col, isStart)
				}
				r.buf = r.buf[:isStart]
				return r.finishCell(col, typ, r.vbuf)
			}
		}
	}
}

// finishInline ends an inline string whose text is r.buf[start:].
func (r *sheetReader) finishInline(col, start int) error {
	if bytes.IndexByte(r.buf[start:], '_') >= 0 {
		r.buf = r.buf[:start+len(unescapeX(r.buf[start:]))]
	}
	if err := r.checkCell(col, len(r.buf)-start); err != nil {
		return err
	}
	r.addRange(col, start)
	return nil
}

// finishCell records a cell whose value is the text v of its <v>.
func (r *sheetReader) finishCell(col, typ int, v []byte) error {
	start := len(r.buf)
	switch typ {
	case cellShared:
		v = bytes.TrimSpace(v)
		if len(v) == 0 {
			return nil
		}
		i, ok := parseIndex(v)
		if ok && r.sst != nil && r.sst.disk != nil {
			buf, found, err := r.sst.appendItem(r.buf, i)
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("共享字符串索引「%s」无效", v)
			}
			if err := r.checkCell(col, len(buf)-start); err != nil {
				return err
			}
			r.buf = buf
			r.addRange(col, start)
			return nil
		}
		s, found := r.sst.get(i)
		if !ok || !found {
			return fmt.Errorf("共享字符串索引「%s」无效", v)
		}
		if s != "" {
			r.vals = append(r.vals, cellVal{col: int32(col), a: -1, b: int32(i)})
		}
		return nil
	case cellBool:
		switch string(v) {
		case "1":
			v = []byte("TRUE")
		case "0":
			v = []byte("FALSE")
		}
	}
	if err := r.checkCell(col, len(v)); err != nil {
		return err
	}
	r.buf = append(r.buf, v...)
	r.addRange(col, start)
	return nil
}

func (r *sheetReader) addRange(col, a int) {
	if len(r.buf) > a {
		r.vals = append(r.vals, cellVal{col: int32(col), a: int32(a), b: int32(len(r.buf))})
	}
}

// finishRow builds r.cells from r.vals with one string allocation for all the row's own texts.
// It reports false when the row has no non-empty cell.
func (r *sheetReader) finishRow() bool {
	if len(r.vals) == 0 {
		return false
	}
	width := 0
	for _, v := range r.vals {
		width = max(width, int(v.col)+1)
	}
	if cap(r.cells) < width {
		r.cells = make([]string, width, max(width, 32))
	}
	r.cells = r.cells[:width]
	clear(r.cells)
	s := string(r.buf)
	for _, v := range r.vals {
		if v.a < 0 {
			r.cells[v.col], _ = r.sst.get(int(v.b))
		} else {
			r.cells[v.col] = s[v.a:v.b]
		}
	}
	return true
}

// parseIndex parses a non-negative decimal below 2^31.
func parseIndex(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n < 1<<31
}

// refColumn returns the 0-based column of a cell reference such as "C5" (or "$C$5").
func refColumn(ref []byte) (int, error) {
	col, n := 0, 0
	for _, c := range ref {
		switch {
		case c == '$' && n == 0:
			continue
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a') + 1
		default:
			if n == 0 {
				return 0, fmt.Errorf("单元格引用「%s」无效", ref)
			}
			return col - 1, nil
		}
		n++
		if col > maxColumns {
			return 0, fmt.Errorf("单元格引用「%s」超出 Excel 的最大列 XFD", ref)
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("单元格引用「%s」无效", ref)
	}
	return col - 1, nil
}
