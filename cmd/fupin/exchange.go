package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"golang.org/x/term"

	"fupin/internal/demo"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// errImportRejected is a file with errors: nothing was written (or, in a
// dry run, would be). It exits with status 2, like a usage error, so that
// scripts can gate on it.
var errImportRejected = errors.New("import rejected")

func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("import", "导入国家系统格式的农户台账（.xlsx 或 .csv，一人一行）：先检查全部行，再在一个事务内写入。", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "用法：fupin import [选项] FILE\n"+
			"导入国家系统格式的农户台账 FILE（.xlsx 或 .csv，一人一行）：先检查全部行，再在一个事务内写入。\n"+
			"选项可以写在 FILE 之前或之后。退出码：0 成功；1 导入失败；2 用法错误，或文件有错误而未写入（含 --dry-run 检查出错误）。\n\n选项：\n")
		fs.PrintDefaults()
	}
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	area := fs.String("area", "", "只接受该区划代码前缀内的农户")
	dry := fs.Bool("dry-run", false, "只检查，不写入（有错误时退出码为 2）")
	skip := fs.Bool("skip-invalid", false, "写入没有错误的户（有任一错误行的户整户跳过）")
	incomeYear := fs.Int("income-year", 0, "文件没有收入年度（统计年度）列、标题中也没有年份时，人均纯收入等收入所属的年度")
	report := fs.String("errors", "", "把错误和提示写入文件：.xlsx（原始行加错误列）或 .json")
	file, rest := leadingArg(fs, args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if file == "" {
		fs.Usage()
		return errUsage
	}
	db, err := openBatch(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	// The import's working heap stays under about 60 MB; without a soft
	// limit the collector lets the heap grow to twice its high-water mark.
	// A file's shared strings table (up to 160 MB) and, for a re-import,
	// the index matching existing households (44 MB for a county of 1.04
	// million people) are live for the whole import on top of that: the
	// limit grows by their size, or the collector would run without pause
	// (up to half the CPU) for nothing.
	memLimit := func(live int64) {
		if getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(128<<20 + live)
		}
	}
	memLimit(0)
	actor := fupin.SystemActor("命令行导入")
	job, err := db.CreateImport(ctx, actor, sqlstore.Import{FileName: filepath.Base(file), Area: *area, DryRun: *dry,
		SkipInvalid: *skip, IncomeYear: *incomeYear, Principal: "cli"})
	if err != nil {
		return err
	}
	bar := progressBar(stderr)
	res, err := exchange.Import(ctx, db, actor, file, exchange.ImportOptions{Area: *area, DryRun: *dry, SkipInvalid: *skip,
		IncomeYear: *incomeYear, Progress: bar, Opened: memLimit}, job)
	if bar != nil {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		// The detail (possibly database text) goes to the log on stderr;
		// the message users read is the job's.
		slog.New(slog.NewJSONHandler(stderr, nil)).Error("import failed", "id", job.ID, "err", err)
		return errors.New(job.Message)
	}
	problems := append(append([]sqlstore.ImportError{}, res.Errors...), res.Warnings...)
	if *report != "" && len(problems) > 0 {
		if werr := writeReport(*report, problems); werr != nil {
			return werr
		}
		fmt.Fprintf(stdout, "错误报告已写入 %s\n", *report)
	}
	printProblems(stdout, "错误", res.Errors, job.Errors)
	printProblems(stdout, "提示", res.Warnings, job.Warnings)
	fmt.Fprintf(stdout, "导入任务 #%d：读 %d 行，%d 户（有效 %d，错误 %d）。%s\n", job.ID, job.RowsRead, job.Households, job.Valid, job.Invalid, job.Message)
	if job.State == "rejected" || (*dry && job.Invalid > 0) {
		return errImportRejected
	}
	return nil
}

// printProblems lists the first 20 problems of a kind and how many there are.
func printProblems(w io.Writer, kind string, ps []sqlstore.ImportError, total int) {
	for i, e := range ps {
		if i == 20 {
			fmt.Fprintf(w, "……共 %d 处%s（以上为前 20 处）\n", total, kind)
			break
		}
		fmt.Fprintf(w, "[%s] %s 第 %d 行 [%s] %q：%s\n", kind, e.Sheet, e.Row, e.Column, e.Value, e.Reason)
	}
}

// progressBar draws the import's progress on a terminal (nothing elsewhere).
func progressBar(w io.Writer) func(*sqlstore.Import) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(j *sqlstore.Import) {
		pct := 0.0
		if j.BytesTotal > 0 {
			pct = 100 * float64(j.BytesDone) / float64(j.BytesTotal)
		}
		phase := map[string]string{"check": "检查", "write": "检查并写入"}[j.Phase]
		filled := int(pct / 5)
		fmt.Fprintf(w, "\r%s [%s%s] %5.1f%%  %d 行  %d 户", phase, strings.Repeat("█", filled), strings.Repeat("·", 20-filled), pct, j.RowsRead, j.Households)
	}
}

func writeReport(path string, errs []sqlstore.ImportError) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		return enc.Encode(errs)
	}
	return exchange.ErrorReport(f, errs)
}

func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("export", "按国家系统格式导出农户台账（一人一行），流式写出，内存占用不随数据量增长。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	area := fs.String("area", "", "区划代码前缀，默认全部")
	out := fs.String("out", "", "输出文件：.xlsx 或 .csv")
	mask := fs.Bool("mask", false, "身份证号、电话打码")
	if err := parse(fs, args); err != nil {
		return err
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	if *out == "" || (format != "xlsx" && format != "csv") {
		return fmt.Errorf("--out 须为 .xlsx 或 .csv 文件")
	}
	db, err := openBatch(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	defer batchMemoryLimit(getenv)()
	tmp := *out + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	st, err := exchange.Export(ctx, db, fupin.SystemActor("命令行导出"), *area, format, exchange.Masker(*mask), f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已导出 %s：%d 户，%d 行，%d 个工作表\n", *out, st.Households, st.Rows, st.Sheets)
	return nil
}

// demoFile writes generated households straight to a national-layout file,
// without a database: the input of import tests and benchmarks. A file of
// more than 1,048,575 people spans two sheets, as real county exports do.
func demoFile(path string, opts demo.Options, stdout io.Writer) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "xlsx" && format != "csv" {
		return fmt.Errorf("--out 须为 .xlsx 或 .csv 文件")
	}
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	st, err := exchange.WriteHouseholds(f, format, func(emit func(*fupin.Household) error) error {
		return demo.Generate(opts, emit)
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已生成 %s：%d 户，%d 行，%d 个工作表\n", path, st.Households, st.Rows, st.Sheets)
	return nil
}
