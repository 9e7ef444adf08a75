package layout

import (
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// CellError is one problem: sheet, row number, column header text, the
// value, and the reason in Chinese. Column is the header text as written in
// the file (or the export column name when the sheet lacks the column);
// Value is the trimmed cell text, "" for a missing value.
type CellError struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

// RowRef names one row of the file: the sheet and the row number the
// caller passed to Decoder.Row.
type RowRef struct {
	Sheet string `json:"sheet"`
	Row   int    `json:"row"`
}

// Decoded is one household read from the file. Household is filled as far
// as the cells allow even when Errors is not empty; a household with errors
// must not be stored.
type Decoded struct {
	Household *fupin.Household
	// Rows are the household's rows in file order; Household.Members[i]
	// comes from Rows[i].
	Rows []RowRef
	// Errors are every problem found in the household's rows, ordered by
	// row and column; empty means the household is valid.
	Errors []CellError
	// Warnings are problems that do not make the household invalid (a
	// value taken from the 户主 row where other rows differ, an income
	// total that disagrees or cannot be placed in a year).
	Warnings []CellError
	// AbsentHousehold and AbsentMember are the JSON paths of
	// fupin.Household and fupin.Member ("housing.area_m2", "dibao") that no
	// column of the household's sheet fills: merging into a stored
	// household keeps the stored values there. A path written "=path" keeps
	// the stored value even where the file has one (a 户类型 the file only
	// implies). Shared; do not modify.
	AbsentHousehold, AbsentMember []string
	// Fact is set, and Household nil, for a row of a department's list
	// (证件号码 with 低保, 特困, 残疾等级, 在校生状况, 失辍学原因 or 健康状况 and no
	// household columns): what the row says about a registered person.
	Fact *Fact
	// Cells are the rows' cells as read, kept only when Errors is not empty
	// (for the error report's copy of the original rows).
	Cells [][]string
}

// Options configures a Decoder.
type Options struct {
	// Today bounds dates (nothing may lie in the future) and is needed to
	// check ID numbers; the zero Date means the current UTC date.
	Today fupin.Date
	// Area is the importer's area, a division code prefix such as
	// "500236266" (12-digit padded codes are accepted). Rows whose village
	// lies outside it are errors, and village names are resolved below it.
	// "" means the whole country.
	Area string
	// Resolve, when set, replaces the built-in lookup of the 县, 乡(镇) and
	// 行政村 names (used when a row has no 村代码). It returns the 12-digit
	// village code or an error whose message (Chinese) is shown to the user.
	Resolve func(county, township, village string) (code string, err error)
	// IncomeYear is the year of the income columns when a sheet has no
	// 收入年度 (统计年度) column and no year in its title rows or name; 0 =
	// none (income totals are then not imported, with a warning).
	IncomeYear int
	// Check, when set, adds the problems of checks that need more than the
	// row (the monitor categories in force by area and year) to errs, by
	// field path like fupin.Household.ValidateFields; each is reported on
	// its cell. It runs after the domain's own checks.
	Check func(h *fupin.Household, errs fupin.FieldErrors)
}

// SheetError is a problem with a whole sheet: no header in its first 30
// rows, or a header without a column the import cannot do without. The
// sheet's remaining rows are skipped.
type SheetError struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Message string `json:"message"`
}

// Error returns the message with the sheet name, in Chinese.
func (e *SheetError) Error() string { return "工作表“" + e.Sheet + "”：" + e.Message }

