package ledger

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/xlsx"
)

// MaxFeedbackRows bounds the findings of one imported feedback list.
const MaxFeedbackRows = 10_000

// CellError is a problem with one cell of an imported feedback list.
type CellError struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column" description:"列名，如 C"`
	Header  string `json:"header" description:"表头"`
	Message string `json:"message"`
}

// feedbackColumns maps a finding field to the header texts that name it.
var feedbackColumns = []struct {
	field    string
	headers  []string
	required bool
}{
	{"number", []string{"问题编号", "编号", "序号"}, true},
	{"category", []string{"问题类别", "类别", "问题类型"}, false},
	{"description", []string{"问题描述", "存在问题", "问题表现", "具体问题", "问题"}, true},
	{"area", []string{"所在村", "涉及村", "所在区域", "区划代码", "村"}, true},
	{"lead_unit", []string{"牵头单位", "牵头部门"}, true},
	{"responsible_units", []string{"责任单位", "责任部门"}, false},
	{"responsible_person", []string{"责任人"}, false},
	{"measures", []string{"整改措施", "措施"}, false},
	{"deadline", []string{"整改时限", "完成时限", "时限"}, false},
	{"kind", []string{"整改类型", "类型"}, false},
}

// ReadFeedback reads an inspection's feedback list (问题清单) from r: in
// each sheet the header row is found among the first 10 rows (the first
// naming the problem description, the village and the lead unit, with or
// without spaces), and every following non-empty row becomes a finding.
// resolve turns a village's name or code into its 12-digit code. Every bad
// cell is reported with sheet, row and column; the caller writes nothing
// when any is. Errors: a file the reader refuses, or no header row.
func ReadFeedback(r xlsx.Reader, resolve func(string) (string, bool)) ([]Finding, []CellError, error) {
	var out []Finding
	var bad []CellError
	var cols map[string]int
	var headerRow []string
	sheet, seen := "", 0
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, err
		}
		if row.Sheet != sheet {
			sheet, cols, seen = row.Sheet, nil, 0
		}
		seen++
		if cols == nil {
			if seen <= 10 {
				if c := feedbackHeader(row.Cells); c != nil {
					cols, headerRow = c, append([]string(nil), row.Cells...)
				}
			}
			continue
		}
		if blank(row.Cells) {
			continue
		}
		if len(out) == MaxFeedbackRows {
			return nil, nil, fupin.Errorf(fupin.EInvalid, "问题清单超过 %d 行，请分批导入", MaxFeedbackRows)
		}
		f, errs := feedbackRow(row, cols, headerRow, resolve)
		out, bad = append(out, f), append(bad, errs...)
	}
	if out == nil && bad == nil {
		return nil, nil, fupin.Errorf(fupin.EInvalid, "没有找到问题清单的表头（须有“问题描述”“所在村”“牵头单位”等列）")
	}
	return out, bad, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// feedbackHeader maps fields to columns when cells form a header row.
func feedbackHeader(cells []string) map[string]int {
	cols := map[string]int{}
	for i, c := range cells {
		c = strings.Join(strings.Fields(c), "")
		for _, fc := range feedbackColumns {
			if _, done := cols[fc.field]; !done && contains(fc.headers, c) {
				cols[fc.field] = i
				break
			}
		}
	}
	for _, fc := range feedbackColumns {
		if _, ok := cols[fc.field]; fc.required && !ok {
			return nil
		}
	}
	return cols
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var dateRe = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

func feedbackRow(row xlsx.Row, cols map[string]int, header []string, resolve func(string) (string, bool)) (Finding, []CellError) {
	var errs []CellError
	cell := func(field string) (string, int) {
		i, ok := cols[field]
		if !ok {
			return "", -1
		}
		if i >= len(row.Cells) {
			return "", i
		}
		return strings.TrimSpace(row.Cells[i]), i
	}
	fail := func(i int, msg string) {
		h := ""
		if i >= 0 && i < len(header) {
			h = header[i]
		}
		errs = append(errs, CellError{Sheet: row.Sheet, Row: row.Num, Column: column(i), Header: h, Message: msg})
	}
	f := Finding{Kind: KindDeadline, Category: "other"}
	f.Number, _ = cell("number")
	f.Description, _ = cell("description")
	f.LeadUnit, _ = cell("lead_unit")
	f.Responsible, _ = cell("responsible_units")
	f.Person, _ = cell("responsible_person")
	f.Measures, _ = cell("measures")
	if v, i := cell("category"); v != "" {
		if f.Category, _ = Categories.CodeOf(v); f.Category == "" {
			fail(i, "问题类别应为："+labels(Categories))
		}
	}
	if v, i := cell("kind"); v != "" {
		if f.Kind, _ = Kinds.CodeOf(v); f.Kind == "" {
			fail(i, "整改类型应为："+labels(Kinds))
		}
	}
	if v, i := cell("area"); v == "" {
		fail(i, "请填写所在村")
	} else if code, ok := resolve(v); !ok {
		fail(i, "不是本次巡视范围内的村："+v)
	} else {
		f.AreaCode = code
	}
	if v, i := cell("deadline"); v != "" {
		m := dateRe.FindStringSubmatch(v)
		var err error
		if m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if t.Month() != time.Month(mo) || t.Day() != d {
				err = fmt.Errorf("日期不存在")
			}
			f.Deadline = fupin.NewDate(y, time.Month(mo), d)
		}
		if m == nil || err != nil {
			fail(i, "整改时限应为日期，如 2025-12-31")
		}
	}
	if err := f.Validate(); err != nil {
		var e *fupin.Error
		if errors.As(err, &e) {
			for field, msg := range e.Fields {
				if field == "area_code" && f.AreaCode == "" {
					continue // reported above
				}
				src := map[string]string{"area_code": "area"}[field]
				if src == "" {
					src = field
				}
				_, i := cell(src)
				if !slices.ContainsFunc(errs, func(e CellError) bool { return e.Column == column(i) && i >= 0 }) {
					fail(i, msg) // not already reported for this cell
				}
			}
		}
	}
	slices.SortFunc(errs, func(a, b CellError) int {
		return cmp.Or(cmp.Compare(len(a.Column), len(b.Column)), strings.Compare(a.Column, b.Column), strings.Compare(a.Message, b.Message))
	})
	return f, errs
}

// labels lists a code list's labels for a message: 巡视、巡察、….
func labels(l fupin.CodeList) string {
	var s []string
	for _, it := range l.Items {
		s = append(s, it.Label)
	}
	return strings.Join(s, "、")
}

// column turns a 0-based index into A, B, …, Z, AA, … ("" for -1).
func column(i int) string {
	if i < 0 {
		return ""
	}
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
