package layout

import (
	"slices"
	"strings"
	"unsafe"

	"fupin/internal/fupin"
)

// builder assembles one household from its rows. The Decoder keeps one and
// reuses it, with its buffers and memo, for every household.
type builder struct {
	d      *Decoder
	g      *group
	rows   []rowData // g.rows of this household
	head   int       // index of the active 户主 row, -1 when none
	vals   [nExport]value
	src    [nExport]int    // row each household-level value was taken from
	srcRaw [nExport]string // the 户主 row's trimmed household-level cells
	ms     []fupin.Member  // the household's members, row by row
	errs   []cellErr
	warns  []cellErr // problems that do not reject the household
	diffs  []diffCell
	// errIndex finds errs by cell once there are many (a broken file).
	errIndex map[errKey]int
	memo     [nExport]memoEntry
}

type cellErr struct {
	ri     int
	f      fieldID
	reason string
}

// diffCell is a household-level cell that differs from the 户主 row's.
type diffCell struct {
	ri int32
	f  fieldID
}

// memoEntry remembers the last cell parsed for a field: most cells repeat
// the value of the row or household before (是, 否, 汉族, 健康 …).
type memoEntry struct {
	raw    string
	v      value
	reason string
	ok     bool
}

// parse is parseCell with two shortcuts: plain text is taken as it is,
// and a memo is kept for the kinds whose values repeat often (codes,
// yes/no, numbers such as 0 and 0.00, dates).
func (b *builder) parse(f fieldID, raw string) (value, string) {
	switch parseClass[f] {
	case classText:
		if isBlankMark(raw) {
			return value{}, ""
		}
		return value{s: raw, set: true}, ""
	case classMemo:
		m := &b.memo[f]
		if m.ok && m.raw == raw {
			return m.v, m.reason
		}
		v, reason := parseCell(f, raw)
		*m = memoEntry{raw: raw, v: v, reason: reason, ok: true}
		return v, reason
	}
	return parseCell(f, raw)
}

const (
	classOther = iota
	classText
	classMemo
)

// parseClass tells parse how to treat each field.
var parseClass = func() (c [nExport]uint8) {
	for f := range c {
		switch fields[f].kind {
		case kText, kID:
			c[f] = classText
		case kNo, kPhone, kRisks, kIgnore:
		default:
			c[f] = classMemo
		}
	}
	return c
}()

// raw returns the trimmed cell of field f in row ri.
func (b *builder) raw(ri int, f fieldID) string { return b.g.raw(ri, f) }

// add records a problem with cell (ri, f); the first problem of a cell wins.
func (b *builder) add(ri int, f fieldID, reason string) {
	if b.errAt(ri, f) >= 0 {
		return
	}
	b.errs = append(b.errs, cellErr{ri, f, reason})
	if b.errIndex != nil {
		b.errIndex[errKey{ri, f}] = len(b.errs) - 1
	} else if len(b.errs) > 16 { // a broken file: index the errors
		b.errIndex = make(map[errKey]int, 64)
		for k, e := range b.errs {
			b.errIndex[errKey{e.ri, e.f}] = k
		}
	}
}

// warn records a problem that does not make the household invalid.
func (b *builder) warn(ri int, f fieldID, reason string) {
	b.warns = append(b.warns, cellErr{ri, f, reason})
}

// errAt returns the index of the problem with cell (ri, f), -1 if none.
func (b *builder) errAt(ri int, f fieldID) int {
	if b.errIndex != nil {
		if k, ok := b.errIndex[errKey{ri, f}]; ok {
			return k
		}
		return -1
	}
	for k, e := range b.errs {
		if e.ri == ri && e.f == f {
			return k
		}
	}
	return -1
}

type errKey struct {
	ri int
	f  fieldID
}

