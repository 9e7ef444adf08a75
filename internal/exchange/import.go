package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	// IncomeYear is the year of the income columns of sheets that carry no
	// 收入年度 (统计年度) column and no year in their title; 0 = none.
	IncomeYear int
	// Progress, when set, sees the job's counts as they change (every 1,000
	// rows or 200 ms, whichever comes first) and at each phase change; the
	// final state only once it is saved with the job's problems.
	Progress func(*sqlstore.Import)
	// MaxErrors bounds the problems kept for the report (default 100,000;
	// the original cells are kept for the first 1,000); the job's counts
	// stay exact and the problems left out are counted by column.
	MaxErrors int
	// Opened, when set, is told the memory that stays live for the whole
	// import once the file is open, for a command that sets its own soft
	// memory limit: the file's shared strings table (xlsx.SharedBytes) and,
	// when the import writes, the index that matches existing households
	// (sqlstore.MatchIndex.Bytes); told again, with the new households'
	// search terms added (LoadOptions.Held), each time those grow.
	Opened func(liveBytes int64)
}

// ImportResult is the outcome: counts in Job, the problems found (errors
// reject a household) and warnings (which do not).
type ImportResult struct {
	Job      *sqlstore.Import
	Errors   []sqlstore.ImportError
	Warnings []sqlstore.ImportError
}

// maxErrorCells is how many problems keep their row's original cells.
const maxErrorCells = 1000

// The report's bytes are bounded as well as its count: a hostile file of
// 1 MB rows whose 31 checked cells each hold 32 KB of junk (each one an
// error) took an import to 793 MB resident for a 313 MB file, keeping
// every junk value and row. A problem keeps at most maxValueBytes of the
// cell's text, and the rows kept for the report at most maxCellsBytes in
// all, as stored (each cell of them at most maxCellBytes).
const (
	maxValueBytes = 200
	maxCellBytes  = 1 << 10
	maxCellsBytes = 8 << 20
)

// clip returns s cut to at most n bytes on a character boundary, saying
// how long it was. Callers clone what they keep: a short cell may be a
// substring of a whole row's text.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("…（共 %d 字节，已截断）", len(s))
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
//
// The job (created by the caller) is marked running when the work starts;
// its final state, counts and problems are saved in one transaction — the
// load's own when data is written, so that the job says done exactly when
// its data committed — before Progress sees the final state. On an error
// the job is saved as failed with a message free of database detail, and
// the error is returned for the log.
func Import(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, path string, opts ImportOptions, job *sqlstore.Import) (*ImportResult, error) {
	if opts.MaxErrors == 0 {
		opts.MaxErrors = 100000
	}
	res := &ImportResult{Job: job}
	release, err := db.HoldImport(ctx, job.ID)
	if err != nil {
		return res, err
	}
	defer release()
	p := &progress{job: job, fn: opts.Progress}
	if db.Dialect() == sqlstore.Postgres {
		p.stored = storeProgress(context.WithoutCancel(ctx), db, time.Second)
		defer p.stored.close()
	}
	c := &checker{job: job, res: res, max: opts.MaxErrors, byColumn: map[string]int{}}
	job.State, job.Phase = "running", "check"
	if !opts.DryRun {
		job.Phase = "write"
	}
	if err := db.SaveImportProgress(ctx, job); err != nil {
		return res, err
	}
	p.flush()
	switch {
	case opts.Area != "" && !actor.Covers(opts.Area):
		err = fupin.Errorf(fupin.EForbidden, "不能导入到管辖区域以外：%s", opts.Area)
	case opts.IncomeYear != 0 && (opts.IncomeYear < 2010 || opts.IncomeYear > time.Now().Year()):
		err = &fupin.Error{Code: fupin.EInvalid, Message: "收入年度应在 2010 至今年之间",
			Fields: map[string]string{"income_year": "收入年度应在 2010 至今年之间"}}
	default:
		var check func(*fupin.Household, fupin.FieldErrors)
		if check, err = db.CategoryCheck(ctx, actor); err != nil {
			break
		}
		dec := layout.NewDecoder(layout.Options{Today: fupin.DateOf(time.Now()), Area: areaFor(actor, opts.Area),
			IncomeYear: opts.IncomeYear, Check: check})
		if opts.DryRun {
			err = eachRow(ctx, path, dec, p, opts.Opened, func(d layout.Decoded) error {
				c.check(d)
				return nil
			})
			if err == nil {
				c.unknownColumns(dec)
				job.State, job.Message = "done", fmt.Sprintf("仅检查：%d 户有效，%d 户有错误，未写入", job.Valid, job.Invalid)+c.capNote()
			}
		} else {
			err = load(ctx, db, actor, path, dec, opts, p, c)
		}
	}
	switch {
	case err == nil:
		// done: saved by the load's transaction (or below for a dry run)
	case errors.Is(err, errRejected):
		job.State, job.Message = "rejected", fmt.Sprintf("%d 户有错误，未写入任何数据；改正后重新导入，或选择跳过有错误的户", job.Invalid)+c.capNote()
		err = nil
	case errors.Is(err, context.Canceled):
		job.State, job.Message = "failed", "导入已取消，未写入任何数据"
	case sqlstore.IsDiskFull(err):
		job.State, job.Message = "failed", sqlstore.DiskFullMessage
	case errors.Is(err, context.DeadlineExceeded):
		job.State, job.Message = "failed", "导入超过时限仍未完成，已停止，未写入任何数据；请拆分文件后分别导入"
	default:
		job.State, job.Message = "failed", "导入失败，未写入任何数据："+fupin.ErrorMessage(err)
	}
	if job.State != "done" || opts.DryRun {
		// The load's transaction did not carry the final state: save it
		// with the problems now (also when the caller's context is gone).
		if serr := db.FinishImport(context.WithoutCancel(ctx), job, c.problems()); serr != nil && err == nil {
			err = serr
		}
	}
	p.flush()
	return res, err
}

