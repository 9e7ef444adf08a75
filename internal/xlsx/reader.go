// Package xlsx reads spreadsheet rows from .xlsx/.xlsm workbooks and CSV files as a stream, for
// importing registry exports of a million rows in seconds and in a few megabytes (plus the
// shared strings table, which Excel-written files need: in memory up to 24 MiB, in a temporary
// file beyond).
//
// The xlsx reader is its own: archive/zip, a goroutine inflating the sheet ahead, and a byte
// scanner over the sheet XML. It reads cell values as stored, without number formats: numbers
// are the raw <v> text ("4.10105E+17", "43896"), dates are serial numbers unless stored as ISO
// text, formulas give their cached result.
package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Row is one spreadsheet row.
type Row struct {
	Sheet string   // sheet name ("" for CSV)
	Num   int      // 1-based row number as Excel shows it (for CSV: the line the record starts on)
	Cells []string // cell texts by column, index 0 = column A; missing cells are ""; trailing empties trimmed
}

// Reader yields the non-empty rows of every sheet in workbook order (xlsx) or of the file (csv).
// Rows without a non-empty cell are skipped; Num keeps the real row number.
//
// A Reader is not safe for concurrent use, except BytesRead, which a progress display may call
// from another goroutine. Close must be called: an xlsx Reader runs a goroutine.
type Reader interface {
	// Next returns the next row, or io.EOF after the last one. The Row, its Cells slice, and
	// nothing else, are reused by the next call: callers copy the slice (not the strings) if
	// they keep it. A kept cell string may pin its row's text (about a kilobyte) in memory.
	// Errors about the file's content match ErrFormat; after an error Next returns it again.
	Next() (Row, error)
	// Close releases the file (when the Reader came from Open) and the background goroutine.
	Close() error
	// Sheets returns the worksheet names in workbook order, hidden sheets included (chart
	// sheets, which have no cells, are left out); [""] for CSV.
	Sheets() []string
}

// Limits bound what a Reader accepts from one file, so that a hostile upload (a zip bomb, a
// shared strings table of 70 million empty items, a 100 MB line) is refused with a Chinese
// ErrFormat error naming the place instead of taking gigabytes of memory or minutes of work.
// Each bound is far above what a registry file of a county needs; a zero field means no bound.
type Limits struct {
	// Rows bounds the non-empty rows of the file, all sheets together.
	Rows int
	// Columns bounds the columns of a row (Excel's own limit is 16,384).
	Columns int
	// CellBytes bounds the text of one cell, after unescaping (Excel's own limit is 32,767
	// characters; a registry cell is a few dozen bytes).
	CellBytes int
	// RowBytes bounds the text of one row, all cells together (CSV: one record as read).
	RowBytes int
	// XMLBytes bounds the uncompressed size of the xlsx parts read (the sheets and the shared
	// strings), all together; the zip reader holds every part to its stated size.
	XMLBytes int64
	// Ratio bounds how many times larger than compressed a part over 64 MiB may be.
	Ratio int64
	// SharedBytes bounds the size of the shared strings table: its text plus 8 bytes an item.
	// A table over 24 MiB is kept in a temporary file (removed from the directory at once)
	// and read through 10 MiB of page caches, so this bounds disk rather than memory.
	SharedBytes int64
}

// DefaultLimits are the bounds of Open, OpenXLSX and OpenCSV: a registry of 2 million people
// (about a province's monitored population) fits, and reading any file stays within about
// 250 MB of memory.
var DefaultLimits = Limits{
	Rows:        2_100_000,
	Columns:     maxColumns,
	CellBytes:   32 << 10,
	RowBytes:    1 << 20,
	XMLBytes:    8 << 30, // Fupin's own export writes about 3 KB of XML a row: 6.2 GB for 2.1 M rows
	Ratio:       100,
	SharedBytes: 160 << 20,
}

// Open opens a file by its extension: .xlsx and .xlsm with OpenXLSX, .csv with OpenCSV, within
// DefaultLimits. Other types, including the old binary .xls, are an ErrFormat error naming the
// extension.
func Open(name string) (Reader, error) { return OpenLimited(name, DefaultLimits) }

