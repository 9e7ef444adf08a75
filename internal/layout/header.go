package layout

import "strings"

// Column is one non-empty header cell.
type Column struct {
	Index int    `json:"index"` // 0-based column index in the sheet
	Text  string `json:"text"`  // header text as written in the file
	Name  string `json:"name"`  // the column it was recognised as, spelled as in ExportHeader; "" when unknown or ignored
}

// Header is the detected header of a sheet: which column index holds which
// field.
type Header struct {
	// Row is the header row's number: 1-based from the first row given to
	// DetectHeader, or the number passed to Decoder.Row. For a two-row
	// header it is the lower row, so that data start right after Row.
	Row int `json:"row"`
	// Columns are the recognised columns in sheet order.
	Columns []Column `json:"columns"`
	// Ignored are recognised columns that carry nothing Fupin keeps (序号,
	// 性别 and 出生日期, which come from the ID number, …) and repeated
	// columns (a second column recognised as the same field; the first one
	// is used).
	Ignored []Column `json:"ignored"`
	// Unknown are non-empty header cells that match no column; they are
	// ignored on import and listed so that the user can see them.
	Unknown []Column `json:"unknown"`

	col   [nExport]int32  // column index per field, -1 when absent
	text  [nExport]string // header text per field
	width int             // 1 + the largest column index in col
	hh    []colField      // household-level fields present, for the decoder's loops
	mem   []colField      // member-level fields present
	// absentHH and absentMem are the household and member JSON paths no
	// column fills (see householdKeep).
	absentHH, absentMem []string
	// risks are further risk columns (风险类型2 … 风险类型5 of the 防返贫监测
	// list), merged into 致贫返贫风险.
	risks []int32
	// impliedType says 户类型 follows from 监测对象类别 (the 防返贫监测对象
	// list has no 户类型 column).
	impliedType bool
	// facts says the sheet is a department's list of people with a fact
	// each (see Fact).
	facts bool
}

// colField pairs a column index with its field.
type colField struct {
	col int32
	f   fieldID
}

// numberedRisk reports a numbered risk column: 风险类型1 … 风险类型5 (also
// 致贫返贫风险N, 返贫致贫风险N).
func numberedRisk(t string) bool {
	n := normHeader(t)
	for _, p := range []string{"风险类型", "致贫返贫风险", "返贫致贫风险"} {
		if rest, ok := strings.CutPrefix(n, normHeader(p)); ok && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '5' {
			return true
		}
	}
	return false
}

// monitoringList adapts the header of a 防返贫监测对象 list: no 户类型 (it
// follows from 监测对象类别) and 识别时间 meaning the date the household
// became a monitoring object.
func (h *Header) monitoringList() {
	if h.col[fType] >= 0 || h.col[fMonitorType] < 0 {
		return
	}
	h.impliedType = true
	if h.col[fMonitorOn] < 0 && h.col[fIdentifiedOn] >= 0 && normHeader(h.text[fIdentifiedOn]) == normHeader("识别时间") {
		h.col[fMonitorOn], h.text[fMonitorOn] = h.col[fIdentifiedOn], h.text[fIdentifiedOn]
		h.col[fIdentifiedOn], h.text[fIdentifiedOn] = -1, ""
	}
}

// prepare lists the parsed fields the header has, by level.
func (h *Header) prepare() {
	h.monitoringList()
	h.facts = h.isFactList()
	h.hh, h.mem = nil, nil
	for _, f := range householdFields {
		if h.col[f] >= 0 {
			h.hh = append(h.hh, colField{h.col[f], f})
		}
	}
	for _, f := range memberFields {
		if h.col[f] >= 0 {
			h.mem = append(h.mem, colField{h.col[f], f})
		}
	}
	h.absentHH, h.absentMem = h.absentPaths(householdKeep), h.absentPaths(memberKeep)
}

// minKnown is how many recognised columns make a row the header.
const minKnown = 5

// maxHeaderRow is how far down a sheet the header is looked for.
const maxHeaderRow = 30

// headerIndex maps normalised header spellings to fields.
var headerIndex = buildHeaderIndex()

func buildHeaderIndex() map[string]fieldID {
	idx := map[string]fieldID{}
	for f := fieldID(0); f < nFields; f++ {
		for _, s := range append([]string{fields[f].name}, fields[f].aliases...) {
			if n := normHeader(s); n != "" {
				if _, dup := idx[n]; !dup {
					idx[n] = f
				}
			}
		}
	}
	// Units in brackets are optional: "务工时间(月)" also matches "务工时间".
	for n, f := range idx {
		if base, ok := cutBracketSuffix(n); ok && base != "" {
			if _, dup := idx[base]; !dup {
				idx[base] = f
			}
		}
	}
	return idx
}

// matchHeader recognises one header cell.
func matchHeader(cell string) (fieldID, bool) {
	n := normHeader(cell)
	if n == "" {
		return 0, false
	}
	if f, ok := headerIndex[n]; ok {
		return f, true
	}
	if base, ok := cutBracketSuffix(n); ok {
		f, ok := headerIndex[base]
		return f, ok
	}
	return 0, false
}