// errRejected rolls the load back when the file has problems and
// SkipInvalid is off.
var errRejected = errors.New("import rejected")

// load is the single pass of a real import: check every household, send
// the valid ones to BulkLoad (whose transaction is rolled back by
// errRejected when anything was bad and SkipInvalid is off). The job's
// final state and problems are written in the load's transaction.
func load(ctx context.Context, db *sqlstore.DB, actor fupin.Actor, path string, dec *layout.Decoder, opts ImportOptions, p *progress, c *checker) error {
	existing, err := db.MatchIndex(ctx, actor)
	if err != nil {
		return err
	}
	opened := opts.Opened
	var held func(int64)
	if opened != nil {
		// Without the index's size the collector of a re-import of a
		// county ran without pause (a quarter of the CPU) for a heap it
		// could not shrink; so with the search terms a fresh import holds.
		// Both run on the load's producer goroutine.
		var shared, terms int64
		opened = func(n int64) { shared = n; opts.Opened(shared + existing.Bytes() + terms) }
		held = func(n int64) { terms = n; opts.Opened(shared + existing.Bytes() + terms) }
	}
	rejected := false
	var cur sqlstore.Source
	// incomeRows names the rows of merged households whose file gives an
	// income total only, for the store's notes on totals that disagree.
	incomeRows := map[int64]sqlstore.Source{}
	var absentHH, absentMem []string
	lo := sqlstore.LoadOptions{ImportID: p.job.ID, Source: func() sqlstore.Source { return cur },
		Absent: func() ([]string, []string) { return absentHH, absentMem }, Held: held}
	var facts []sqlstore.MemberFact
	lo.Finish = func(tx *sqlstore.Tx, st sqlstore.BulkStats) error {
		job := p.job
		job.Written, job.Updated, job.Unchanged = st.Households, st.Updated, st.Unchanged
		if len(facts) > 0 {
			n, missing, err := tx.ApplyMemberFacts(ctx, facts)
			if err != nil {
				return err
			}
			job.Updated += n
			for _, f := range missing {
				c.warn(sqlstore.ImportError{Sheet: f.Source.Sheet, Row: f.Source.Row, Column: "证件号码", Value: f.IDNumber,
					Reason: "该户中没有此人的在册记录，未导入"})
			}
		}
		for _, n := range st.IncomeNotes {
			src := incomeRows[n.HouseholdID]
			c.warn(sqlstore.ImportError{Sheet: src.Sheet, Row: src.Row, Column: "人均纯收入", Value: n.File.String(),
				Reason: fmt.Sprintf("文件中 %d 年家庭纯收入为 %s 元，与系统中分项收入合计 %s 元不一致；已保留系统中的分项收入，请核对",
					n.Year, n.File, n.Stored)})
		}
		job.State = "done"
		job.Message = fmt.Sprintf("新增 %d 户，更新 %d 户，%d 户无变化，跳过 %d 户有错误的户", job.Written, job.Updated, job.Unchanged, job.Invalid) + c.capNote()
		return tx.FinishImport(ctx, job, c.problems(), true)
	}
	_, err = db.BulkLoadWith(ctx, actor, "import.load", lo, func(emit func(*fupin.Household) error) error {
		err := eachRow(ctx, path, dec, p, opened, func(d layout.Decoded) error {
			if !c.check(d) {
				rejected = rejected || !opts.SkipInvalid
				return nil
			}
			if rejected {
				return nil
			}
			if d.Fact != nil {
				src := sqlstore.Source{Sheet: d.Rows[0].Sheet, Row: d.Rows[0].Row}
				if len(facts) == maxFacts {
					return &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("部门名单超过 %d 行（第 %d 行起），请分批导入", maxFacts, src.Row),
						Fields: map[string]string{"file": "部门名单行数超过上限"}}
				}
				if hid, _ := existing.Person(d.Fact.IDNumber); hid != 0 {
					facts = append(facts, sqlstore.MemberFact{HouseholdID: hid, IDNumber: d.Fact.IDNumber, Values: d.Fact.Values, Source: src})
				} else {
					c.warn(sqlstore.ImportError{Sheet: src.Sheet, Row: src.Row, Column: "证件号码", Value: d.Fact.IDNumber,
						Reason: "不是管辖区域内在册人员，未导入"})
				}
				return nil
			}
			if d.Household == nil {
				return nil
			}
			if !actor.Covers(d.Household.VillageCode) {
				return fupin.Errorf(fupin.EForbidden, "第 %d 行：村 %s 不在您的管辖区域内", d.Rows[0].Row, d.Household.VillageCode)
			}
			h := d.Household
			h.ID = match(h, existing)
			cur = sqlstore.Source{Sheet: d.Rows[0].Sheet, Row: d.Rows[0].Row}
			absentHH, absentMem = d.AbsentHousehold, d.AbsentMember
			if h.ID != 0 && len(h.Incomes) > 0 && h.Incomes[0].DeclaredNet != nil && len(incomeRows) < 10000 {
				incomeRows[h.ID] = cur
			}
			return emit(h)
		})
		if err == nil {
			c.unknownColumns(dec)
		}
		if err == nil && rejected {
			err = errRejected
		}
		return err
	})
	return err
}

