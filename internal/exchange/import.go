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

// Import reads the file once: every row is decoded and checked, every
// problem collected, and the valid households flow into one database
// transaction as they come. When a problem turns up (and SkipInvalid is
// off) writing stops, the rest of the file is still checked so that every
// problem is reported, and the transaction is rolled back: nothing is
// written. So an interrupted or rejected import leaves the database as it
// was. DryRun only checks. Households matched by 户编号 or by a current
// member's ID number are merged (changed fields updated, new members added,
// nothing written when nothing differs); new ones are inserted and assessed
// on the way in.
func Import(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, path string, opts ImportOptions, job *sqlstore.Import) (*ImportResult, error) {
	if opts.MaxErrors == 0 {
		opts.MaxErrors = 100000
	}
	if opts.Area != "" && !actor.Covers(opts.Area) {
		return nil, fupin.Errorf(fupin.EForbidden, "不能导入到管辖区域以外：%s", opts.Area)
	}
	res := &ImportResult{Job: job}
	p := &progress{job: job, fn: opts.Progress}
	c := &checker{job: job, res: res, max: opts.MaxErrors}
	dec := layout.NewDecoder(layout.Options{Today: fupin.DateOf(time.Now()), Area: areaFor(actor, opts.Area)})
	job.State, job.Phase = "running", "check"
	if opts.DryRun {
		p.flush()
		if err := eachRow(ctx, path, dec, p, func(d layout.Decoded) error {
			c.check(d)
			return nil
		}); err != nil {
			return res, err
		}
		job.State, job.Message = "done", fmt.Sprintf("仅检查：%d 户有效，%d 户有错误，未写入", job.Valid, job.Invalid)
		p.flush()
		return res, nil
	}
	job.Phase = "write"
	p.flush()
	err := load(ctx, db, actor, path, dec, opts, p, c)
	switch {
	case errors.Is(err, errRejected):
		job.State, job.Message = "rejected", fmt.Sprintf("%d 户有错误，未写入任何数据；改正后重新导入，或选择跳过有错误的户", job.Invalid)
	case err != nil:
		return res, err
	default:
		job.State = "done"
		job.Message = fmt.Sprintf("新增 %d 户，更新 %d 户，%d 户无变化，跳过 %d 户有错误的户", job.Written, job.Updated, job.Unchanged, job.Invalid)
	}
	p.flush()
	return res, nil
}

// errRejected rolls the load back when the file has problems and
// SkipInvalid is off.
var errRejected = errors.New("import rejected")

// load is the single pass of a real import: check every household, send
// the valid ones to BulkLoad (whose transaction is rolled back by
// errRejected when anything was bad and SkipInvalid is off).
func load(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, path string, dec *layout.Decoder, opts ImportOptions, p *progress, c *checker) error {
	existing, err := db.LiveHouseholdNos(ctx, actor)
	if err != nil {
		return err
	}
	people, err := db.CurrentPeople(ctx, actor)
	if err != nil {
		return err
	}
	rejected := false
	st, err := db.BulkLoad(ctx, actor, "import.load", func(emit func(*fupin.Household) error) error {
		err := eachRow(ctx, path, dec, p, func(d layout.Decoded) error {
			if !c.check(d) {
				rejected = rejected || !opts.SkipInvalid
				return nil
			}
			if rejected || d.Household == nil {
				return nil
			}
			if !actor.Covers(d.Household.VillageCode) {
				return fupin.Errorf(fupin.EForbidden, "第 %d 行：村 %s 不在您的管辖区域内", d.Rows[0].Row, d.Household.VillageCode)
			}
			d.Household.ID = match(d.Household, existing, people)
			return emit(d.Household)
		})
		if err == nil && rejected {
			err = errRejected
		}
		return err
	})
	if err != nil {
		return err
	}
	p.job.Written, p.job.Updated, p.job.Unchanged = st.Households, st.Updated, st.Unchanged
	return nil
}

// checker counts decoded households and keeps their problems for the report.
type checker struct {
	job *sqlstore.Import
	res *ImportResult
	max int
}

// check records a decoded household and reports whether it is valid.
func (c *checker) check(d layout.Decoded) bool {
	if d.Household != nil {
		c.job.Households++
	}
	if len(d.Errors) == 0 {
		c.job.Valid++
		return true
	}
	c.job.Invalid++
	for _, e := range d.Errors {
		if len(c.res.Errors) < c.max {
			c.res.Errors = append(c.res.Errors, sqlstore.ImportError{Sheet: e.Sheet, Row: e.Row, Column: e.Column,
				Value: e.Value, Reason: e.Reason, Cells: cellsOf(d, e.Sheet, e.Row)})
		}
	}
	return false
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
func eachRow(ctx context.Context, path string, dec *layout.Decoder, p *progress, fn func(layout.Decoded) error) error {
	r, err := xlsx.Open(path)
	if err != nil {
		return &fupin.Error{Code: fupin.EInvalid, Message: err.Error(), Fields: map[string]string{"file": err.Error()}}
	}
	defer r.Close()
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
			if err := fn(d); err != nil {
				return err
			}
		}
		p.tick(r)
	}
	for _, d := range dec.Flush() {
		if err := fn(d); err != nil {
			return err
		}
	}
	p.job.BytesDone = p.job.BytesTotal
	return nil
}

// cellsOf returns the cells of a household's row, for the error report.
func cellsOf(d layout.Decoded, sheet string, num int) []string {
	for i, r := range d.Rows {
		if r.Sheet == sheet && r.Row == num && i < len(d.Cells) {
			return d.Cells[i]
		}
	}
	return nil
}

// areaFor is the area rows must lie in: the requested one, or the actor's
// single area (several areas are checked by the store on write).
func areaFor(actor fupin.Actor, area string) string {
	if area == "" && len(actor.Areas) == 1 {
		return actor.Areas[0]
	}
	return area
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