// newHeader reads row as a header and returns it with the number of
// recognised cells.
func newHeader(row []string) (Header, int) {
	var h Header
	for i := range h.col {
		h.col[i] = -1
	}
	known := 0
	for i, cell := range row {
		t := strings.TrimSpace(cell)
		if t == "" {
			continue
		}
		if h.addCell(i, t) {
			known++
		}
	}
	return h, known
}

// addCell records header cell t at column i and reports whether it was
// recognised.
func (h *Header) addCell(i int, t string) bool {
	c := Column{Index: i, Text: t}
	if numberedRisk(t) && h.col[fRisks] >= 0 {
		c.Name = fields[fRisks].name
		h.risks = append(h.risks, int32(i))
		h.width = max(h.width, i+1)
		h.Columns = append(h.Columns, c)
		return true
	}
	f, ok := matchHeader(t)
	switch {
	case !ok:
		h.Unknown = append(h.Unknown, c)
		return false
	case f == fIgnored || h.col[f] >= 0:
		h.Ignored = append(h.Ignored, c)
	default:
		c.Name = fields[f].name
		h.col[f], h.text[f] = int32(i), dropSpace(t)
		h.width = max(h.width, i+1)
		h.Columns = append(h.Columns, c)
	}
	return true
}

// mergeSubHeader adds the lower row of a two-row header (group titles such
// as 收入情况 above 工资性收入 …, with the other titles merged vertically so
// that the lower row is empty beneath them). row counts as a header row
// when it recognises at least one new column and every non-empty cell under
// an already recognised column is itself a column name, which no data row
// has.
func (h *Header) mergeSubHeader(row []string) bool {
	used := map[int]bool{}
	for _, c := range h.Columns {
		used[c.Index] = true
	}
	fresh := 0
	for i, cell := range row {
		t := strings.TrimSpace(cell)
		if t == "" {
			continue
		}
		f, ok := matchHeader(t)
		if used[i] && !ok {
			return false
		}
		if ok && !used[i] && f != fIgnored && h.col[f] < 0 {
			fresh++
		}
	}
	if fresh == 0 {
		return false
	}
	unknown := h.Unknown
	h.Unknown = nil
	for _, c := range unknown {
		if c.Index >= len(row) || strings.TrimSpace(row[c.Index]) == "" {
			h.Unknown = append(h.Unknown, c) // a real unknown column, not a group title
		}
	}
	for i, cell := range row {
		if t := strings.TrimSpace(cell); t != "" && !used[i] {
			h.addCell(i, t)
		}
	}
	return true
}

// DetectHeader finds the header among the first rows of a sheet: the first
// row within the first 30 that has at least 5 recognised column names
// (title rows and merged cells may sit above it). Header cells are compared
// after normalisation: full-width forms folded, white space and "*"
// removed, pinyin glosses stripped (StripPinyin), traditional characters
// simplified (ToSimplified), and a trailing unit in brackets made optional
// ("务工时间（月）" = "务工时间(月)" = "务工时间"); synonyms such as 身份证号 for
// 证件号码 are listed in the package documentation. When the row after the
// header holds further column names beneath group titles or empty (merged)
// cells, it is merged in and Row is that lower row. ok is false when no
// row qualifies.
func DetectHeader(rows [][]string) (h Header, ok bool) {
	for i := 0; i < len(rows) && i < maxHeaderRow; i++ {
		h, n := newHeader(rows[i])
		if n < minKnown {
			continue
		}
		h.Row = i + 1
		if i+1 < len(rows) && h.mergeSubHeader(rows[i+1]) {
			h.Row = i + 2
		}
		return h, true
	}
	return Header{}, false
}

// Missing returns the names of the columns an import cannot do without
// that the header lacks: 姓名, 证件号码, 与户主关系, 户类型 (unless 监测对象类别
// implies it), and 村代码 or 行政村.
func (h *Header) Missing() []string { return h.missing(false) }

func (h *Header) missing(villageImplied bool) []string {
	var out []string
	if h.facts {
		return nil // 证件号码 and a fact column are there
	}
	for _, f := range []fieldID{fName, fIDNumber, fRelation, fType} {
		if h.col[f] < 0 && !(f == fType && h.col[fMonitorType] >= 0) {
			out = append(out, fields[f].name)
		}
	}
	if !villageImplied && h.col[fVillageCode] < 0 && h.col[fVillage] < 0 {
		out = append(out, "村代码或行政村")
	}
	return out
}

// has reports whether the header has a column for f.
func (h *Header) has(f fieldID) bool { return f < nExport && h.col[f] >= 0 }

// columnText returns the header text of f, or its export name when the
// sheet has no such column.
func (h *Header) columnText(f fieldID) string {
	if h != nil && f < nExport && h.text[f] != "" {
		return h.text[f]
	}
	return fields[f].name
}
