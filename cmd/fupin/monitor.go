package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

const monitorUsage = `用法：
  fupin monitor alerts   [--area CODE] [--all]              部门预警（默认只列待核实，期限在前）
  fupin monitor cases    [--area CODE] [--stage S] [--all]  监测案件（超期在前；默认只列未结案）
  fupin monitor eligible [--area CODE]                      已纳入监测的案件逐项核查风险消除条件
  fupin monitor uncovered [--area CODE]                     应纳未纳：核查不达标或收入低于监测线、未纳入监测的农户
  fupin monitor load-department FILE.xlsx|.csv --department 医保 [--area CODE]
                                                            导入部门筛查名单（同一文件只匹配一次）
`

func cmdMonitor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sub, fs, dsn, err := subcommandFlags("monitor", "防止返贫动态监测。", monitorUsage, args, getenv, stderr)
	if err != nil {
		return err
	}
	area := fs.String("area", "", "区划代码前缀，空为全部")
	stage := fs.String("stage", "", "环节（cases）")
	all := fs.Bool("all", false, "包括已办结的（alerts、cases）")
	dept := fs.String("department", "", "预警部门：医保、残联、教育、民政、住建、应急（load-department）")
	file, rest := leadingArg(fs, args[1:])
	if err := fs.Parse(rest); err != nil {
		if err == flag.ErrHelp {
			return errHelp
		}
		return errUsage
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	cli := fupin.Actor{Name: "命令行", Areas: []string{*area}}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	switch sub {
	case "alerts":
		return monitorAlerts(ctx, db, cli, !*all, tw)
	case "cases":
		return monitorCases(ctx, db, cli, *stage, !*all, tw)
	case "eligible":
		return monitorEligible(ctx, db, cli, tw)
	case "uncovered":
		return monitorUncovered(ctx, db, cli, tw)
	case "load-department":
		return monitorLoad(ctx, db, cli, file, *dept, tw)
	}
	fmt.Fprint(stderr, monitorUsage)
	return errUsage
}

func monitorAlerts(ctx context.Context, db *sqlstore.DB, a fupin.Actor, open bool, w io.Writer) error {
	fmt.Fprintln(w, "编号\t村\t户主\t部门\t情况\t收到\t期限\t状态")
	for off := 0; ; off += 500 {
		page, err := db.MonitorAlerts(ctx, a, sqlstore.AlertFilter{Open: open, Offset: off, Limit: 500})
		if err != nil {
			return err
		}
		for _, x := range page.Items {
			state := monitor.AlertOutcomes.LabelOf(x.Outcome)
			if x.Outcome == "" {
				state = map[bool]string{true: "已超期", false: "待核实"}[x.Overdue]
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, x.VillageName, x.HeadName,
				monitor.Departments.LabelOf(x.Department), x.Fact, x.ReceivedOn, x.DueOn, state)
		}
		if off+500 >= page.Total {
			return nil
		}
	}
}

func monitorCases(ctx context.Context, db *sqlstore.DB, a fupin.Actor, stage string, open bool, w io.Writer) error {
	note := ""
	fmt.Fprintln(w, "编号\t村\t户主\t类别\t环节\t本环节开始\t期限\t")
	for off := 0; ; off += 500 {
		page, err := db.MonitorCases(ctx, a, sqlstore.CaseFilter{Stage: stage, Open: open, Offset: off, Limit: 500})
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			late := map[bool]string{true: "已超期", false: ""}[c.Overdue]
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.VillageName, c.HeadName,
				fupin.MonitorTypes.LabelOf(c.Category), c.StageLabel, c.StageStartedOn, c.DueOn, late)
		}
		if page.Note != "" {
			note = page.Note
		}
		if off+500 >= page.Total {
			break
		}
	}
	if note != "" {
		fmt.Fprintln(w, "注意："+note)
	}
	return nil
}

// monitorEligible checks every monitored case; rigid spending cannot be
// known from the registry, so it is taken as resolved and flagged for the
// home check.
func monitorEligible(ctx context.Context, db *sqlstore.DB, a fupin.Actor, w io.Writer) error {
	fmt.Fprintln(w, "编号\t村\t户主\t符合\t未满足的条件\t提示")
	for off := 0; ; off += 500 {
		page, err := db.MonitorCases(ctx, a, sqlstore.CaseFilter{Stage: monitor.StageMonitored, Offset: off, Limit: 500})
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			e, err := db.MonitorEligibility(ctx, a, c.ID, true)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.VillageName, c.HeadName,
				map[bool]string{true: "是", false: "否"}[e.Eligible], e.Failing(), e.Warning)
		}
		if off+500 >= page.Total {
			break
		}
	}
	fmt.Fprintln(w, "注意：刚性支出是否已稳定解决须入户核实，此处按已解决计算")
	return nil
}