// Decoder turns person rows into households. Feed every row of the file in
// order to Row, then call Flush. Rows of one household must be consecutive;
// a household may continue across a sheet boundary (county exports are
// split at Excel's 1,048,576 rows). Households are told apart by 户编号;
// rows without 户编号 belong to the household above them unless they are an
// active 户主 row, which starts a new household. A 户编号 that reappears
// after another household started is an error on the rows where it
// reappears, and a person (ID number) seen before in the file is an error
// on the later row. A Decoder is not safe for concurrent use.
type Decoder struct {
	opts       Options
	today      fupin.Date
	area       string // canonical area code
	areaReason string // why Options.Area is unusable, "" when fine

	started    bool
	sheet      string
	sheetNo    uint32
	sheets     []string
	hdr        *Header // the current sheet's header, nil until found
	lastHdr    *Header
	headers    map[string]*Header
	scanned    int // rows of the current sheet seen while looking for the header
	skipSheet  bool
	subPending bool
	titleYear  int // a year named in the sheet's name or title rows, 0 if none

	g     group   // the current household's rows
	b     builder // reused for every household
	key   string  // its 户编号
	dup   bool    // its 户编号 was seen before
	dupOf ref
	// overflow is set while a household runs past maxHouseholdRows.
	overflow bool

	seenNo    map[string]ref
	seenID    map[uint64]ref
	codeCache map[string]location
	nameCache map[string]location
	fe        fupin.FieldErrors
}

// ref is a compact RowRef for the decoder's sets.
type ref struct {
	sheet uint32
	row   int32
}

// group holds the rows of the household being read. The rows' cells are
// copied back to back into one slice, which is reused for the next
// household, so that a row costs one bulk copy.
type group struct {
	rows  []rowData
	cells []string
}

// rowData is one row: its cells are cells[off : off+n] of its group.
type rowData struct {
	ref    RowRef
	hdr    *Header
	off, n int
}

// cell returns the untrimmed cell of field f in row ri, "" when the row's
// sheet has no such column.
func (g *group) cell(ri int, f fieldID) string {
	r := &g.rows[ri]
	if c := int(r.hdr.col[f]); c >= 0 && c < r.n {
		return g.cells[r.off+c]
	}
	return ""
}

// raw returns the trimmed cell of field f in row ri.
func (g *group) raw(ri int, f fieldID) string { return trim(g.cell(ri, f)) }

// NewDecoder returns a Decoder for one file.
func NewDecoder(opts Options) *Decoder {
	d := &Decoder{opts: opts, today: opts.Today, headers: map[string]*Header{},
		seenNo: map[string]ref{}, seenID: map[uint64]ref{},
		codeCache: map[string]location{}, nameCache: map[string]location{}, fe: fupin.FieldErrors{}}
	if d.today.IsZero() {
		d.today = fupin.DateOf(time.Now().UTC())
	}
	if strings.TrimSpace(opts.Area) != "" {
		a, err := region.Normalize(opts.Area)
		if err != nil {
			d.areaReason = "导入区域“" + opts.Area + "”不是有效的区划代码"
		}
		d.area = a
	}
	return d
}

// Sheets lists the sheets seen so far, in file order.
func (d *Decoder) Sheets() []string { return d.sheets }

// Header returns the header detected for sheet, if any.
func (d *Decoder) Header(sheet string) (Header, bool) {
	h, ok := d.headers[sheet]
	if !ok {
		return Header{}, false
	}
	return *h, true
}

