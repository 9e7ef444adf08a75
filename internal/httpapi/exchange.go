package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

// maxUpload bounds an uploaded spreadsheet (a 1M-person county file is
// about 60 MB as .xlsx, several times that as .csv).
var maxUpload int64 = 1 << 30

type (
	importIn struct {
		File        string `formData:"file" format:"binary" required:"true" description:".xlsx 或 .csv，一人一行"`
		Area        string `formData:"area"`
		DryRun      bool   `formData:"dry_run"`
		SkipInvalid bool   `formData:"skip_invalid"`
		IncomeYear  int    `formData:"income_year" description:"文件没有收入年度列、标题中也没有年份时，收入所属年度"`
	}
	importsBody struct {
		Items []sqlstore.Import `json:"items"`
	}
	importErrorsIn struct {
		ID     int64  `path:"id"`
		Format string `query:"format" enum:"json,xlsx"`
	}
	importErrorsBody struct {
		Items []sqlstore.ImportError `json:"items"`
	}
	exportIn struct {
		Area   string `query:"area" description:"省、市、县、乡镇或村的区划代码；空为全部"`
		Format string `query:"format" enum:"xlsx,csv" description:"默认 xlsx"`
	}
)

// startImport saves the upload and runs the import in the background; the
// answer is the queued job, whose progress GET /imports/{id} reports.
func (s *Server) startImport(w http.ResponseWriter, r *http.Request) {
	if err := s.slots.reserve(); err != nil {
		s.writeError(w, r, err)
		return
	}
	started := false
	defer func() {
		if !started {
			s.slots.release()
		}
	}()
	defer removeUpload(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	file, hdr, err := r.FormFile("file")
	if sqlstore.IsDiskFull(err) {
		s.writeError(w, r, err)
		return
	}
	if err != nil {
		// A body over the limit ends the multipart parse before the file
		// part is complete: say so, not that the file is missing.
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = &fupin.Error{Code: fupin.ETooLarge, Message: fmt.Sprintf("上传的文件超过 %d MB 上限，请按乡镇或村拆分后分别导入", maxUpload>>20),
				Fields: map[string]string{"file": "文件过大"}}
		} else {
			err = &fupin.Error{Code: fupin.EInvalid, Message: "请上传文件（表单字段 file）", Fields: map[string]string{"file": "缺少文件"}}
		}
		s.writeError(w, r, err)
		return
	}
	defer file.Close()
	ext := strings.ToLower(filepath.Ext(hdr.Filename))
	if ext != ".xlsx" && ext != ".xlsm" && ext != ".csv" {
		s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "只支持 .xlsx 和 .csv 文件：" + hdr.Filename, Fields: map[string]string{"file": "文件类型不支持"}})
		return
	}
	tmp, err := os.CreateTemp("", "fupin-import-*"+ext)
	if err == nil {
		_, err = io.Copy(tmp, file)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.Remove(tmp.Name())
		if !sqlstore.IsDiskFull(err) {
			err = decodeError(err)
		}
		s.writeError(w, r, err)
		return
	}
	opts := exchange.ImportOptions{Area: r.FormValue("area"), DryRun: r.FormValue("dry_run") == "true", SkipInvalid: r.FormValue("skip_invalid") == "true"}
	if v := r.FormValue("income_year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2010 || y > time.Now().Year() {
			os.Remove(tmp.Name())
			s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "收入年度应为 2010 至今年之间的年份",
				Fields: map[string]string{"income_year": "应为 2010 至今年之间的年份"}})
			return
		}
		opts.IncomeYear = y
	}
	s.respond(w, r, http.StatusAccepted, func(a fupin.Actor) (any, error) {
		claim, err := s.slots.claim(importAreas(a, opts.Area))
		if err != nil {
			os.Remove(tmp.Name())
			return nil, err
		}
		job, err := s.db.CreateImport(r.Context(), a, sqlstore.Import{FileName: hdr.Filename, Area: opts.Area, DryRun: opts.DryRun,
			SkipInvalid: opts.SkipInvalid, IncomeYear: opts.IncomeYear, Principal: principalID(principalOf(r))})
		if err != nil {
			s.slots.unclaim(claim)
			os.Remove(tmp.Name())
			return nil, err
		}
		answer := *job // the job goroutine changes job while we answer
		started = true
		go func() {
			defer s.slots.release()
			defer s.slots.unclaim(claim)
			s.runImport(a, tmp.Name(), opts, job)
		}()
		return &answer, nil
	})
}

// liveImports holds the counts of running import jobs. While a load holds
// SQLite's only write connection, progress cannot be written to the
// database (the job would wait for itself), so the job's own goroutine
// records it here and GET /imports answers from here until the job ends
// and its final state is saved.
type liveImports struct {
	mu   sync.Mutex
	jobs map[int64]sqlstore.Import
}

