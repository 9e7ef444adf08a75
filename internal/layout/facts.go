package layout

import (
	"fupin/internal/fupin"
)

// factFields are the member columns a department's list may carry as its
// one fact about each person: 民政 低保/特困, 残联 残疾等级, 教育 在校生状况 and
// 失辍学原因, 卫健 健康状况.
var factFields = []fieldID{fDibao, fTekun, fDisability, fSchool, fDropout, fHealth}

// Fact is one row of a department's list of people (ID numbers) with a fact
// about each: the member JSON paths it sets ("dibao") and their values.
type Fact struct {
	IDNumber string
	Name     string
	Values   map[string]any
}

// factList reports a department's list: 证件号码 and at least one fact
// column, without the household columns (与户主关系, 户类型, 监测对象类别).
func (h *Header) isFactList() bool {
	if h.col[fIDNumber] < 0 || h.col[fRelation] >= 0 || h.col[fType] >= 0 || h.col[fMonitorType] >= 0 {
		return false
	}
	for _, f := range factFields {
		if h.col[f] >= 0 {
			return true
		}
	}
	return false
}

// factRow decodes one row of a department's list.
func (d *Decoder) factRow(num int, cells []string) Decoded {
	ref := RowRef{Sheet: d.sheets[d.sheetNo], Row: num}
	out := Decoded{Rows: []RowRef{ref}}
	cell := func(f fieldID) string {
		if c := int(d.hdr.col[f]); c >= 0 && c < len(cells) {
			return trim(cells[c])
		}
		return ""
	}
	bad := func(f fieldID, reason string) {
		out.Errors = append(out.Errors, CellError{Sheet: ref.Sheet, Row: num, Column: d.hdr.columnText(f), Value: cell(f), Reason: reason})
	}
	m := fupin.Member{IDNumber: cell(fIDNumber), Name: cell(fName)}
	errs := fupin.FieldErrors{}
	m.Normalize(errs, "m", d.today)
	if msg := errs["m.id_number"]; msg != "" {
		bad(fIDNumber, msg)
	}
	fact := &Fact{IDNumber: m.IDNumber, Name: m.Name, Values: map[string]any{}}
	for _, f := range factFields {
		raw := cell(f)
		if d.hdr.col[f] < 0 || raw == "" {
			continue
		}
		v, reason := parseCell(f, raw)
		if reason != "" {
			bad(f, reason)
			continue
		}
		var x fupin.Member
		setMember(&x, f, v)
		path := memberKeep[f][0]
		switch f {
		case fDibao:
			fact.Values[path] = x.Dibao
		case fTekun:
			fact.Values[path] = x.Tekun
		case fDisability:
			fact.Values[path] = x.DisabilityGrade
		case fSchool:
			fact.Values[path] = x.SchoolStatus
		case fDropout:
			fact.Values[path] = x.DropoutExemption
		case fHealth:
			fact.Values[path] = x.Health
		}
	}
	if len(fact.Values) == 0 && len(out.Errors) == 0 {
		return Decoded{Rows: out.Rows} // nothing to say about this person
	}
	if len(out.Errors) > 0 {
		out.Cells = [][]string{append([]string(nil), cells...)}
		return out
	}
	out.Fact = fact
	return out
}