// finish turns the first n rows of the group into a Decoded.
func (d *Decoder) finish(n int) Decoded {
	b := &d.b
	rows := d.g.rows[:n]
	b.d, b.g, b.rows, b.head, b.errs, b.errIndex = d, &d.g, rows, -1, b.errs[:0], nil
	b.warns = b.warns[:0]
	h := &fupin.Household{}
	h.Members = b.members()
	for i := range h.Members {
		if m := &h.Members[i]; m.Relation == "head" && m.LeftOn.IsZero() {
			b.head = i
			break
		}
	}
	b.ms = h.Members
	b.householdValues()
	setHousehold(h, &b.vals)
	b.crossChecks(h)
	b.locate(h)
	b.validate(h)
	b.income(h)
	b.identities(h)
	for i := range h.Members {
		if m := &h.Members[i]; m.Active() {
			h.Size++
			if m.Relation == "head" {
				h.HeadName = m.Name
			}
		}
	}
	if v := b.vals[fSize]; v.set && v.i != h.Size {
		b.add(b.src[fSize], fSize, "人数为 "+itoa(v.i)+"，但文件中该户在册成员有 "+itoa(h.Size)+" 行")
	}
	out := Decoded{Household: h, Rows: make([]RowRef, len(rows)),
		AbsentHousehold: rows[0].hdr.absentHH, AbsentMember: rows[0].hdr.absentMem}
	if rows[0].hdr.impliedType && !b.vals[fType].set && h.MonitorType != "unstable" && h.MonitorType != "marginal" {
		// A 突发严重困难户 may be either type: a stored household keeps its own.
		out.AbsentHousehold = append(slices.Clip(out.AbsentHousehold), "=household_type")
	}
	for i := range rows {
		out.Rows[i] = rows[i].ref
	}
	if d.overflow {
		b.add(len(rows)-1, fHouseholdNo, "户编号“"+d.key+"”下的行超过 "+itoa(maxHouseholdRows)+
			" 行，已分段检查；请检查户编号是否被 Excel 损坏（如转成了科学计数法）")
	}
	out.Errors = b.cellErrors(b.errs)
	out.Warnings = b.cellErrors(b.warns)
	if len(out.Errors) > 0 {
		out.Cells = make([][]string, len(rows))
		for i, r := range rows {
			out.Cells[i] = slices.Clone(d.g.cells[r.off : r.off+r.n])
		}
	}
	if d.key != "" && !d.dup {
		d.seenNo[strings.Clone(d.key)] = d.refOf(rows[0].ref)
	}
	return out
}

// members parses the member-level cells of every row.
func (b *builder) members() []fupin.Member {
	ms := make([]fupin.Member, len(b.rows))
	for i := range b.rows {
		r, m := &b.rows[i], &ms[i]
		cs := b.g.cells[r.off : r.off+r.n]
		for _, cf := range r.hdr.mem {
			if int(cf.col) >= len(cs) || cs[cf.col] == "" {
				continue
			}
			raw := trim(cs[cf.col])
			if raw == "" {
				continue
			}
			v, reason := b.parse(cf.f, raw)
			if reason != "" {
				b.add(i, cf.f, reason)
				continue
			}
			setMember(m, cf.f, v)
		}
		// National lists leave 在校生状况 blank for non-students; Fupin's own
		// exports (recognised by their 村代码 column) write 非在校生 and keep
		// blank for "not recorded", which the policy engine treats as unknown.
		if m.SchoolStatus == "" && r.hdr.has(fSchool) && !r.hdr.has(fVillageCode) && b.errAt(i, fSchool) < 0 {
			m.SchoolStatus = "none"
		}
		b.leaveChecks(i, m)
	}
	return ms
}

// leaveChecks checks the 减员 columns of row i, which fupin validates only
// when a member leaves through the API.
func (b *builder) leaveChecks(i int, m *fupin.Member) {
	if !m.LeftOn.IsZero() && m.LeftOn.After(b.d.today) {
		b.add(i, fLeftOn, "减员日期不能晚于今天")
	}
	if m.LeftOn.IsZero() != (m.LeaveReason == "") && b.errAt(i, fLeftOn) < 0 && b.errAt(i, fLeaveReason) < 0 {
		if m.LeftOn.IsZero() {
			b.add(i, fLeftOn, "填写了减员原因，但未填写减员日期")
		} else {
			b.add(i, fLeaveReason, "填写了减员日期，但未填写减员原因")
		}
	}
}