// Row takes the next row of the file: sheet is its sheet's name, num its
// row number (shown in errors) and cells its cell texts; the Decoder keeps
// no reference to cells after Row returns, only to the strings in it. The
// first rows of each sheet are searched for the header (see DetectHeader);
// title rows above it, blank rows and repeated header rows are skipped. A
// sheet without a header whose first row looks like data (an ID number
// where the previous sheet had 证件号码) continues with the previous sheet's
// header. Row returns the households that this row completed, usually none
// or one, and a *SheetError when the sheet cannot be read (no header in its
// first 30 rows, or a header without a required column, see
// Header.Missing; reported on the row after the header, which may complete
// a two-row header), after which the sheet's rows are ignored.
func (d *Decoder) Row(sheet string, num int, cells []string) ([]Decoded, error) {
	if !d.started || sheet != d.sheet {
		d.newSheet(sheet)
	}
	switch {
	case d.skipSheet:
		return nil, nil
	case d.hdr == nil:
		if err := d.findHeader(num, cells); err != nil || d.hdr == nil || d.subPending {
			return nil, err
		}
	case d.subPending:
		d.subPending = false
		merged := d.hdr.mergeSubHeader(cells)
		if merged {
			d.hdr.Row = num
			d.hdr.prepare()
		}
		if miss := d.hdr.missing(len(d.area) == 12); len(miss) > 0 {
			d.skipSheet = true
			return nil, &SheetError{Sheet: d.sheet, Row: d.hdr.Row,
				Message: "第 " + itoa(d.hdr.Row) + " 行的表头缺少必需的列：" + strings.Join(miss, "、")}
		}
		d.lastHdr = d.hdr
		if merged {
			return nil, nil
		}
	}
	if blankRow(cells) || d.repeatedHeader(cells) {
		return nil, nil
	}
	if d.hdr.facts {
		if len(d.g.rows) > 0 { // a household sheet came before
			done := d.Flush()
			if f := d.factRow(num, cells); f.Fact != nil || len(f.Errors) > 0 {
				done = append(done, f)
			}
			return done, nil
		}
		if f := d.factRow(num, cells); f.Fact != nil || len(f.Errors) > 0 {
			return []Decoded{f}, nil
		}
		return nil, nil
	}
	return d.dataRow(num, cells), nil
}

// Flush returns the last household. Call it once after the last row.
func (d *Decoder) Flush() []Decoded {
	if len(d.g.rows) == 0 {
		return nil
	}
	out := []Decoded{d.finish(len(d.g.rows))}
	d.g.rows, d.g.cells = d.g.rows[:0], d.g.cells[:0]
	return out
}

func (d *Decoder) newSheet(sheet string) {
	d.started, d.sheet, d.hdr = true, sheet, nil
	d.scanned, d.skipSheet, d.subPending = 0, false, false
	d.titleYear = yearIn(sheet)
	d.sheets = append(d.sheets, strings.Clone(sheet))
	d.sheetNo = uint32(len(d.sheets) - 1)
}

// findHeader looks at one row of a sheet whose header is not known yet.
func (d *Decoder) findHeader(num int, cells []string) error {
	d.scanned++
	h, n := newHeader(cells)
	if n >= minKnown {
		// The next row may complete a two-row header; required columns
		// are checked then.
		h.Row = num
		h.prepare()
		d.hdr, d.subPending = &h, true
		d.headers[d.sheet] = &h
		return nil
	}
	if d.lastHdr != nil && looksLikeData(cells, d.lastHdr) {
		d.hdr = d.lastHdr
		d.headers[d.sheet] = d.hdr
		return nil
	}
	for _, c := range cells {
		if y := yearIn(c); y != 0 && d.titleYear == 0 {
			d.titleYear = y
		}
	}
	if d.scanned >= maxHeaderRow {
		d.skipSheet = true
		return &SheetError{Sheet: d.sheet, Row: num, Message: "前 " + itoa(maxHeaderRow) +
			" 行中找不到表头（至少要有 5 个可识别的列名，如 户编号、姓名、证件号码、与户主关系、户类型）"}
	}
	return nil
}

// looksLikeData reports whether the cell under h's 证件号码 column holds an
// ID-number-shaped value.
func looksLikeData(cells []string, h *Header) bool {
	c := int(h.col[fIDNumber])
	if c < 0 || c >= len(cells) {
		return false
	}
	s := strings.TrimSpace(cells[c])
	if len(s) != 18 && len(s) != 15 {
		return false
	}
	return isDigits(s[:len(s)-1]) && (isDigits(s[len(s)-1:]) || s[len(s)-1] == 'X' || s[len(s)-1] == 'x')
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" && trim(c) != "" {
			return false
		}
	}
	return true
}

