package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/layout"
	"fupin/internal/sqlstore"
	"fupin/internal/xlsx"
)

// ImportOptions says how to import a file.
type ImportOptions struct {
	// Area limits the file to households of this division-code prefix
	// (within the actor's areas); "" = the actor's areas.
	Area string
	// DryRun only checks; SkipInvalid writes the valid households (a
	// household with any bad row is skipped whole) instead of nothing.
	DryRun, SkipInvalid bool
	// Progress, when set, sees the job's counts as they change (every 1,000
	// rows or 200 ms, whichever comes first) and at each phase change.
	Progress func(*sqlstore.Import)
	// MaxErrors bounds the problems kept for the report (default 100,000);
	// the counts stay exact.
	MaxErrors int
}

// ImportResult is the outcome: counts in Job and the problems found.
type ImportResult struct {
	Job    *sqlstore.Import
	Errors []sqlstore.ImportError
}

// Import reads the file at path twice: first every row is decoded and
// checked and every problem collected; then, unless that found problems
// (and SkipInvalid is off) or DryRun is set, the valid households are
// loaded in one transaction, so an interrupted import leaves the database
// as it was. Households matched by 户编号 or by a current member's ID
// number are merged (changed
// fields updated, new members added, nothing written when nothing
// differs); new ones are inserted. The area's verdicts are recomputed after.
func Import(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, path string, opts ImportOptions, job *sqlstore.Import) (*ImportResult, error) {
	if opts.MaxErrors == 0 {
		opts.MaxErrors = 100000
	}
	if opts.Area != "" && !actor.Covers(opts.Area) {
		return nil, fupin.Errorf(fupin.EForbidden, "不能导入到管辖区域以外：%s", opts.Area)
	}
	res := &ImportResult{Job: job}
	p := &progress{job: job, fn: opts.Progress}
	job.State, job.Phase = "running", "check"
	p.flush()
	today := fupin.DateOf(time.Now())
	invalid, err := checkFile(ctx, path, actor, opts, today, p, res)
	if err != nil {
		return res, err
	}
	switch {
	case opts.DryRun:
		job.State, job.Message = "done", fmt.Sprintf("仅检查：%d 户有效，%d 户有错误，未写入", job.Valid, job.Invalid)
	case job.Invalid > 0 && !opts.SkipInvalid:
		job.State, job.Message = "rejected", fmt.Sprintf("%d 户有错误，未写入任何数据；改正后重新导入，或选择跳过有错误的户", job.Invalid)
	default:
		if err := writeFile(ctx, db, actor, path, opts, today, invalid, p); err != nil {
			return res, err
		}
		job.State = "done"
		job.Message = fmt.Sprintf("新增 %d 户，更新 %d 户，%d 户无变化，跳过 %d 户有错误的户", job.Written, job.Updated, job.Unchanged, job.Invalid)
	}
	p.flush()
	return res, nil
}

// progress forwards counts to the caller at most every 200 ms.
type progress struct {
	job  *sqlstore.Import
	fn   func(*sqlstore.Import)
	last time.Time
}

func (p *progress) tick(r xlsx.Reader) {
	if p.job.RowsRead%1000 != 0 && time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.job.BytesDone, p.job.BytesTotal = xlsx.BytesRead(r)
	p.flush()
}

func (p *progress) flush() {
	p.last = time.Now()
	if p.fn != nil {
		p.fn(p.job)
	}
}

// eachRow feeds every row of the file to the decoder and each decoded
// household to fn.
func eachRow(ctx context.Context, path string, dec *layout.Decoder, p *progress, fn func(layout.Decoded, []rowCells) error) error {
	r, err := xlsx.Open(path)
	if err != nil {
		return &fupin.Error{Code: fupin.EInvalid, Message: err.Error(), Fields: map[string]string{"file": err.Error()}}
	}
	defer r.Close()
	var pending []rowCells // rows since the last household was completed
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &fupin.Error{Code: fupin.EInvalid, Message: err.Error(), Fields: map[string]string{"file": err.Error()}}
		}
		p.job.RowsRead++
		pending = append(pending, rowCells{sheet: row.Sheet, num: row.Num, cells: append([]string(nil), row.Cells...)})
		done, err := dec.Row(row.Sheet, row.Num, row.Cells)
		var sheetErr *layout.SheetError
		if errors.As(err, &sheetErr) {
			// The decoder skips the rest of the sheet; the problem is reported
			// as a household-less decoded entry so that it counts as an error.
			done = append(done, layout.Decoded{Errors: []layout.CellError{{Sheet: sheetErr.Sheet, Row: sheetErr.Row, Reason: sheetErr.Message}}})
		} else if err != nil {
			return err
		}
		for _, d := range done {
			if err := fn(d, pending); err != nil {
				return err
			}
		}
		if len(done) > 0 {
			pending = pending[len(pending)-1:] // the row that started the next household
		}
		p.tick(r)
	}
	for _, d := range dec.Flush() {
		if err := fn(d, pending); err != nil {
			return err
		}
	}
	p.job.BytesDone = p.job.BytesTotal
	return nil
}