// householdValues takes each household-level value from the 户主 row (or,
// when that cell is blank, from the first row that has it) and reports
// rows that disagree. Blank cells never disagree: merged cells leave them
// blank. Rows are compared cell by cell with the 户主 row first, so that
// the usual case, identical text, costs a string comparison.
func (b *builder) householdValues() {
	g, ref := b.g, max(b.head, 0)
	rr := &b.rows[ref]
	refCells := g.cells[rr.off : rr.off+rr.n]
	for _, f := range householdFields {
		b.src[f], b.srcRaw[f] = -1, ""
	}
	for _, cf := range rr.hdr.hh {
		if int(cf.col) < len(refCells) {
			if b.srcRaw[cf.f] = trim(refCells[cf.col]); b.srcRaw[cf.f] != "" {
				b.src[cf.f] = ref
			}
		}
	}
	b.diffs = b.diffs[:0]
	for i := range b.rows {
		if r := &b.rows[i]; i != ref {
			b.compareRow(i, ref, r, rr, refCells)
		}
	}
	for _, f := range householdFields {
		src := b.src[f]
		b.vals[f] = value{}
		if src < 0 {
			b.src[f] = ref
			continue
		}
		raw := b.srcRaw[f]
		if src != ref {
			raw = g.raw(src, f)
		}
		v, reason := b.parse(f, raw)
		if reason != "" {
			b.add(src, f, reason)
			continue
		}
		b.vals[f] = v
	}
	b.conflicts()
	b.moreRisks(ref, rr)
}

// moreRisks adds the risks of the numbered risk columns of the reference
// row (风险类型2 … 风险类型5) to 致贫返贫风险.
func (b *builder) moreRisks(ref int, rr *rowData) {
	if len(rr.hdr.risks) == 0 {
		return
	}
	list := b.vals[fRisks].risks()
	cells := b.g.cells[rr.off : rr.off+rr.n]
	for _, c := range rr.hdr.risks {
		if int(c) >= len(cells) || trim(cells[c]) == "" {
			continue
		}
		more, reason := parseRisks(trim(cells[c]))
		if reason != "" {
			b.add(ref, fRisks, reason)
			continue
		}
		for _, r := range more {
			if !slices.Contains(list, r) {
				list = append(list, r)
			}
		}
	}
	if len(list) > 0 {
		b.vals[fRisks] = value{s: strings.Join(list, ","), set: true}
		if b.src[fRisks] < 0 {
			b.src[fRisks] = ref
		}
	}
}

// compareRow records the household-level cells of row i that are not
// blank and not the same text as the 户主 row's.
func (b *builder) compareRow(i, ref int, r, rr *rowData, refCells []string) {
	cs := b.g.cells[r.off : r.off+r.n]
	if r.hdr != rr.hdr || r.n != rr.n {
		for _, cf := range r.hdr.hh {
			if int(cf.col) < len(cs) && cs[cf.col] != "" && cs[cf.col] != b.g.cell(ref, cf.f) {
				b.diff(i, cf.f, cs[cf.col])
			}
		}
		return
	}
	for _, cf := range r.hdr.hh {
		if int(cf.col) >= len(cs) {
			continue
		}
		c, rc := cs[cf.col], refCells[cf.col]
		if len(c) == len(rc) && (len(c) == 0 || unsafe.StringData(c) == unsafe.StringData(rc) || c == rc) {
			continue
		}
		if c != "" {
			b.diff(i, cf.f, c)
		}
	}
}

func (b *builder) diff(i int, f fieldID, c string) {
	if trim(c) == "" {
		return
	}
	b.diffs = append(b.diffs, diffCell{int32(i), f})
	if b.src[f] < 0 {
		b.src[f] = i
	}
}

