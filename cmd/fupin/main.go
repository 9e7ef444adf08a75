// Command fupin runs the Fupin (扶贫) registry: the HTTP server, database
// migrations, and the demo township generator. run is the only place that
// reads flags and the environment and wires the packages together.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv("FUPIN_MEMPROFILE"); path != "" {
		defer peakHeapProfile(path)()
	}
	// FUPIN_CPUPROFILE=FILE writes a CPU profile of the command (for the
	// benchmark commands in the README).
	if path := os.Getenv("FUPIN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

const usage = `fupin — 精准扶贫与防返贫动态监测系统

用法:
  fupin serve   [--addr 127.0.0.1:8080] [--db ./fupin.db] [--demo]   启动服务（含数据库迁移）
  fupin migrate [--db ./fupin.db] [--plan]                           只执行数据库迁移（--plan 只列出将执行的迁移）
  fupin backup  --out FILE [--db ./fupin.db]                         SQLite 在线一致备份（服务不停）
  fupin restore --from FILE [--db ./fupin.db]                        检查备份（完整性、迁移、审计链）后替换 SQLite 数据库
  fupin demo    [--db ./fupin.db] [--households 3000] [--seed 1] [--out F.xlsx]  向空库写入演示乡镇（奉节县平安乡），或写成国家格式文件
  fupin assess  [--area CODE] [--year Y] [--format table|json|xlsx]  核查两不愁三保障+饮水，保存结论并输出汇总
  fupin policy  list|set|unset …                                     查看或设置政策参数（按区域和年度）
  fupin import  [--area CODE] [--dry-run] [--skip-invalid] [--income-year Y] [--errors F.xlsx] FILE  导入国家格式台账
  fupin export  --out FILE.xlsx|.csv [--area CODE] [--mask]          导出国家格式台账
  fupin user    add|list|passwd|disable|enable …                     管理登录用户（角色与管辖区域）
  fupin token   add|list|revoke …                                    管理 API 令牌
  fupin audit   verify                                               校验审计日志哈希链
  fupin aid     alerts|unpaired|overdue|report|handover-sheet …      帮扶力量：任期提醒、未结对、走访超期、考勤月报、交接清单
  fupin monitor alerts|cases|eligible|uncovered|load-department …  防止返贫动态监测：预警、案件、风险消除条件、应纳未纳、部门名单
  fupin calendar [list|load YEAR.json]                               工作日日历（节假日和调休，注明依据）
  fupin ledger  overdue|report|import …                              整改台账：超期和即将到期的问题与重点工作、三单、导入反馈问题清单
  fupin snapshot --year Y --area CODE | list | compare FROM TO       成效考核快照：冻结、列表、比较（进出各类别、结论变化及原因）
  fupin appraisal rounds|draw|sheet|rates …                          抽查轮次：列表、抽取、现场核查表（.xlsx）、抽查结果
  fupin report  pack --year Y --area CODE (--live|--snapshot ID) [--out F.xlsx]  年度成效材料包（总览、比率、抽查、认可度、整改、资金、资产）
  fupin bench   http --url URL --token T [--rate 200] [--duration 10m]  固定到达率的混合压测（读、带版本写、导出），报告分位延迟和服务器内存
  fupin bench   writes --url URL --token T --acked FILE [--duration 1m]  逐个新增农户并记录已确认的写入（故障切换演练用）
  fupin openapi [--out ui/openapi.json]                              输出 OpenAPI 文档（生成网页客户端用）
  fupin version                                                      显示版本

--db 可以是 SQLite 文件路径，也可以是 postgres://… 连接串（环境变量 FUPIN_DB）。
每个命令都支持 --help。
`

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	ctx = withEnv(ctx, getenv)
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		err = cmdRestore(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		err = cmdBench(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		err = cmdDemo(ctx, args[1:], getenv, stdout, stderr)
	case "assess":
		err = cmdAssess(ctx, args[1:], getenv, stdout, stderr)
	case "policy":
		err = cmdPolicy(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		err = cmdImport(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		err = cmdExport(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		err = cmdUser(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "token":
		err = cmdToken(ctx, args[1:], getenv, stdout, stderr)
	case "audit":
		err = cmdAudit(ctx, args[1:], getenv, stdout, stderr)
	case "aid":
		err = cmdAid(ctx, args[1:], getenv, stdout, stderr)
	case "ledger":
		err = cmdLedger(ctx, args[1:], getenv, stdout, stderr)
	case "snapshot":
		err = cmdSnapshot(ctx, args[1:], getenv, stdout, stderr)
	case "appraisal":
		err = cmdAppraisal(ctx, args[1:], getenv, stdout, stderr)
	case "report":
		err = cmdReport(ctx, args[1:], getenv, stdout, stderr)
	case "openapi":
		err = cmdOpenAPI(ctx, args[1:], getenv, stdout, stderr)
	case "monitor":
		err = cmdMonitor(ctx, args[1:], getenv, stdout, stderr)
	case "calendar":
		err = cmdCalendar(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "fupin", version())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "未知命令：%s\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case err == errHelp:
		return 0
	case err == errUsage:
		return 2
	case err == errImportRejected:
		return 2
	default:
		fmt.Fprintln(stderr, "错误：", err)
		return 1
	}
}

// version reports the module version and VCS revision baked in by go build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v, rev, dirty := info.Main.Version, "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return fmt.Sprintf("%s %s%s %s", v, rev, dirty, info.GoVersion)
}
