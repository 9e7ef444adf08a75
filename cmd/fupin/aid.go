package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// loadAidDemo gives the demo township its aid forces: the group, work
// teams, helpers for every household that needs one, a year of visits and
// check-ins, and one rotation in progress.
func loadAidDemo(ctx context.Context, db *sqlstore.DB, opts demo.Options, stdout io.Writer) error {
	start := time.Now()
	hs, err := db.ListHouseholdsNeedingHelper(ctx, demo.TownshipCode)
	if err != nil {
		return err
	}
	st, err := db.LoadAid(ctx, fupin.SystemActor("演示数据生成"), demo.GenerateAid(opts, hs))
	if err != nil {
		return fmt.Errorf("写入演示帮扶力量：%w", err)
	}
	fmt.Fprintf(stdout, "帮扶力量已写入：%d 个成员单位，%d 名干部，%d 个岗位，%d 户结对，%d 条走访，%d 条签到，1 个进行中的轮换（%d 个岗位），用时 %.2f 秒\n",
		st.Units, st.Cadres, st.Postings, st.Pairings, st.Visits, st.CheckIns, st.Handover, time.Since(start).Seconds())
	return nil
}

const aidUsage = `用法：
  fupin aid alerts   [--area CODE]                     任期即将届满（默认 60 天内）和已超期的干部
  fupin aid unpaired [--area CODE]                     须有帮扶责任人而没有的农户（脱贫户、监测户）
  fupin aid overdue  [--area CODE]                     超过走访周期未走访的农户
  fupin aid report   [--area CODE] --month YYYY-MM     各工作队当月在村天数（对照每月天数要求）
  fupin aid handover-sheet ID --out 交接清单.xlsx       打印轮换交接清单
`

func cmdAid(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sub, fs, dsn, err := subcommandFlags("aid", "帮扶力量批处理。", aidUsage, args, getenv, stderr)
	if err != nil {
		return err
	}
	area := fs.String("area", "", "区划代码前缀，空为全部")
	month := fs.String("month", time.Now().AddDate(0, -1, 0).Format("2006-01"), "月份 YYYY-MM（report），默认上月")
	out := fs.String("out", "", "输出文件 .xlsx（handover-sheet）")
	id, rest := leadingArg(fs, args[1:])
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
	cli := fupin.SystemActor("命令行")
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	switch sub {
	case "alerts":
		return aidAlerts(ctx, db, cli, *area, tw)
	case "unpaired":
		return aidUnpaired(ctx, db, cli, *area, tw)
	case "overdue":
		return aidOverdue(ctx, db, cli, *area, tw)
	case "report":
		return aidReport(ctx, db, cli, *area, *month, tw)
	case "handover-sheet":
		return aidSheet(ctx, db, cli, id, *out, stdout)
	}
	fmt.Fprint(stderr, aidUsage)
	return errUsage
}

func aidAlerts(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area string, w io.Writer) error {
	list, err := db.ListTermAlerts(ctx, a, area)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "状态\t姓名\t岗位\t驻点\t到任\t计划期满\t剩余天数")
	for _, t := range list {
		state := map[string]string{"ending": "即将期满", "overdue": "已超期"}[t.Kind]
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", state, t.CadreName, t.RoleLabel, t.AreaName, t.StartedOn, t.PlannedEndOn, t.DaysLeft)
	}
	fmt.Fprintf(w, "共 %d 人\n", len(list))
	return nil
}

func aidUnpaired(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area string, w io.Writer) error {
	rep, err := db.Unpaired(ctx, a, area)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "农户\t户编号\t户主\t村")
	for _, u := range rep.Items {
		fmt.Fprintf(w, "#%d\t%s\t%s\t%s\n", u.HouseholdID, u.HouseholdNo, u.HeadName, u.VillageName)
	}
	fmt.Fprintf(w, "须结对 %d 户，未结对 %d 户\n", rep.Need, rep.Total)
	return nil
}

func aidOverdue(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area string, w io.Writer) error {
	list, err := db.ListOverdueVisits(ctx, a, area)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "农户\t户主\t村\t帮扶责任人\t最近走访\t应走访\t超期天数")
	for _, o := range list {
		last := o.LastVisitOn.String()
		if last == "" {
			last = "从未走访"
		}
		fmt.Fprintf(w, "#%d\t%s\t%s\t%s\t%s\t%s\t%d\n", o.HouseholdID, o.HeadName, o.VillageName, o.CadreName, last, o.DueOn, o.DaysOverdue)
	}
	fmt.Fprintf(w, "共 %d 户超期未走访\n", len(list))
	return nil
}

func aidReport(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area, month string, w io.Writer) error {
	rep, err := db.MonthlyAttendance(ctx, a, area, month)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s 驻村（驻乡）考勤\n", month)
	for _, t := range rep.Teams {
		fmt.Fprintf(w, "%s%s（未达标 %d 人）\n", t.AreaName, t.KindLabel, t.Short)
		for _, c := range t.Cadres {
			ok := "达标"
			if !c.Met {
				ok = "未达标"
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t在村 %d 天\t请假 %d 天\t要求 %d 天\t%s\n", c.CadreName, c.RoleLabel, c.UnitName, c.Present, c.LeaveDays, c.Required, ok)
		}
	}
	fmt.Fprintf(w, "合计未达标 %d 人\n", rep.Short)
	return nil
}

func aidSheet(ctx context.Context, db *sqlstore.DB, a fupin.Actor, id, out string, stdout io.Writer) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || out == "" {
		return fmt.Errorf("用法：fupin aid handover-sheet 轮换编号 --out 交接清单.xlsx")
	}
	r, err := db.Rotation(ctx, a, n)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := httpapi.HandoverSheet(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已写入 %s：%s，%d 个岗位，%d 项交接事项\n", out, r.Title, len(r.Items), len(r.Entries))
	return nil
}
