package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

func cmdPolicy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "set" && args[0] != "unset") {
		fmt.Fprint(stderr, `用法：
  fupin policy list  [--area CODE] [--year Y]          列出参数定义、已录入的值和生效值
  fupin policy set   [--area CODE] --year Y KEY VALUE  自 Y 年起在该区域设置参数（审计并重算结论）
  fupin policy unset [--area CODE] --year Y KEY        删除该行，回到上级区域或默认值
`)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return errHelp
		}
		return errUsage
	}
	sub := args[0]
	fs := flags("policy "+sub, "政策参数（按区域前缀和年度）。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	area := fs.String("area", "", "区划代码前缀，空为全国")
	year := fs.Int("year", fupin.AssessmentYear(fupin.DateOf(time.Now())), "年度")
	if err := fs.Parse(args[1:]); err != nil {
		if err.Error() == "flag: help requested" {
			return errHelp
		}
		return errUsage
	}
	want := map[string]int{"list": 0, "set": 2, "unset": 1}[sub]
	if fs.NArg() != want {
		fmt.Fprintf(stderr, "policy %s 需要 %d 个参数，实为 %d 个\n", sub, want, fs.NArg())
		return errUsage
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := openDB(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if sub != "list" {
		row := criteria.ParamRow{Area: *area, Year: *year, Key: fs.Arg(0)}
		if sub == "set" {
			row.Value = fs.Arg(1)
		}
		if err := db.SetPolicyParam(ctx, fupin.SystemActor("命令行管理员"), row); err != nil {
			return err
		}
		n, err := db.ProcessRecomputeQueue(ctx, log)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已保存；已重算 %d 个区域的核查结论\n", n)
	}
	p, err := db.ResolvedParams(ctx, *area, *year)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "区域 %q %d 年度生效参数（版本 %s）：\n", *area, *year, p.Version())
	for _, u := range p.All() {
		from := "默认值"
		if !u.Default {
			from = "区域 " + strconv.Quote(u.Area) + " 自 " + strconv.Itoa(u.Year) + " 年"
		}
		fmt.Fprintf(stdout, "  %-30s %-24s %s %s（%s）\n", u.Key, u.Label, u.Value, u.Unit, from)
	}
	return nil
}