// rowCells is a copy of a row kept for the error report.
type rowCells struct {
	sheet string
	num   int
	cells []string
}

func cellsOf(rows []rowCells, sheet string, num int) []string {
	for _, r := range rows {
		if r.sheet == sheet && r.num == num {
			return r.cells
		}
	}
	return nil
}

// checkFile is the first pass: decode and validate everything. It returns
// the set of invalid households (by the sheet and row of their first row).
func checkFile(ctx context.Context, path string, actor fupin.Actor, opts ImportOptions, today fupin.Date, p *progress, res *ImportResult) (map[rowKey]bool, error) {
	dec := layout.NewDecoder(layout.Options{Today: today, Area: areaFor(actor, opts.Area)})
	invalid := map[rowKey]bool{}
	err := eachRow(ctx, path, dec, p, func(d layout.Decoded, rows []rowCells) error {
		if d.Household != nil {
			p.job.Households++
		}
		if len(d.Errors) == 0 {
			p.job.Valid++
			return nil
		}
		p.job.Invalid++
		if len(d.Rows) > 0 {
			invalid[rowKey{d.Rows[0].Sheet, d.Rows[0].Row}] = true
		}
		for _, e := range d.Errors {
			if len(res.Errors) < opts.MaxErrors {
				res.Errors = append(res.Errors, sqlstore.ImportError{Sheet: e.Sheet, Row: e.Row, Column: e.Column,
					Value: e.Value, Reason: e.Reason, Cells: cellsOf(rows, e.Sheet, e.Row)})
			}
		}
		return nil
	})
	return invalid, err
}

type rowKey struct {
	sheet string
	row   int
}

// areaFor is the area rows must lie in: the requested one, or the actor's
// single area (several areas are checked by the store on write).
func areaFor(actor fupin.Actor, area string) string {
	if area == "" && len(actor.Areas) == 1 {
		return actor.Areas[0]
	}
	return area
}

// writeFile is the second pass: decode again and load the valid households.
func writeFile(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, path string, opts ImportOptions, today fupin.Date, invalid map[rowKey]bool, p *progress) error {
	existing, err := db.LiveHouseholdNos(ctx, actor)
	if err != nil {
		return err
	}
	people, err := db.CurrentPeople(ctx, actor)
	if err != nil {
		return err
	}
	p.job.Phase, p.job.RowsRead, p.job.BytesDone = "write", 0, 0
	p.flush()
	dec := layout.NewDecoder(layout.Options{Today: today, Area: areaFor(actor, opts.Area)})
	st, err := db.BulkLoad(ctx, actor, "import.load", func(emit func(*fupin.Household) error) error {
		return eachRow(ctx, path, dec, p, func(d layout.Decoded, _ []rowCells) error {
			if d.Household == nil || len(d.Errors) > 0 || (len(d.Rows) > 0 && invalid[rowKey{d.Rows[0].Sheet, d.Rows[0].Row}]) {
				return nil
			}
			if !actor.Covers(d.Household.VillageCode) {
				return fupin.Errorf(fupin.EForbidden, "第 %d 行：村 %s 不在您的管辖区域内", d.Rows[0].Row, d.Household.VillageCode)
			}
			d.Household.ID = match(d.Household, existing, people)
			return emit(d.Household)
		})
	})
	if err != nil {
		return err
	}
	p.job.Written, p.job.Updated, p.job.Unchanged = st.Households, st.Updated, st.Unchanged
	year := fupin.AssessmentYear(today)
	_, err = db.Assess(ctx, actor, areaFor(actor, opts.Area), year, nil)
	return err
}

// match finds the existing household an imported one updates: by 户编号,
// else by the household a current member of it already belongs to (the
// head first). 0 means a new household.
func match(h *fupin.Household, byNo map[string]int64, byPerson map[string]int64) int64 {
	if id, ok := byNo[h.HouseholdNo]; ok && h.HouseholdNo != "" {
		return id
	}
	for _, head := range []bool{true, false} {
		for _, m := range h.Members {
			if (m.Relation == "head") == head && m.Active() {
				if id, ok := byPerson[m.IDNumber]; ok {
					return id
				}
			}
		}
	}
	return 0
}