// repeatedHeader reports whether a data row is the header again, as
// printed sheets repeat it on every page.
func (d *Decoder) repeatedHeader(cells []string) bool {
	c := int(d.hdr.col[fIDNumber])
	if c >= len(cells) {
		return false
	}
	s := strings.TrimSpace(cells[c])
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	f, ok := matchHeader(s)
	return ok && f == fIDNumber
}

// dataRow adds a data row to the current household or starts the next.
func (d *Decoder) dataRow(num int, cells []string) []Decoded {
	g := &d.g
	n, off := len(g.rows), len(g.cells)
	cells = cells[:min(len(cells), d.hdr.width)]
	g.cells = append(g.cells, cells...)
	g.rows = append(g.rows, rowData{ref: RowRef{Sheet: d.sheets[d.sheetNo], Row: num}, hdr: d.hdr, off: off, n: len(cells)})
	key := householdKey(g.raw(n, fHouseholdNo))
	if n == 0 {
		d.startHousehold(key)
		return nil
	}
	same := key == d.key && (key != "" || !g.activeHead(n))
	if same && n < maxHouseholdRows {
		return nil
	}
	d.overflow = d.overflow || same
	out := []Decoded{d.finish(n)}
	copy(g.cells, g.cells[off:])
	g.cells = g.cells[:len(cells)]
	last := g.rows[n]
	last.off = 0
	g.rows = append(g.rows[:0], last)
	if same {
		return out // the next part of an overlong household
	}
	d.startHousehold(key)
	return out
}

// maxHouseholdRows bounds the rows held for one household: no real
// household comes near it, while a 户编号 that Excel turned into
// 5.00236E+17 would otherwise join a county's rows into one.
const maxHouseholdRows = 500

func (d *Decoder) startHousehold(key string) {
	d.key, d.overflow = key, false
	d.dupOf, d.dup = d.seenNo[key]
	d.dup = d.dup && key != ""
}

// householdKey is the 户编号 as households are grouped by it.
func householdKey(raw string) string {
	if isDigits(raw) {
		return raw
	}
	if s, reason := parseDigitText(raw, ""); reason == "" {
		return s
	}
	return raw
}

// activeHead reports whether row ri is a 户主 who has not left.
func (g *group) activeHead(ri int) bool {
	if g.raw(ri, fLeftOn) != "" {
		return false
	}
	c, ok := relations.lookup(g.raw(ri, fRelation))
	return ok && c == "head"
}

func (d *Decoder) refOf(rr RowRef) ref {
	return ref{sheet: d.sheetIndex(rr.Sheet), row: int32(rr.Row)}
}

// sheetIndex finds a sheet name among the recent sheets (a household spans
// at most a few).
func (d *Decoder) sheetIndex(name string) uint32 {
	for i := len(d.sheets) - 1; i >= 0; i-- {
		if d.sheets[i] == name {
			return uint32(i)
		}
	}
	return 0
}

// where describes a remembered row for a message.
func (d *Decoder) where(r ref, here string) string {
	s := "第 " + itoa(int(r.row)) + " 行"
	if name := d.sheets[r.sheet]; name != here {
		s = "工作表“" + name + "”" + s
	}
	return s
}

// incomeYear is the income year of rows of sheet without a 收入年度 column:
// the year in the sheet's title, else Options.IncomeYear.
func (d *Decoder) incomeYear(sheet string) int {
	if d.titleYear != 0 && sheet == d.sheet {
		return d.titleYear
	}
	return d.opts.IncomeYear
}

// yearIn finds a year written as "2024年" (2010–2099) in a title.
func yearIn(s string) int {
	for i := 0; i+4 < len(s); i++ {
		if s[i] == '2' && s[i+1] == '0' && isDigits(s[i:i+4]) && (i == 0 || s[i-1] < '0' || s[i-1] > '9') {
			rest := strings.TrimLeft(s[i+4:], " ")
			if strings.HasPrefix(rest, "年") {
				if y := atoiSmall(s[i : i+4]); y >= 2010 {
					return y
				}
			}
		}
	}
	return 0
}
