// Package exchange moves the registry in and out of spreadsheets in the
// national layout: export streams households to .xlsx or .csv, import reads
// a file twice (check, then write) and loads it in one transaction.
package exchange

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"fupin/internal/fupin"
	"fupin/internal/idcard"
	"fupin/internal/layout"
	"fupin/internal/sqlstore"
)

// maxSheetRows is Excel's row limit less the header row.
const maxSheetRows = 1048576 - 1

// ExportStats counts what an export wrote.
type ExportStats struct {
	Households int `json:"households"`
	Rows       int `json:"rows"`
	Sheets     int `json:"sheets"`
}

// Masker hides ID and phone numbers for callers who may not see them.
func Masker(maskIdentity bool) func(string) string {
	if !maskIdentity {
		return nil
	}
	return func(s string) string {
		if len(s) >= 15 {
			return idcard.Mask(s)
		}
		if len(s) >= 6 {
			return s[:3] + strings.Repeat("*", len(s)-5) + s[len(s)-2:]
		}
		return strings.Repeat("*", len(s))
	}
}

// Export writes the live households of an area (inside the actor's areas)
// in the national layout to w, as "xlsx" or "csv" (UTF-8 with BOM, which
// Chinese Excel opens correctly). Memory stays flat: households stream from
// the store and rows stream into the file; an .xlsx starts a new sheet
// every 1,048,575 rows.
func Export(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, area, format string, mask func(string) string, w io.Writer) (ExportStats, error) {
	var st ExportStats
	switch format {
	case "csv":
		return exportCSV(ctx, db, actor, area, mask, w)
	case "xlsx":
	default:
		return st, &fupin.Error{Code: fupin.EInvalid, Message: "导出格式应为 xlsx 或 csv", Fields: map[string]string{"format": "应为 xlsx 或 csv"}}
	}
	f := excelize.NewFile()
	defer f.Close()
	var sw *excelize.StreamWriter
	row := 0
	newSheet := func() error {
		if sw != nil {
			if err := sw.Flush(); err != nil {
				return err
			}
		}
		st.Sheets++
		name := fmt.Sprintf("农户台账%d", st.Sheets)
		if st.Sheets == 1 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		var err error
		if sw, err = f.NewStreamWriter(name); err != nil {
			return err
		}
		row = 1
		return sw.SetRow("A1", toAny(layout.ExportHeader()))
	}
	if err := newSheet(); err != nil {
		return st, err
	}
	err := db.EachHousehold(ctx, actor, area, func(h *fupin.Household) error {
		st.Households++
		for _, cells := range layout.EncodeHousehold(h, mask) {
			if row > maxSheetRows {
				if err := newSheet(); err != nil {
					return err
				}
			}
			row++
			st.Rows++
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, toAny(cells)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	if err := sw.Flush(); err != nil {
		return st, err
	}
	_, err = f.WriteTo(w)
	return st, err
}

func exportCSV(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, area string, mask func(string) string, w io.Writer) (ExportStats, error) {
	st := ExportStats{Sheets: 1}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return st, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(layout.ExportHeader()); err != nil {
		return st, err
	}
	err := db.EachHousehold(ctx, actor, area, func(h *fupin.Household) error {
		st.Households++
		for _, cells := range layout.EncodeHousehold(h, mask) {
			st.Rows++
			if err := cw.Write(cells); err != nil {
				return err
			}
		}
		return nil
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return st, err
}

// toAny converts cells to what the stream writer takes, as text so that
// ID numbers and codes keep every digit.
func toAny(cells []string) []any {
	out := make([]any, len(cells))
	for i, c := range cells {
		out[i] = c
	}
	return out
}