func monitorUncovered(ctx context.Context, db *sqlstore.DB, a fupin.Actor, w io.Writer) error {
	fmt.Fprintln(w, "户编号\t村\t户主\t不达标项\t收入低于监测线")
	for off := 0; ; off += 500 {
		page, err := db.MonitorUncovered(ctx, a, "", off, 500)
		if err != nil {
			return err
		}
		for _, u := range page.Items {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", u.HouseholdNo, u.VillageName, u.HeadName, u.Problems,
				map[bool]string{true: "是", false: ""}[u.IncomeRisk])
		}
		if off+500 >= page.Total {
			fmt.Fprintf(w, "共 %d 户（%d 年核查结论）\n", page.Total, page.Year)
			return nil
		}
	}
}

func monitorLoad(ctx context.Context, db *sqlstore.DB, a fupin.Actor, file, dept string, w io.Writer) error {
	code, ok := monitor.Departments.CodeOf(strings.TrimSpace(dept))
	if file == "" || !ok {
		return fmt.Errorf("请给出名单文件和 --department（医保、残联、教育、民政、住建、应急）")
	}
	today := fupin.DateOf(time.Now().In(time.FixedZone("CST", 8*3600)))
	f, err := monitor.ReadDeptFile(file, today)
	if err != nil {
		return err
	}
	for _, p := range f.Problems {
		fmt.Fprintf(w, "第 %d 行\t%s\t%s\n", p.Row, p.Column, p.Message)
	}
	if len(f.Rows) == 0 {
		return fmt.Errorf("名单中没有可用的行（%d 行有误）", f.Bad)
	}
	start := time.Now()
	res, err := db.LoadDepartmentList(ctx, a, code, file, f.SHA256, f.Rows)
	if err != nil {
		return err
	}
	if res.Duplicate {
		fmt.Fprintf(w, "该文件此前已导入（名单 #%d），未新增预警\n", res.FileID)
		return nil
	}
	fmt.Fprintf(w, "读取 %d 行（%d 行有误），匹配在册人员 %d 人，新增预警 %d 条，未匹配 %d 人交村核查，用时 %.2f 秒\n",
		res.Rows, f.Bad, res.Matched, res.NewAlerts, res.Unmatched, time.Since(start).Seconds())
	return nil
}

const calendarUsage = `用法：
  fupin calendar [list]              列出已载入的节假日安排（含依据的通知）
  fupin calendar load YEAR.json      载入或更正一年（JSON：year、notice、holidays[name, from, to, make_up]）
`

func cmdCalendar(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := flags("calendar "+sub, "工作日日历。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	file, rest := leadingArg(fs, args)
	if err := fs.Parse(rest); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stderr, calendarUsage)
			return errHelp
		}
		return errUsage
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "list":
		years, err := db.CalendarYears(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		defer tw.Flush()
		for _, y := range years {
			fmt.Fprintf(tw, "%d 年\t%s\n", y.Year, y.Notice)
			for _, h := range y.Holidays {
				var mk []string
				for _, d := range h.MakeUp {
					mk = append(mk, d.String())
				}
				fmt.Fprintf(tw, "\t%s\t%s 至 %s\t调休上班：%s\n", h.Name, h.From, h.To, strings.Join(mk, "、"))
			}
		}
		fmt.Fprintln(tw, "未载入的年份按周末计算工作日，期限处会注明。")
		return nil
	case "load":
		raw, err := readLimited(file, 1<<20)
		if err != nil {
			return err
		}
		var y monitor.Year
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&y); err != nil {
			return fmt.Errorf("日历文件不是有效的 JSON：%w", err)
		}
		if err := db.SaveCalendarYear(ctx, fupin.SystemActor("命令行"), y); err != nil {
			printFields(stderr, err)
			return err
		}
		fmt.Fprintf(stdout, "已载入 %d 年节假日安排（%s）\n", y.Year, y.Notice)
		return nil
	}
	fmt.Fprint(stderr, calendarUsage)
	return errUsage
}

// printFields lists the fields an invalid input error names, one a line.
func printFields(w io.Writer, err error) {
	var e *fupin.Error
	if errors.As(err, &e) {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %s：%s\n", k, e.Fields[k])
		}
	}
}

func readLimited(path string, max int64) ([]byte, error) {
	if path == "" {
		return nil, fmt.Errorf("请给出文件")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(b)) > max {
		err = fmt.Errorf("文件超过 %d 字节", max)
	}
	return b, err
}
