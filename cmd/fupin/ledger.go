package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"fupin/internal/aid"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
	"fupin/internal/xlsx"
)

// loadLedgerDemo writes the demo rectification ledger through the store's
// public methods, each 销号 step by its own demo account.
func loadLedgerDemo(ctx context.Context, db *sqlstore.DB, opts demo.Options, stdout io.Writer) error {
	start := time.Now()
	d := demo.GenerateLedger(opts)
	sys := fupin.SystemActor("演示数据生成")
	insp, err := db.CreateInspection(ctx, sys, d.Inspection)
	if err != nil {
		return fmt.Errorf("写入演示巡视：%w", err)
	}
	ids := make([]int64, len(d.Findings))
	for i, df := range d.Findings {
		df.Finding.InspectionID = insp.ID
		f, err := db.CreateFinding(ctx, sys, df.Finding, nil)
		if err != nil {
			return fmt.Errorf("写入演示问题 %s：%w", df.Finding.Number, err)
		}
		for _, a := range df.Steps {
			if f, err = db.ActOnFinding(ctx, fupin.Actor{Name: a.Account, Areas: []string{demo.TownshipCode}}, a.Role, f.ID,
				sqlstore.FindingAction{Kind: a.Kind, Text: a.Text, Version: f.Version}); err != nil {
				return fmt.Errorf("演示问题 %s：%w", df.Finding.Number, err)
			}
		}
		ids[i] = f.ID
	}
	d.Recheck.RecheckOf = &insp.ID
	re, err := db.CreateInspection(ctx, sys, d.Recheck)
	if err != nil {
		return fmt.Errorf("写入演示回头看：%w", err)
	}
	if _, err := db.RecheckFinding(ctx, fupin.Actor{Name: "演示县巡视整改办", Areas: []string{demo.TownshipCode}}, ledger.RoleCounty, ids[d.Recurred],
		sqlstore.RecheckIn{InspectionID: re.ID, Recurred: true, Text: "复查发现问题反弹", Deadline: fupin.DateOf(opts.Today.Time().AddDate(0, 1, 0))}); err != nil {
		return fmt.Errorf("演示回头看：%w", err)
	}
	for i, t := range d.Tasks {
		saved, err := db.CreateTask(ctx, sys, t)
		if err != nil {
			return fmt.Errorf("写入演示重点工作：%w", err)
		}
		for k := 0; k < d.TasksDone[i]; k++ {
			if saved, err = db.CompleteMilestone(ctx, sys, saved.ID, saved.Milestones[k].ID, sqlstore.MilestoneDone{Note: "已按期完成", Version: saved.Version}); err != nil {
				return fmt.Errorf("演示重点工作节点：%w", err)
			}
		}
	}
	if err := reconfirmDemoRotations(ctx, db, sys); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "整改台账已写入：1 次巡视 %d 个问题，1 次回头看（1 个反弹问题），%d 项重点工作，用时 %.2f 秒\n",
		len(d.Findings), len(d.Tasks), time.Since(start).Seconds())
	return nil
}

// reconfirmDemoRotations: the demo's rotation was planned and confirmed by
// its outgoing cadres before the ledger was written; the findings naming
// them added lines to its handover list, which withdrew the confirmations,
// so the outgoing cadres confirm the new list again, as the demo's
// generator did at first.
func reconfirmDemoRotations(ctx context.Context, db *sqlstore.DB, sys fupin.Actor) error {
	planned, err := db.ListRotations(ctx, sys, demo.TownshipCode, "planned")
	if err != nil {
		return err
	}
	for _, p := range planned {
		r, err := db.Rotation(ctx, sys, p.ID)
		if err != nil {
			return err
		}
		for _, it := range r.Items {
			if it.OutgoingConfirmedBy != "" {
				continue
			}
			if r, err = db.ConfirmRotation(ctx, sys, r.ID, aid.Confirmation{Version: r.Version, Party: "outgoing", ItemID: it.ID}); err != nil {
				return fmt.Errorf("演示轮换确认：%w", err)
			}
		}
	}
	return nil
}

const ledgerUsage = `用法：
  fupin ledger overdue [--area CODE]                              超期和 10 个工作日内到期的问题、有超期节点的重点工作
  fupin ledger report  [--area CODE] [--inspection ID] --out 三单.xlsx   整改情况（计数）并写出三单：问题清单、责任清单、整改清单
  fupin ledger import  FILE.xlsx|.csv --inspection ID             导入巡视反馈的问题清单（逐格报错，全部正确才写入）
`