// unknownColumns warns of header cells no column matched: their values are
// not imported, and the report says so rather than drop them silently.
func (c *checker) unknownColumns(dec *layout.Decoder) {
	seen := map[string]bool{}
	for _, sheet := range dec.Sheets() {
		h, ok := dec.Header(sheet)
		if !ok || seen[sheet] {
			continue
		}
		seen[sheet] = true
		for _, col := range h.Unknown {
			c.warn(sqlstore.ImportError{Sheet: sheet, Row: h.Row, Column: col.Text, Value: col.Text,
				Reason: "未识别的列，该列的内容没有导入"})
		}
	}
}

// maxFacts bounds the rows of a department's list one import applies (they
// are held until the load's end).
const maxFacts = 200000

// checker counts decoded households and keeps their problems for the report.
type checker struct {
	job *sqlstore.Import
	res *ImportResult
	max int
	// byColumn counts the problems left out of the list, by column.
	byColumn map[string]int
	// cellBytes counts the bytes of the rows kept for the report;
	// lastCells and lastKept are the last row kept and its copy.
	cellBytes           int
	lastCells, lastKept []string
}

// check records a decoded household and reports whether it is valid.
func (c *checker) check(d layout.Decoded) bool {
	if d.Household != nil {
		c.job.Households++
	}
	for _, w := range d.Warnings {
		c.warn(sqlstore.ImportError{Sheet: w.Sheet, Row: w.Row, Column: w.Column, Value: w.Value, Reason: w.Reason})
	}
	if len(d.Errors) == 0 {
		c.job.Valid++
		return true
	}
	c.job.Invalid++
	for _, e := range d.Errors {
		c.job.Errors++
		if len(c.res.Errors) >= c.max {
			c.byColumn[e.Column]++
			continue
		}
		ie := sqlstore.ImportError{Sheet: e.Sheet, Row: e.Row, Column: e.Column, Value: strings.Clone(clip(e.Value, maxValueBytes)), Reason: e.Reason, Level: "error"}
		if len(c.res.Errors) < maxErrorCells {
			ie.Cells = c.keepCells(cellsOf(d, e.Sheet, e.Row))
		}
		c.res.Errors = append(c.res.Errors, ie)
	}
	return false
}