// OpenLimited is Open with other limits.
func OpenLimited(name string, lim Limits) (Reader, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".xlsx", ".xlsm", ".csv":
	case ".xls", ".et":
		return nil, &formatError{msg: fmt.Sprintf("不支持旧版 Excel 文件（%s），请在 Excel 或 WPS 中另存为 .xlsx 后再导入", ext)}
	case "":
		return nil, &formatError{msg: "文件没有扩展名，无法判断类型，请使用 .xlsx 或 .csv 文件"}
	default:
		return nil, &formatError{msg: fmt.Sprintf("不支持的文件类型「%s」，请使用 .xlsx、.xlsm 或 .csv 文件", ext)}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("打开文件：%w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("打开文件：%w", err)
	}
	if ext == ".csv" {
		c, err := newCSV(f, st.Size(), f, lim)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	r, err := openXLSX(f, st.Size(), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// BytesRead reports progress: done of total bytes of the file read so far, for progress bars.
// done reaches total at io.EOF. total is -1 when unknown (OpenCSV of a plain stream), and
// (0, -1) is returned for a Reader not made by this package. Safe to call from any goroutine.
func BytesRead(r Reader) (done, total int64) {
	if p, ok := r.(interface{ bytesRead() (int64, int64) }); ok {
		return p.bytesRead()
	}
	return 0, -1
}

// SharedBytes reports the memory r's shared strings table holds, as Limits.SharedBytes counts
// it (its text plus 8 bytes an item), or for a table too large to keep in memory (it is then
// in a temporary file) the few megabytes of its page caches: 0 for CSV and for a Reader not
// made by this package. It stays held until Close, so a caller bounding its own memory counts
// it in.
func SharedBytes(r Reader) int64 {
	if x, ok := r.(*xlsxReader); ok {
		return x.sst.held()
	}
	return 0
}

// tooManyRows is the error for a file over Limits.Rows.
func tooManyRows(n int) error {
	return &formatError{msg: fmt.Sprintf("文件超过 %d 行上限，请按乡镇或村拆分后分别导入", n)}
}

// cfbMagic starts an OLE compound file: a binary .xls, or an xlsx encrypted with a password.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// OpenXLSX opens an .xlsx/.xlsm workbook of size bytes. It reads the workbook structure and
// the shared strings table now; sheet data is read by Next. r must stay readable until Close.
// Errors about the content match ErrFormat. DefaultLimits apply.
func OpenXLSX(r io.ReaderAt, size int64) (Reader, error) {
	x, err := openXLSX(r, size, DefaultLimits)
	if err != nil {
		return nil, err
	}
	return x, nil
}

type xlsxReader struct {
	ra     *countingReaderAt
	size   int64
	file   io.Closer
	sheets []sheetPart
	names  []string
	sst    *sharedStrings
	cur    int
	pf     io.ReadCloser // the current sheet's data
	sr     sheetReader
	row    Row
	err    error
	atEOF  atomic.Bool // for bytesRead, which other goroutines call
	lim    Limits
	rows   int // rows returned so far
}

func openXLSX(r io.ReaderAt, size int64, lim Limits) (*xlsxReader, error) {
	head := make([]byte, len(cfbMagic))
	if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, cfbMagic) {
		return nil, &formatError{msg: "文件是旧版 Excel 97-2003（.xls）格式或已设置打开密码，请取消密码并另存为 .xlsx 后再导入"}
	}
	x := &xlsxReader{ra: &countingReaderAt{r: r}, size: size, lim: lim}
	zr, err := zip.NewReader(x.ra, size)
	if err != nil {
		return nil, damaged("文件不是有效的 xlsx（zip）格式", err)
	}
	p := newPkg(zr)
	sheets, sstFile, err := p.sheets()
	if err != nil {
		return nil, damaged("文件不是有效的 xlsx 工作簿或已损坏", err)
	}
	if err := checkSizes(sheets, sstFile, lim); err != nil {
		return nil, err
	}
	x.sheets = sheets
	for _, s := range sheets {
		x.names = append(x.names, s.name)
	}
	if sstFile != nil {
		rc, err := openPart(sstFile)
		if err != nil {
			return nil, damaged("共享字符串表已损坏", err)
		}
		x.sst, err = loadSharedStrings(rc, int64(sstFile.UncompressedSize64), lim)
		rc.Close()
		if err != nil {
			return nil, damaged("共享字符串表已损坏", err)
		}
	}
	x.sr.sst, x.sr.lim = x.sst, lim
	return x, nil
}

// checkSizes applies Limits.XMLBytes and Limits.Ratio to the parts that will be read, from the
// sizes the archive states (which the zip reader enforces), before anything is inflated.
func checkSizes(sheets []sheetPart, sst *zip.File, lim Limits) error {
	files := make([]*zip.File, 0, len(sheets)+1)
	for _, s := range sheets {
		files = append(files, s.file)
	}
	if sst != nil {
		files = append(files, sst)
	}
	var total uint64
	for _, f := range files {
		total += f.UncompressedSize64
		if lim.Ratio > 0 && f.UncompressedSize64 > 64<<20 && f.UncompressedSize64/max(f.CompressedSize64, 1) > uint64(lim.Ratio) {
			return &formatError{msg: fmt.Sprintf("文件中的「%s」解压后 %d MB，是压缩后大小的 %d 倍（上限 %d 倍），疑似压缩炸弹，拒绝导入",
				f.Name, f.UncompressedSize64>>20, f.UncompressedSize64/max(f.CompressedSize64, 1), lim.Ratio)}
		}
	}
	if lim.XMLBytes > 0 && total > uint64(lim.XMLBytes) {
		return &formatError{msg: fmt.Sprintf("文件解压后共 %d MB，超过 %d MB 上限，请按乡镇或村拆分后分别导入", total>>20, lim.XMLBytes>>20)}
	}
	return nil
}

// Next implements Reader.
func (x *xlsxReader) Next() (Row, error) {
	for x.err == nil {
		if x.pf == nil {
			if x.cur >= len(x.sheets) {
				x.err = io.EOF
				x.atEOF.Store(true)
				break
			}
			f := x.sheets[x.cur].file
			rc, err := openPart(f)
			if err != nil {
				x.err = damaged(fmt.Sprintf("工作表「%s」已损坏", x.sheets[x.cur].name), err)
				break
			}
			x.pf = rc
			x.sr.reset(rc, int64(f.UncompressedSize64))
			x.row.Sheet = x.sheets[x.cur].name
		}
		ok, err := x.sr.next(&x.row)
		var le limitError
		if errors.As(err, &le) {
			x.err = &formatError{msg: fmt.Sprintf("工作表「%s」%s", x.row.Sheet, le)}
			x.closeSheet()
			break
		}
		if err != nil {
			x.err = damaged(fmt.Sprintf("工作表「%s」已损坏", x.row.Sheet), err)
			x.closeSheet()
			break
		}
		if ok {
			if x.rows++; x.lim.Rows > 0 && x.rows > x.lim.Rows {
				x.err = tooManyRows(x.lim.Rows)
				x.closeSheet()
				break
			}
			return x.row, nil
		}
		// The rest of the part (merged cells, page setup) is small; reading it to the end
		// makes the zip reader verify the checksum of the whole sheet.
		if _, err := io.Copy(io.Discard, x.pf); err != nil {
			x.err = damaged(fmt.Sprintf("工作表「%s」已损坏", x.row.Sheet), err)
			x.closeSheet()
			break
		}
		x.closeSheet()
		x.cur++
	}
	return Row{}, x.err
}

func (x *xlsxReader) closeSheet() {
	if x.pf != nil {
		x.pf.Close()
		x.pf = nil
	}
}

// Close implements Reader.
func (x *xlsxReader) Close() error {
	x.closeSheet()
	x.sst.close()
	if x.err == nil {
		x.err = errors.New("读取器已关闭")
	}
	if x.file != nil {
		f := x.file
		x.file = nil
		return f.Close()
	}
	return nil
}

// Sheets implements Reader.
func (x *xlsxReader) Sheets() []string { return x.names }

func (x *xlsxReader) bytesRead() (int64, int64) {
	done := min(x.ra.n.Load(), x.size)
	if x.atEOF.Load() {
		done = x.size
	}
	return done, x.size
}