func (l *liveImports) set(j sqlstore.Import) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.jobs == nil {
		l.jobs = map[int64]sqlstore.Import{}
	}
	l.jobs[j.ID] = j
}

func (l *liveImports) done(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.jobs, id)
}

// overlay replaces a stored job's counts with the live ones, if running.
func (l *liveImports) overlay(j *sqlstore.Import) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if live, ok := l.jobs[j.ID]; ok {
		*j = live
	}
}

// runImport runs a job; exchange.Import saves its final state with its
// problems before the live counts show that state.
func (s *Server) runImport(actor fupin.Actor, path string, opts exchange.ImportOptions, job *sqlstore.Import) {
	defer os.Remove(path)
	ctx := context.Background()
	opts.Progress = func(j *sqlstore.Import) { s.imports.set(*j) }
	defer s.imports.done(job.ID)
	start := time.Now()
	jobCtx, cancel := context.WithTimeout(ctx, importTimeout)
	_, err := exchange.Import(jobCtx, s.db, actor, path, opts, job)
	cancel()
	switch {
	case err == nil:
	case sqlstore.IsDiskFull(err):
		s.log.Error("disk full", "import", job.ID, "err", err)
	default:
		s.log.Error("import failed", "id", job.ID, "err", err)
	}
	s.log.Info("import finished", "id", job.ID, "state", job.State, "households", job.Households, "seconds", time.Since(start).Seconds())
	if job.State == "done" {
		s.kick()
	}
}

// principalID names the account behind a request for import ownership:
// the user's or token's id, never its display name.
func principalID(p *principal) string {
	switch {
	case p == nil:
		return ""
	case p.token != nil:
		return "token:" + strconv.FormatInt(p.token.ID, 10)
	case p.user != nil:
		return "user:" + strconv.FormatInt(p.user.ID, 10)
	}
	return ""
}

func (s *Server) listImports(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) {
		items, err := s.db.ImportJobs(r.Context(), a, principalID(principalOf(r)))
		if err != nil {
			return nil, err
		}
		accounts := make([]string, len(items))
		for i := range items {
			s.imports.overlay(&items[i])
			accounts[i] = items[i].Actor
		}
		names, err := s.db.DisplayNames(r.Context(), accounts)
		for i := range items {
			items[i].ActorName = names[items[i].Actor]
		}
		return importsBody{Items: items}, err
	})
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		job, err := s.db.ImportJob(r.Context(), a, principalID(principalOf(r)), id) // checks the caller may see it
		if err == nil {
			s.imports.overlay(job)
		}
		return job, err
	})
}

// importErrors answers the problems as JSON or as an .xlsx report (ID and
// phone numbers masked in the report for roles that may not see them).
func (s *Server) importErrors(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	var in importErrorsIn
	err := bind(r, &in)
	id := in.ID
	if err == nil {
		_, err = s.db.ImportJob(r.Context(), p.actor, principalID(p), id)
	}
	var errs []sqlstore.ImportError
	if err == nil {
		errs, err = s.db.ImportErrors(r.Context(), id, 1000000)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !p.role.SeesIdentity() {
		exchange.RedactErrors(errs)
	}
	if in.Format != "xlsx" {
		writeJSON(w, http.StatusOK, importErrorsBody{Items: errs})
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(fmt.Sprintf("import-%d-errors.xlsx", id), fmt.Sprintf("导入错误-%d.xlsx", id)))
	if err := exchange.ErrorReport(w, errs); err != nil {
		s.logFailure(r, "error report", err)
	}
}

// export streams the registry of an area in the national layout; ID and
// phone numbers are masked for roles that may not see them, and an
// unmasked export is audited.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	var in exportIn
	if err := bind(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	area, format := in.Area, in.Format
	if format == "" {
		format = "xlsx"
	}
	if area != "" {
		reg, err := region.Lookup(area)
		if err != nil {
			s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "导出区域不是有效的统计用区划代码",
				Fields: map[string]string{"area": "应为省、市、县、乡镇或村的区划代码"}})
			return
		}
		area = reg.Code
	}
	// More than one village (or all of the caller's areas) is a heavy export.
	release, ok := s.exportSlot(w, r, len(area) < 12)
	if !ok {
		return
	}
	defer release()
	if p.role.SeesIdentity() {
		s.db.AuditEvent(r.Context(), p.username, "registry.export", "area", area, map[string]string{"format": format})
	}
	ctype := map[string]string{"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}[format]
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", attachment(fmt.Sprintf("registry-%s.%s", area, format), fmt.Sprintf("农户台账-%s.%s", area, format)))
	if _, err := exchange.Export(r.Context(), s.db, p.actor, area, format, exchange.Masker(!p.role.SeesIdentity()), w); err != nil {
		s.logFailure(r, "export", err)
	}
}
