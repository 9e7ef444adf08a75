package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("import", "导入国家系统格式的农户台账（.xlsx 或 .csv，一人一行）：先检查全部行，再在一个事务内写入。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	area := fs.String("area", "", "只接受该区划代码前缀内的农户")
	dry := fs.Bool("dry-run", false, "只检查，不写入")
	skip := fs.Bool("skip-invalid", false, "写入没有错误的户（有任一错误行的户整户跳过）")
	report := fs.String("errors", "", "把错误写入文件：.xlsx（原始行加错误列）或 .json")
	file, rest := leadingArg(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if file == "" {
		fs.Usage()
		return errUsage
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if getenv("GOMEMLIMIT") == "" {
		// The import's live heap stays under 100 MB; without a soft limit
		// the collector lets the heap grow to twice its high-water mark.
		debug.SetMemoryLimit(128 << 20)
	}
	actor := fupin.SystemActor("命令行导入")
	job, err := db.CreateImport(ctx, actor, sqlstore.Import{FileName: filepath.Base(file), Area: *area, DryRun: *dry, SkipInvalid: *skip})
	if err != nil {
		return err
	}
	bar := progressBar(stderr)
	res, err := exchange.Import(ctx, db, actor, file, exchange.ImportOptions{Area: *area, DryRun: *dry, SkipInvalid: *skip, Progress: bar}, job)
	if err != nil {
		job.State, job.Message = "failed", err.Error()
	}
	db.SaveImportProgress(ctx, job)
	db.SaveImportErrors(ctx, job.ID, 0, res.Errors)
	fmt.Fprintln(stderr)
	if *report != "" && len(res.Errors) > 0 {
		if werr := writeReport(*report, res.Errors); werr != nil {
			return werr
		}
		fmt.Fprintf(stdout, "错误报告已写入 %s\n", *report)
	}
	for i, e := range res.Errors {
		if i == 20 {
			fmt.Fprintf(stdout, "……共 %d 处错误\n", len(res.Errors))
			break
		}
		fmt.Fprintf(stdout, "%s 第 %d 行 [%s] %q：%s\n", e.Sheet, e.Row, e.Column, e.Value, e.Reason)
	}
	fmt.Fprintf(stdout, "导入任务 #%d：读 %d 行，%d 户（有效 %d，错误 %d）。%s\n", job.ID, job.RowsRead, job.Households, job.Valid, job.Invalid, job.Message)
	if err != nil {
		return err
	}
	if job.State == "rejected" {
		return fmt.Errorf("文件有错误，未写入")
	}
	return nil
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
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
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