// keepCells returns a row's cells for the report, each clipped to
// maxCellBytes, or nil once the rows kept reach maxCellsBytes (counting a
// row once for each of its problems, as the stored report does). Problems
// of the same row share one copy in memory.
func (c *checker) keepCells(cells []string) []string {
	if len(cells) == 0 {
		return nil
	}
	n := 0
	for _, v := range cells {
		n += min(len(v), maxCellBytes+64)
	}
	// Counted for every problem: the stored report has a copy each.
	if c.cellBytes+n > maxCellsBytes {
		return nil
	}
	c.cellBytes += n
	if len(c.lastCells) == len(cells) && len(c.lastKept) > 0 && &c.lastCells[0] == &cells[0] {
		return c.lastKept
	}
	kept := make([]string, len(cells))
	for i, v := range cells {
		kept[i] = strings.Clone(clip(v, maxCellBytes))
	}
	c.lastCells, c.lastKept = cells, kept
	return kept
}

// warn records a problem that does not reject its household.
func (c *checker) warn(w sqlstore.ImportError) {
	c.job.Warnings++
	if len(c.res.Warnings) < c.max {
		w.Value = strings.Clone(clip(w.Value, maxValueBytes))
		w.Level = "warning"
		c.res.Warnings = append(c.res.Warnings, w)
	}
}

// problems is what the job's report keeps: the errors listed, one line per
// column for the errors left out, then the warnings.
func (c *checker) problems() []sqlstore.ImportError {
	out := make([]sqlstore.ImportError, 0, len(c.res.Errors)+len(c.byColumn)+len(c.res.Warnings))
	out = append(out, c.res.Errors...)
	cols := make([]string, 0, len(c.byColumn))
	for col := range c.byColumn {
		cols = append(cols, col)
	}
	sort.Strings(cols)
	for _, col := range cols {
		out = append(out, sqlstore.ImportError{Column: col, Level: "error",
			Value: strconv.Itoa(c.byColumn[col]), Reason: fmt.Sprintf("另有 %d 处该列的错误未列出（清单只列前 %d 处）", c.byColumn[col], c.max)})
	}
	return append(out, c.res.Warnings...)
}

// capNote says how many problems the list holds when it is capped, and
// how many warnings there are.
func (c *checker) capNote() string {
	s := ""
	if c.job.Errors > len(c.res.Errors) {
		s = fmt.Sprintf("；错误清单为前 %d 处（共约 %d 处）", len(c.res.Errors), c.job.Errors)
	}
	if c.job.Warnings > 0 {
		s += fmt.Sprintf("；另有 %d 处提示（不影响写入），见错误清单", c.job.Warnings)
	}
	return s
}

// progress forwards counts to the caller at most every 200 ms.
type progress struct {
	job    *sqlstore.Import
	fn     func(*sqlstore.Import)
	stored *storedProgress // PostgreSQL: counts for other servers
	last   time.Time
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
	if p.stored != nil && p.job.FinishedAt == nil {
		p.stored.set(p.job)
	}
	if p.fn != nil {
		p.fn(p.job)
	}
}

// eachRow feeds every row of the file to the decoder and each decoded
// household to fn.
func eachRow(ctx context.Context, path string, dec *layout.Decoder, p *progress, opened func(int64), fn func(layout.Decoded) error) error {
	r, err := xlsx.Open(path)
	if err != nil {
		return &fupin.Error{Code: fupin.EInvalid, Message: err.Error(), Fields: map[string]string{"file": err.Error()}}
	}
	defer r.Close()
	if opened != nil {
		opened(xlsx.SharedBytes(r))
	}
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
func match(h *fupin.Household, existing *sqlstore.MatchIndex) int64 {
	if id, ok := existing.Household(h.HouseholdNo); ok && h.HouseholdNo != "" {
		return id
	}
	for _, head := range []bool{true, false} {
		for _, m := range h.Members {
			if (m.Relation == "head") == head && m.Active() {
				if id, ok := existing.Person(m.IDNumber); ok {
					return id
				}
			}
		}
	}
	return 0
}
