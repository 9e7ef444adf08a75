package xlsx

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
)

// MaxRows is the number of rows an Excel worksheet holds.
const MaxRows = 1048576

// Writer streams rows into an .xlsx file: cells are inline strings, each
// sheet is written as it comes and the workbook parts that list the sheets
// are written at Close, so memory stays flat whatever the size. (excelize
// builds the whole zip in memory before writing it.)
type Writer struct {
	zw   *zip.Writer
	part *parallelDeflate // the current sheet's compressor
	// buf is the current sheet's XML not yet handed to part: rows are
	// appended to a buffer of chunkPool that becomes one compressed chunk
	// as it is, without being copied on the way (a bufio.Writer in front of
	// part copied every byte twice).
	buf    []byte
	names  []string
	row    int
	header []string
	err    error
}

// NewWriter starts a workbook on w; every sheet begins with header (when
// not nil), and a new sheet named prefix+N starts when one is full.
func NewWriter(w io.Writer, header []string) *Writer {
	zw := zip.NewWriter(w)
	// Sheet XML is repetitive: the fastest deflate level is nearly as small
	// and several times faster than the default. The workbook parts take a
	// deflater from the sheets' pool: a new one costs about a megabyte, and
	// Close writes five parts (a village's export allocated more for them
	// than for its rows).
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		fw := deflaterPool.get()
		fw.Reset(out)
		return pooledDeflater{fw}, nil
	})
	return &Writer{zw: zw, header: header}
}

// pooledDeflater is a deflater of deflaterPool that goes back to it when
// its zip entry closes.
type pooledDeflater struct{ *flate.Writer }

func (d pooledDeflater) Close() error {
	err := d.Writer.Close()
	d.Writer.Reset(io.Discard) // keep no reference to the file's writer
	deflaterPool.put(d.Writer)
	return err
}

// WriteRow appends a row; empty cells are omitted from the XML.
func (x *Writer) WriteRow(sheetPrefix string, cells []string) error {
	if x.err != nil {
		return x.err
	}
	if x.part == nil || x.row == MaxRows {
		if err := x.startSheet(sheetPrefix); err != nil {
			return err
		}
	}
	x.writeRow(cells)
	return x.err
}

// Sheets returns the number of sheets written so far.
func (x *Writer) Sheets() int { return len(x.names) }