// conflicts reports the differing cells whose values differ too.
func (b *builder) conflicts() {
	for _, dc := range b.diffs {
		i, f, src := int(dc.ri), dc.f, b.src[dc.f]
		raw, other := b.raw(src, f), b.raw(i, f)
		if i == src || other == raw {
			continue
		}
		v, reason := b.parse(f, other)
		switch {
		case reason != "":
			b.add(i, f, reason)
		case b.errAt(src, f) >= 0 || b.vals[f].equal(v):
		case f == fPhone:
			// Rows that carry each person's own phone: the household's is
			// the 户主's, the others are the members'.
			if m := &b.ms[i]; m.Phone == "" {
				m.Phone = v.s
			}
		case f == fNaturalVillage || f == fAddress:
			b.warn(i, f, "同一户各行的“"+b.rows[i].hdr.columnText(f)+"”不一致：本行为“"+other+"”，按"+
				b.d.where(b.d.refOf(b.rows[src].ref), b.rows[i].ref.Sheet)+"的“"+raw+"”导入")
		default:
			b.add(i, f, "同一户各行的“"+b.rows[i].hdr.columnText(f)+"”应一致：本行为“"+other+"”，"+
				b.d.where(b.d.refOf(b.rows[src].ref), b.rows[i].ref.Sheet)+"为“"+raw+"”")
		}
	}
}

// crossChecks reconciles the national columns that overlap Fupin's own:
// 致贫原因 with 致贫返贫风险, 危房户 with 危房等级, 风险是否消除 with 风险消除时间.
func (b *builder) crossChecks(h *fupin.Household) {
	if b.rows[0].hdr.impliedType && !b.vals[fType].set {
		// 脱贫不稳定户 are 脱贫户, the others 普通农户 (fupin's rule).
		h.Type = "ordinary"
		if h.MonitorType == "unstable" {
			h.Type = "ex_poor"
		}
	}
	if !b.rows[b.src[fRisks]].hdr.has(fRisks) {
		h.Risks = b.vals[fCause].risks()
	}
	if v := b.vals[fDangerous]; v.set {
		bad := h.Housing.Grade == "C" || h.Housing.Grade == "D"
		switch {
		case h.Housing.Grade == "" && b.errAt(b.src[fGrade], fGrade) < 0 && v.b:
			h.Housing.Grade = "C" // 危房 without a grade: the milder dangerous grade
		case h.Housing.Grade != "" && v.b != bad:
			b.add(b.src[fDangerous], fDangerous, "危房户为“"+b.raw(b.src[fDangerous], fDangerous)+
				"”，与危房等级“"+fupin.HousingGrades.LabelOf(h.Housing.Grade)+"”矛盾")
		}
	}
	if v := b.vals[fRiskEliminated]; v.set {
		switch {
		case v.b && h.RiskEliminatedOn.IsZero() && b.errAt(b.src[fEliminatedOn], fEliminatedOn) < 0:
			b.add(b.src[fRiskEliminated], fRiskEliminated, "风险已消除，但未填写风险消除时间")
		case !v.b && !h.RiskEliminatedOn.IsZero():
			b.add(b.src[fRiskEliminated], fRiskEliminated, "风险未消除，却填写了风险消除时间")
		}
	}
}

// locate sets the village code from 村代码 or from the names, and checks
// that it lies in the import's area.
func (b *builder) locate(h *fupin.Household) {
	d := b.d
	var loc location
	switch {
	case d.areaReason != "":
		loc = location{field: fVillage, reason: d.areaReason}
	case b.vals[fVillageCode].set:
		loc = d.villageCode(b.vals[fVillageCode].s)
	case b.vals[fCounty].set || b.vals[fTownship].set || b.vals[fVillage].set:
		loc = d.resolve(b.vals[fCounty].s, b.vals[fTownship].s, b.vals[fVillage].s)
	case len(d.area) == 12:
		loc = location{code: d.area}
	default:
		f := fVillage
		if b.rows[0].hdr.has(fVillageCode) {
			f = fVillageCode
		}
		loc = location{field: f, reason: "缺少村代码和行政村，无法确定所在村"}
	}
	if loc.reason == "" && !strings.HasPrefix(loc.code, d.area) {
		loc.reason = "所在村（" + loc.code + "）不在本次导入的区域（" + d.area + "）内"
		if !b.vals[fVillageCode].set {
			loc.field = fVillage
		}
	}
	if loc.reason != "" {
		b.add(b.src[loc.field], loc.field, loc.reason)
		return
	}
	h.VillageCode = loc.code
}
