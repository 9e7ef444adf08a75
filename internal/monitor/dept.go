package monitor

import (
	"fmt"
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
)

// DeptRow is one person of a department list (部门筛查预警): ID number, the
// fact the department reports (e.g. 住院自付 3.2 万元) and its date.
type DeptRow struct {
	Row      int        `json:"row"`
	IDNumber string     `json:"id_number"`
	Fact     string     `json:"fact"`
	FactOn   fupin.Date `json:"fact_on"`
}

// RowProblem is a row of a department list that cannot be used.
type RowProblem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// Limits of a department list.
const (
	MaxDeptRows   = 2_000_000
	MaxFactLength = 200
)

// DeptColumns finds the columns of a department list in a header row: the
// ID number (身份证号 / 证件号码 / 公民身份号码), the fact (情况 / 事项 /
// 预警信息 / 说明) and the date (日期 / 时间). ok is false when the ID or
// fact column is missing; date is -1 when absent.
func DeptColumns(header []string) (id, fact, date int, ok bool) {
	id, fact, date = -1, -1, -1
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case id < 0 && (strings.Contains(h, "身份证") || strings.Contains(h, "证件号") || strings.Contains(h, "身份号码")):
			id = i
		case fact < 0 && (strings.Contains(h, "情况") || strings.Contains(h, "事项") || strings.Contains(h, "预警") || strings.Contains(h, "说明")):
			fact = i
		case date < 0 && (strings.Contains(h, "日期") || strings.Contains(h, "时间")):
			date = i
		}
	}
	return id, fact, date, id >= 0 && fact >= 0
}

// ParseDeptRow checks one data row: a valid ID number, a fact of at most
// MaxFactLength characters and a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)
// not after today.
func ParseDeptRow(num int, cells []string, id, fact, date int, today fupin.Date) (DeptRow, *RowProblem) {
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	r := DeptRow{Row: num, Fact: cell(fact)}
	n, err := idcard.Parse(cell(id), today.Time())
	if err != nil {
		return r, &RowProblem{Row: num, Column: "身份证号", Message: err.Error()}
	}
	r.IDNumber = n.Number
	if r.Fact == "" || len([]rune(r.Fact)) > MaxFactLength {
		return r, &RowProblem{Row: num, Column: "情况", Message: fmt.Sprintf("预警情况应为 1–%d 个字", MaxFactLength)}
	}
	if s := cell(date); s != "" {
		t, err := parseDay(s)
		if err != nil || t.After(today) {
			return r, &RowProblem{Row: num, Column: "日期", Message: "日期无效或晚于今天：" + s}
		}
		r.FactOn = t
	} else {
		r.FactOn = today
	}
	return r, nil
}

func parseDay(s string) (fupin.Date, error) {
	for _, layout := range []string{"2006-01-02", "2006/01/02", "20060102", "2006-1-2", "2006/1/2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return fupin.DateOf(t), nil
		}
	}
	return fupin.Date{}, fmt.Errorf("bad date %q", s)
}