func (x *Writer) startSheet(prefix string) error {
	if x.part != nil {
		x.endSheet()
	}
	name := prefix + strconv.Itoa(len(x.names)+1)
	x.names = append(x.names, name)
	// Sheets are compressed on all cores: deflate is most of an export's work.
	f, err := createDeflated(x.zw, "xl/worksheets/sheet"+strconv.Itoa(len(x.names))+".xml")
	if err != nil {
		x.err = err
		return err
	}
	x.part, x.buf = f, chunkPool.get()
	x.row = 0
	x.buf = append(x.buf, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`...)
	if x.header != nil {
		x.writeRow(x.header)
	}
	return x.err
}

// flushAt is how full buf gets before it is compressed: below its capacity
// by more than a row takes, so that appending rows never grows it.
const flushAt = deflateChunk - 64<<10

func (x *Writer) writeRow(cells []string) {
	x.row++
	b := append(x.buf, `<row r="`...)
	b = strconv.AppendInt(b, int64(x.row), 10)
	b = append(b, `">`...)
	prev := -1
	for i, c := range cells {
		if c == "" {
			continue
		}
		// A cell right after the one before needs no reference: readers
		// (Excel, excelize, ours) place it in the next column. Leaving the
		// reference out makes the sheet a tenth smaller to compress and read.
		if i == prev+1 {
			b = append(b, `<c t="inlineStr"><is><t`...)
		} else {
			b = append(b, `<c r="`...)
			b = append(b, columnName(i)...)
			b = strconv.AppendInt(b, int64(x.row), 10)
			b = append(b, `" t="inlineStr"><is><t`...)
		}
		prev = i
		if c[0] == ' ' || c[len(c)-1] == ' ' {
			b = append(b, ` xml:space="preserve">`...)
		} else {
			b = append(b, '>')
		}
		b = appendEscaped(b, c)
		b = append(b, `</t></is></c>`...)
	}
	x.buf = append(b, `</row>`...)
	if len(x.buf) >= flushAt {
		x.flush()
	}
}

// flush hands buf to the compressor and takes a fresh one.
func (x *Writer) flush() {
	if err := x.part.writeChunk(x.buf); err != nil && x.err == nil {
		x.err = err
	}
	x.buf = chunkPool.get()
}

func (x *Writer) endSheet() {
	x.buf = append(x.buf, `</sheetData></worksheet>`...)
	if err := x.part.writeChunk(x.buf); err != nil && x.err == nil {
		x.err = err
	}
	if err := x.part.Close(); err != nil && x.err == nil {
		x.err = err
	}
	x.buf, x.part = nil, nil
}

// Abort gives up on the file after an error elsewhere: it stops the
// current sheet's compressing goroutines without finishing the workbook.
func (x *Writer) Abort() {
	if x.part != nil {
		x.part.abort()
		chunkPool.put(x.buf[:0])
		x.buf, x.part = nil, nil
	}
	if x.err == nil {
		x.err = errAborted
	}
}

var errAborted = errors.New("xlsx: writer aborted")

// Close finishes the last sheet and writes the workbook parts.
func (x *Writer) Close() error {
	if x.err != nil {
		return x.err
	}
	if x.part == nil {
		if err := x.startSheet("Sheet"); err != nil {
			return err
		}
	}
	x.endSheet()
	if x.err != nil {
		return x.err
	}
	var sheets, rels, types string
	for i, n := range x.names {
		id := strconv.Itoa(i + 1)
		sheets += `<sheet name="` + escapeAttr(n) + `" sheetId="` + id + `" r:id="rId` + id + `"/>`
		rels += `<Relationship Id="rId` + id + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet` + id + `.xml"/>`
		types += `<Override PartName="/xl/worksheets/sheet` + id + `.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	}
	n := strconv.Itoa(len(x.names) + 1)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` + types + `</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + sheets + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `<Relationship Id="rId` + n + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`},
	}
	for _, p := range parts {
		f, err := x.zw.Create(p.name)
		if err == nil {
			_, err = io.WriteString(f, p.body)
		}
		if err != nil {
			return fmt.Errorf("xlsx %s: %w", p.name, err)
		}
	}
	return x.zw.Close()
}

// columnNames caches the names of the first columns: rows ask for them
// millions of times.
var columnNames = func() []string {
	out := make([]string, 256)
	for i := range out {
		out[i] = computeColumnName(i)
	}
	return out
}()

// columnName turns a 0-based index into A, B, …, Z, AA, …
func columnName(i int) string {
	if i < len(columnNames) {
		return columnNames[i]
	}
	return computeColumnName(i)
}

func computeColumnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// appendEscaped appends s as XML text, dropping characters XML 1.0
// forbids. Text that is valid UTF-8 (nearly all) is looked at byte by byte:
// only ASCII bytes need escaping and U+FFFE and U+FFFF are EF BF BE and
// EF BF BF.
func appendEscaped(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		return appendEscapedRunes(b, s)
	}
	start := 0
	for i := 0; i < len(s); i++ {
		if !xmlSpecial[s[i]] {
			continue
		}
		var rep string
		switch c := s[i]; {
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
		case c == 0xEF && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF):
			b = append(b, s[start:i]...)
			i += 2
			start = i + 1
			continue
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, rep...)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// xmlSpecial marks the bytes appendEscaped looks at: markup, control
// characters and the lead byte of U+FFFE and U+FFFF.
var xmlSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t['&'], t['<'], t['>'], t[0xEF] = true, true, true, true
	return t
}()

// appendEscapedRunes is appendEscaped for text that is not valid UTF-8: it
// also drops the bytes that are not.
func appendEscapedRunes(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var rep string
		switch {
		case r == '&':
			rep = "&amp;"
		case r == '<':
			rep = "&lt;"
		case r == '>':
			rep = "&gt;"
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF, r == utf8.RuneError && size == 1:
			rep = ""
		default:
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, rep...)
		i += size
		start = i
	}
	return append(b, s[start:]...)
}

func escapeAttr(s string) string {
	out := ""
	for _, r := range s {
		switch r {
		case '&':
			out += "&amp;"
		case '<':
			out += "&lt;"
		case '"':
			out += "&quot;"
		default:
			out += string(r)
		}
	}
	return out
}
