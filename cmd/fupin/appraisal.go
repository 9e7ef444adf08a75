package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
	"fupin/internal/redact"
	"fupin/internal/sqlstore"
)

const appraisalUsage = `用法：
  fupin appraisal rounds [--area CODE] [--out 抽查轮次.xlsx]                   抽查轮次列表（或写出 .xlsx）
  fupin appraisal draw   --area CODE --year Y [--villages 2] [--registered 20] [--others 5] [--seed N] [--name 名称]
                                                                              新建抽查轮次：按规则和随机种子抽取村和农户
  fupin appraisal sheet  ID [--out 轮次.xlsx] [--mask]                       现场核查表；--out 写出抽查轮次、现场核查表、抽查结果、群众认可度四张表
  fupin appraisal rates  ID                                                   抽查结果：错退率、漏评率、错评率等及置信区间、阈值
--mask 把写出文件中的身份证号、电话打码（交给无权查看身份的人员时使用）。
`

func cmdAppraisal(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sub, fs, dsn, err := subcommandFlags("appraisal", "成效考核：抽查轮次。", appraisalUsage, args, getenv, stderr)
	if err != nil {
		return err
	}
	area := fs.String("area", "", "区划代码（draw 必填：县或乡镇；rounds 为前缀，空为全部）")
	year := fs.Int("year", 0, "考核年度（draw）")
	name := fs.String("name", "", "轮次名称（draw，默认“YYYY 年度抽查”）")
	def := appraisal.DefaultSampleRule(0)
	villages := fs.Int("villages", def.Villages, "抽取村数（draw）")
	registered := fs.Int("registered", def.Registered, "每村抽取脱贫户、监测户数（draw）")
	others := fs.Int("others", def.Others, "每村抽取其他农户数（draw）")
	seed := fs.String("seed", "", "随机种子（draw；不填则随机生成并显示，同一种子、同一名单抽出同一样本）")
	out := fs.String("out", "", "输出文件 .xlsx（rounds、sheet）")
	mask := fs.Bool("mask", false, "写出文件中的身份证号、电话打码")
	idArg, rest := leadingArg(fs, args[1:])
	if err := parse(fs, rest); err != nil {
		return err
	}
	if err := areaArg(*area); err != nil {
		return err
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	cli := fupin.SystemActor("命令行")
	switch sub {
	case "rounds":
		return appraisalRounds(ctx, db, cli, *area, *out, *mask, stdout)
	case "draw":
		rule := appraisal.SampleRule{Villages: *villages, Registered: *registered, Others: *others}
		if rule.Seed, err = seedArg(*seed); err != nil {
			return err
		}
		return appraisalDraw(ctx, db, cli, appraisal.Round{Name: *name, AreaCode: *area, Year: *year, Rule: rule}, stdout)
	case "sheet", "rates":
		id, err := strconv.ParseInt(idArg, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%s 需要抽查轮次编号：fupin appraisal %s ID", sub, sub)
		}
		if sub == "rates" {
			return appraisalRates(ctx, db, cli, id, stdout)
		}
		return appraisalSheet(ctx, db, cli, id, *out, *mask, stdout)
	}
	fmt.Fprintf(stderr, "未知子命令：%s\n\n%s", sub, appraisalUsage)
	return errUsage
}

// seedArg parses --seed, or draws a random one when it is empty.
func seedArg(s string) (uint64, error) {
	if s == "" {
		var b [8]byte
		rand.Read(b[:])
		return binary.LittleEndian.Uint64(b[:]) >> 11, nil // fits a JSON number exactly
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("--seed 应为非负整数")
	}
	return v, nil
}

func appraisalRounds(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area, out string, mask bool, stdout io.Writer) error {
	list, err := db.Rounds(ctx, a, area)
	if err != nil {
		return err
	}
	if out != "" {
		return writeBook(out, []appraisal.Sheet{appraisal.RoundsSheet(list)}, mask, stdout)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintln(tw, "编号\t名称\t区域\t年度\t规则（村/每村建档户/每村其他户）\t种子\t抽中\t已录入\t抽取人\t抽取时间")
	for _, r := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d/%d/%d\t%d\t%d\t%d\t%s\t%s\n", r.ID, r.Name, r.AreaCode, r.Year, r.Rule.Villages, r.Rule.Registered,
			r.Rule.Others, r.Rule.Seed, r.Households, r.Recorded, r.CreatedBy, r.CreatedAt.Format(time.DateTime))
	}
	return nil
}

func appraisalDraw(ctx context.Context, db *sqlstore.DB, a fupin.Actor, in appraisal.Round, stdout io.Writer) error {
	r, err := db.CreateRound(ctx, a, in)
	if err != nil {
		return withFields(err)
	}
	fmt.Fprintf(stdout, "抽查轮次 #%d「%s」：%s %d 年度，抽取 %d 村、每村脱贫户监测户 %d 户、其他农户 %d 户，随机种子 %d，共抽中 %d 户\n",
		r.ID, r.Name, r.AreaCode, r.Year, r.Rule.Villages, r.Rule.Registered, r.Rule.Others, r.Rule.Seed, r.Households)
	for _, s := range r.Shortfalls {
		fmt.Fprintln(stdout, "样本不足：", s)
	}
	return nil
}

func appraisalSheet(ctx context.Context, db *sqlstore.DB, a fupin.Actor, id int64, out string, mask bool, stdout io.Writer) error {
	r, book, err := db.RoundBook(ctx, a, id)
	if err != nil {
		return err
	}
	if out != "" {
		return writeBook(out, book, mask, stdout)
	}
	fmt.Fprintf(stdout, "抽查轮次 #%d「%s」现场核查表\n", r.ID, r.Name)
	return printSheet(stdout, book[1])
}

func appraisalRates(ctx context.Context, db *sqlstore.DB, a fupin.Actor, id int64, stdout io.Writer) error {
	_, book, err := db.RoundBook(ctx, a, id)
	if err != nil {
		return err
	}
	return printSheet(stdout, book[2])
}

// printSheet prints a sheet as an aligned table.
func printSheet(w io.Writer, s appraisal.Sheet) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, row := range append([][]string{s.Header}, s.Rows...) {
		for i, c := range row {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// writeBook writes sheets to path (masked on request) and says how many
// rows went where.
func writeBook(path string, sheets []appraisal.Sheet, mask bool, stdout io.Writer) error {
	rows := 0
	for _, s := range sheets {
		rows += len(s.Rows)
		if mask {
			for _, row := range s.Rows {
				redact.Row(row, nil)
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := appraisal.WriteBook(f, sheets); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已写出 %s：%d 张表，%d 行\n", path, len(sheets), rows)
	return nil
}