func cmdLedger(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	sub, fs, dsn, err := subcommandFlags("ledger", "整改台账批处理。", ledgerUsage, args, getenv, stderr)
	if err != nil {
		return err
	}
	area := fs.String("area", "", "区划代码前缀，空为全部")
	inspection := fs.Int64("inspection", 0, "只含某次巡视（检查）的问题（report）")
	out := fs.String("out", "", "输出文件 .xlsx（report）")
	file, rest := leadingArg(fs, args[1:])
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
	case "overdue":
		return ledgerOverdue(ctx, db, cli, *area, stdout)
	case "report":
		if *out == "" {
			return fmt.Errorf("report 需要 --out 文件.xlsx")
		}
		return ledgerReport(ctx, db, cli, *area, *inspection, *out, stdout)
	case "import":
		if file == "" || *inspection == 0 {
			return fmt.Errorf("import 需要文件和 --inspection 编号")
		}
		return ledgerImport(ctx, db, cli, file, *inspection, stdout)
	}
	fmt.Fprintf(stderr, "未知子命令：%s\n\n%s", sub, ledgerUsage)
	return errUsage
}

func ledgerOverdue(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area string, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintln(tw, "期限分组\t问题编号\t所在村\t牵头单位\t整改时限\t状态\t问题描述")
	n := 0
	for _, b := range []string{ledger.BucketOverdue, ledger.BucketWithin10} {
		for offset := 0; ; offset += 500 {
			page, err := db.Findings(ctx, a, sqlstore.FindingFilter{Area: area, Bucket: b, Offset: offset, Limit: 500})
			if err != nil {
				return err
			}
			for _, f := range page.Items {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ledger.Buckets.LabelOf(b), f.Number, f.AreaName, f.LeadUnit,
					f.Deadline, ledger.Statuses.LabelOf(f.Status), f.Description)
				n++
			}
			if offset+500 >= page.Total {
				break
			}
		}
	}
	tasks, err := db.Tasks(ctx, a, area)
	if err != nil {
		return err
	}
	fmt.Fprintln(tw, "\n重点工作\t进度\t牵头单位\t提醒对象\t完成时限")
	late := 0
	for _, t := range tasks {
		if t.Escalation == "" {
			continue
		}
		late++
		to := map[string]string{"lead_unit": "牵头单位", "township": "乡镇指挥部办公室"}[t.Escalation]
		fmt.Fprintf(tw, "%s\t%d%%\t%s\t%s\t%s\n", t.Title, t.Progress, t.LeadUnit, to, t.Deadline)
	}
	fmt.Fprintf(tw, "\n共 %d 个问题超期或 10 个工作日内到期，%d 项重点工作有超期节点\n", n, late)
	return nil
}

// ledgerReport prints the 整改情况 counts and writes the 三单.
func ledgerReport(ctx context.Context, db *sqlstore.DB, a fupin.Actor, area string, inspection int64, out string, stdout io.Writer) error {
	page, err := db.Findings(ctx, a, sqlstore.FindingFilter{Area: area, InspectionID: inspection, Limit: 1})
	if err != nil {
		return err
	}
	rows, err := db.FindingSheetRows(ctx, a, area, inspection)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := ledger.WriteSheets(&buf, rows, db.Now(), db.WorkingDays); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	s := page.Statuses
	fmt.Fprintf(stdout, "整改情况：问题 %d 个，已销号 %d，已完成待验收 %d，整改中 %d，未启动 %d，长期坚持 %d；未销号中已超期 %d，10 个工作日内到期 %d\n",
		page.Total, s[ledger.StatusClosed], s[ledger.StatusPending], s[ledger.StatusInProgress], s[ledger.StatusNotStarted], s[ledger.StatusLongTerm],
		page.Buckets[ledger.BucketOverdue], page.Buckets[ledger.BucketWithin10])
	fmt.Fprintf(stdout, "已写入 %s（问题清单、责任清单、整改清单，各 %d 行）\n", out, len(rows))
	return nil
}

// ledgerImport creates an inspection's findings from its feedback list,
// printing every bad cell when the file is refused.
func ledgerImport(ctx context.Context, db *sqlstore.DB, a fupin.Actor, file string, inspection int64, stdout io.Writer) error {
	r, err := xlsx.Open(file)
	if err != nil {
		return err
	}
	defer r.Close()
	res, err := db.ImportFeedback(ctx, a, inspection, r)
	var fe *fupin.Error
	if errors.As(err, &fe) && len(fe.Fields) > 0 {
		keys := make([]string, 0, len(fe.Fields))
		for k := range fe.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(stdout, "%s\t%s\n", k, fe.Fields[k])
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已导入 %d 个问题\n", res.Created)
	return nil
}
