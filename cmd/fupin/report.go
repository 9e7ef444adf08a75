package main

import (
	"context"
	"fmt"
	"io"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

const reportUsage = `用法：
  fupin report pack --year 2025 --area CODE (--live | --snapshot ID) [--out 材料.xlsx] [--mask]
      年度成效材料包：总览（实时数据或快照，须明确选择其一）、核查比率及公式、抽查轮次、群众认可度、问题整改、项目资金、项目资产；
      给 --out 写出 .xlsx（每部分一张表），否则逐表打印。
`

func cmdReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(stderr, reportUsage)
		if len(args) == 0 {
			return errUsage
		}
		return errHelp
	}
	if args[0] != "pack" {
		fmt.Fprintf(stderr, "未知子命令：%s\n\n%s", args[0], reportUsage)
		return errUsage
	}
	fs := flags("report pack", "年度成效材料包。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	area := fs.String("area", "", "县、乡镇或村的区划代码（必填）")
	year := fs.Int("year", 0, "考核年度（必填）")
	live := fs.Bool("live", false, "总览用实时数据")
	snapshot := fs.Int64("snapshot", 0, "总览用该编号的快照")
	out := fs.String("out", "", "输出文件 .xlsx")
	mask := fs.Bool("mask", false, "写出文件中的身份证号、电话打码")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.ReportPack(ctx, fupin.SystemActor("命令行"), sqlstore.PackIn{Area: *area, Year: *year, Live: *live, SnapshotID: *snapshot})
	if err != nil {
		return withFields(err)
	}
	fmt.Fprintf(stdout, "%s\n总览数据来源：%s\n", p.Title, p.Source)
	if *out != "" {
		return writeBook(*out, p.Sheets, *mask, stdout)
	}
	for _, s := range p.Sheets {
		fmt.Fprintf(stdout, "\n【%s】\n", s.Name)
		if err := printSheet(stdout, s); err != nil {
			return err
		}
	}
	return nil
}
