// Package exchange moves the registry in and out of spreadsheets in the
// national layout: export streams households to .xlsx or .csv, import reads
// a file twice (check, then write) and loads it in one transaction.
package exchange

import (
	"context"
	"encoding/csv"
	"io"

	"fupin/internal/fupin"
	"fupin/internal/layout"
	"fupin/internal/sqlstore"
	"fupin/internal/xlsx"
)

// ExportStats counts what an export wrote.
type ExportStats struct {
	Households int `json:"households"`
	Rows       int `json:"rows"`
	Sheets     int `json:"sheets"`
}

// Export writes the live households of an area (inside the actor's areas)
// in the national layout to w, as "xlsx" or "csv" (UTF-8 with BOM, which
// Chinese Excel opens correctly). Memory stays flat: households stream from
// the store and rows stream into the file (xlsx.Writer); an .xlsx starts a
// new sheet, with the header again, when one is full.
func Export(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, area, format string, mask func(string) string, w io.Writer) (ExportStats, error) {
	return writeLayout(ctx, w, format, mask, func(fn func(*fupin.Household) error) error {
		return db.EachHousehold(ctx, actor, area, fn)
	})
}

// WriteHouseholds writes the households each produces in the national
// layout, unmasked: how `fupin demo --out` makes test and benchmark files.
func WriteHouseholds(w io.Writer, format string, each func(func(*fupin.Household) error) error) (ExportStats, error) {
	return writeLayout(context.Background(), w, format, nil, each)
}

func writeLayout(ctx context.Context, w io.Writer, format string, mask func(string) string, each func(func(*fupin.Household) error) error) (ExportStats, error) {
	var st ExportStats
	switch format {
	case "csv":
		return exportCSV(ctx, each, mask, w)
	case "xlsx":
	default:
		return st, &fupin.Error{Code: fupin.EInvalid, Message: "导出格式应为 xlsx 或 csv", Fields: map[string]string{"format": "应为 xlsx 或 csv"}}
	}
	xw := xlsx.NewWriter(w, layout.ExportHeader())
	err := encodeRows(ctx, each, mask, &st, func(cells []string) error {
		return xw.WriteRow("农户台账", cells)
	})
	if err == nil {
		err = xw.Close()
	} else {
		xw.Abort()
	}
	st.Sheets = xw.Sheets()
	return st, err
}

// encodeRows reads and encodes households on a goroutine of its own and
// hands their rows to write in order, so that reading the database and
// writing (compressing) the file overlap. Rows go over in batches of
// layout.Width cells a row, whose buffers come back to be filled again:
// a village's export allocated twelve megabytes of cells otherwise.
func encodeRows(ctx context.Context, each func(func(*fupin.Household) error) error, mask func(string) string, st *ExportStats, write func([]string) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Small batches, so that the few in flight are soon back to be refilled.
	const batchRows, inFlight = 256, 4
	batches, free := make(chan []string, inFlight), make(chan []string, inFlight+2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		var enc layout.Encoder
		var batch []string
		readErr <- each(func(h *fupin.Household) error {
			st.Households++
			if batch == nil {
				select {
				case batch = <-free:
				default:
					batch = make([]string, 0, (batchRows+32)*layout.Width)
				}
			}
			start := len(batch)
			batch = enc.Append(batch, h, mask)
			if mask != nil {
				redactHousehold(h, rowsOf(batch[start:]))
			}
			if len(batch) >= batchRows*layout.Width {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = nil
			}
			return nil
		})
		if len(batch) > 0 {
			batches <- batch
		}
	}()
	var err error
	for batch := range batches {
		for k := 0; k+layout.Width <= len(batch) && err == nil; k += layout.Width {
			st.Rows++
			err = write(batch[k : k+layout.Width : k+layout.Width])
		}
		if err != nil {
			cancel()
		}
		select {
		case free <- batch[:0]:
		default:
		}
	}
	if rerr := <-readErr; err == nil {
		err = rerr
	}
	return err
}

// rowsOf cuts cells into rows of layout.Width.
func rowsOf(cells []string) [][]string {
	rows := make([][]string, len(cells)/layout.Width)
	for k := range rows {
		rows[k] = cells[k*layout.Width : (k+1)*layout.Width : (k+1)*layout.Width]
	}
	return rows
}

func exportCSV(ctx context.Context, each func(func(*fupin.Household) error) error, mask func(string) string, w io.Writer) (ExportStats, error) {
	st := ExportStats{Sheets: 1}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return st, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(layout.ExportHeader()); err != nil {
		return st, err
	}
	err := encodeRows(ctx, each, mask, &st, func(cells []string) error {
		for i, c := range cells {
			cells[i] = xlsx.CSVSafe(c) // formula injection; see xlsx.CSVSafe
		}
		return cw.Write(cells)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return st, err
}
