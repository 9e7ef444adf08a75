package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

const snapshotUsage = `用法：
  fupin snapshot --year 2025 --area CODE [--name 名称] [--as-of YYYY-MM-DD]   拍快照：冻结区域内农户、成员、收入和该年度核查结论
  fupin snapshot list [--area CODE]                                          快照列表
  fupin snapshot compare FROM TO                                             比较两个快照：各类别进出户数、核查结论变化及原因
`

func cmdSnapshot(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(stderr, snapshotUsage)
		return errHelp
	}
	sub := "create"
	if len(args) > 0 && (args[0] == "list" || args[0] == "compare") {
		sub, args = args[0], args[1:]
	}
	fs := flags("snapshot", "成效考核快照。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	area := fs.String("area", "", "区划代码（create 必填；list 为前缀，空为全部）")
	year := fs.Int("year", 0, "考核年度（create）")
	name := fs.String("name", "", "快照名称（create，默认“YYYY 年度快照（日期）”）")
	asOf := fs.String("as-of", "", "所代表的日期 YYYY-MM-DD（create，默认今天）")
	var pos []string
	if sub == "compare" {
		var a, b string
		a, args = leadingArg(fs, args)
		b, args = leadingArg(fs, args)
		pos = []string{a, b}
	}
	if err := parse(fs, args); err != nil {
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
	case "list":
		return snapshotList(ctx, db, cli, *area, stdout)
	case "compare":
		from, err1 := strconv.ParseInt(pos[0], 10, 64)
		to, err2 := strconv.ParseInt(pos[1], 10, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("compare 需要两个快照编号：fupin snapshot compare FROM TO")
		}
		return snapshotCompare(ctx, db, cli, from, to, stdout)
	}
	in := appraisal.Snapshot{Name: *name, Year: *year, AreaCode: *area}
	if *asOf != "" {
		if in.AsOf, err = fupin.ParseDate(*asOf); err != nil {
			return fmt.Errorf("--as-of：%w", err)
		}
	}
	start := time.Now()
	s, err := db.CreateSnapshot(ctx, cli, in)
	if err != nil {
		return withFields(err)
	}
	fmt.Fprintf(stdout, "快照 #%d「%s」：%s %d 年度，%d 户 %d 人，新写入 %d 个核查结论版本（其余与已有快照共用；农户、成员、收入在修改前才复制），用时 %.2f 秒\n",
		s.ID, s.Name, s.AreaCode, s.Year, s.Households, s.People, s.NewRows, time.Since(start).Seconds())
	return nil
}

func snapshotList(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area string, stdout io.Writer) error {
	list, err := db.Snapshots(ctx, a, area)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintln(tw, "编号\t名称\t区域\t年度\t所代表日期\t户数\t人数\t拍摄人\t拍摄时间")
	for _, s := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%d\t%d\t%s\t%s\n", s.ID, s.Name, s.AreaCode, s.Year, s.AsOf, s.Households, s.People,
			s.CreatedBy, s.CreatedAt.Format(time.DateTime))
	}
	return nil
}

func snapshotCompare(ctx context.Context, db *sqlstore.DB, a fupin.Actor, from, to int64, stdout io.Writer) error {
	c, err := db.CompareSnapshots(ctx, a, from, to)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "类别\t快照 #%d\t快照 #%d\t进入\t退出\n", from, to)
	for _, cc := range c.Categories {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", cc.Name, cc.Before, cc.After, cc.In, cc.Out)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\n核查结论变化：%d 户", c.VerdictChangeCount)
	if c.VerdictChangeCount > len(c.VerdictChanges) {
		fmt.Fprintf(stdout, "（列出前 %d 户）", len(c.VerdictChanges))
	}
	fmt.Fprintln(stdout)
	for _, v := range c.VerdictChanges {
		for _, it := range v.Items {
			reason := it.ReasonAfter
			if reason == "" && it.ReasonBefore != "" {
				reason = "（原因：" + it.ReasonBefore + "）"
			}
			fmt.Fprintf(stdout, "  #%d %s %s：%s → %s %s\n", v.HouseholdID, v.HeadName, it.Name, statusName(it.Before),
				statusName(it.After), reason)
		}
	}
	return nil
}

func statusName(s string) string {
	switch s {
	case "pass":
		return "达标"
	case "fail":
		return "不达标"
	case "unknown":
		return "待核实"
	}
	return "无结论"
}

// withFields adds the field messages of a *fupin.Error to its text, for
// the terminal (flags are named after the fields).
func withFields(err error) error {
	var e *fupin.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msg := e.Message
	for _, k := range keys {
		msg += "\n  " + k + "：" + e.Fields[k]
	}
	return errors.New(msg)
}
