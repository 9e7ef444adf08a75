package exchange

import (
	"io"

	"github.com/xuri/excelize/v2"

	"fupin/internal/sqlstore"
)

// ErrorReport writes the problems as an .xlsx: each bad row as it was in
// the file, preceded by where it was, what is wrong and whether it is an
// error (the household was not written) or a warning.
func ErrorReport(w io.Writer, errs []sqlstore.ImportError) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"工作表", "行号", "列", "值", "错误原因", "级别", "原始行 →"}); err != nil {
		return err
	}
	for i, e := range errs {
		level := "错误"
		if e.Level == "warning" {
			level = "提示（不影响写入）"
		}
		row := []any{e.Sheet, e.Row, e.Column, e.Value, e.Reason, level, ""}
		for _, c := range e.Cells {
			row = append(row, c)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", "错误报告"); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
