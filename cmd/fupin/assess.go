package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

func cmdAssess(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("assess", "按两不愁三保障+饮水安全和收入线核查一个区域的全部农户，保存结论并输出汇总。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	area := fs.String("area", "", "区划代码（2/4/6/9/12 位），默认为库中全部区域")
	year := fs.Int("year", 0, "核查年度，默认上一年（最近一个完整收入年度）")
	format := fs.String("format", "table", "输出格式：table、json 或 xlsx")
	out := fs.String("out", "", "xlsx 输出文件（--format xlsx 时必填）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" && *format != "xlsx" {
		return fmt.Errorf("--format 应为 table、json 或 xlsx")
	}
	if *format == "xlsx" && *out == "" {
		return fmt.Errorf("--format xlsx 需要 --out 文件名")
	}
	if *year == 0 {
		*year = fupin.AssessmentYear(fupin.DateOf(time.Now()))
	}
	db, err := openBatch(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	defer batchMemoryLimit(getenv)()
	actor := fupin.SystemActor("命令行核查")
	var book *problemBook
	var each func(*fupin.Household, *criteria.Verdict) error
	if *format == "xlsx" {
		if book, err = newProblemBook(); err != nil {
			return err
		}
		each = book.add
	}
	start := time.Now()
	st, err := db.Assess(ctx, actor, *area, *year, each)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	sumArea := *area
	if sumArea == "" || len(sumArea) == 12 {
		sumArea = trimToSummaryArea(sumArea)
	}
	sum, err := db.AssessmentSummary(ctx, actor, sumArea, *year)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "核查 %d 户（%d 年度），结论变化 %d 户，用时 %.2f 秒\n", st.Households, *year, st.Changed, elapsed.Seconds())
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Stats   sqlstore.AssessStats `json:"stats"`
			Summary sqlstore.Summary     `json:"summary"`
		}{st, sum})
	case "xlsx":
		if err := book.summary(sum); err != nil {
			return err
		}
		if err := book.f.SaveAs(*out); err != nil {
			return fmt.Errorf("保存 %s：%w", *out, err)
		}
		fmt.Fprintf(stdout, "已写入 %s：问题清单 %d 户\n", *out, book.row-1)
		return nil
	}
	printSummary(stdout, sum)
	return nil
}

// trimToSummaryArea picks the area whose children the table lists: a
// village's township, or the whole country.
func trimToSummaryArea(a string) string {
	if len(a) == 12 {
		return a[:9]
	}
	return a
}

func printSummary(w io.Writer, s sqlstore.Summary) {
	head := []string{"区域", "户数", "全部达标", "有问题", "收入低于监测线"}
	for _, it := range criteria.Items {
		head = append(head, it.Label()+"(不达标/待核实)")
	}
	rows := [][]string{head}
	for _, c := range append(s.Children, s.Total) {
		name := c.Name
		if c.Code == s.Total.Code {
			name = "合计 " + name
		}
		row := []string{name, itoa(c.Households), itoa(c.Pass), itoa(c.WithProblem), itoa(c.IncomeRisk)}
		for _, it := range criteria.Items {
			n := c.Items[string(it)]
			row = append(row, fmt.Sprintf("%d/%d", n.Fail, n.Unknown))
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(head))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c + strings.Repeat(" ", widths[i]-displayWidth(c)+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth counts CJK characters as two columns, as terminals draw them.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && utf8.RuneLen(r) > 1 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func itoa(i int) string { return fmt.Sprint(i) }

// problemBook writes the 问题清单 sheet row by row as verdicts stream by.
type problemBook struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

func newProblemBook() (*problemBook, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "问题清单"); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter("问题清单")
	if err != nil {
		return nil, err
	}
	head := []any{"户编号", "户主", "县", "乡镇", "村", "不达标项目", "原因", "风险信号"}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	return &problemBook{f: f, sw: sw, row: 2}, nil
}

func (b *problemBook) add(h *fupin.Household, v *criteria.Verdict) error {
	if v.Problems == 0 && len(v.Signals) == 0 {
		return nil
	}
	var items, reasons, signals []string
	for _, r := range v.Items {
		if r.Status == criteria.Fail {
			items = append(items, r.Item.Label())
			reasons = append(reasons, r.Item.Label()+"："+r.Text())
		}
	}
	for _, s := range v.Signals {
		signals = append(signals, s.Code.Label())
	}
	names := make([]string, 3)
	if path, err := region.Path(h.VillageCode); err == nil && len(path) >= 3 {
		for i, r := range path[len(path)-3:] {
			names[i] = r.Name
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, b.row)
	b.row++
	return b.sw.SetRow(cell, []any{h.HouseholdNo, h.HeadName, names[0], names[1], names[2],
		strings.Join(items, "、"), strings.Join(reasons, "；"), strings.Join(signals, "、")})
}

func (b *problemBook) summary(s sqlstore.Summary) error {
	if err := b.sw.Flush(); err != nil {
		return err
	}
	if _, err := b.f.NewSheet("汇总"); err != nil {
		return err
	}
	head := []any{"区域代码", "区域", "户数", "全部达标", "有问题", "收入低于监测线"}
	for _, it := range criteria.Items {
		head = append(head, it.Label()+"不达标", it.Label()+"待核实")
	}
	if err := b.f.SetSheetRow("汇总", "A1", &head); err != nil {
		return err
	}
	for i, c := range append(s.Children, s.Total) {
		row := []any{c.Code, c.Name, c.Households, c.Pass, c.WithProblem, c.IncomeRisk}
		for _, it := range criteria.Items {
			n := c.Items[string(it)]
			row = append(row, n.Fail, n.Unknown)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := b.f.SetSheetRow("汇总", cell, &row); err != nil {
			return err
		}
	}
	return nil
}
