package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

var (
	errHelp  = errors.New("help shown")
	errUsage = errors.New("bad usage")
)

// flags makes a flag set whose errors and help go to stderr in Chinese.
func flags(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "用法：fupin %s [选项]\n%s\n\n选项：\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

// subcommandFlags starts a command group (fupin aid|appraisal|ledger|monitor|
// user|token SUB …): the subcommand is args[0], and its flag set named
// "group SUB" comes with --db. With no subcommand, or --help/-h, it prints
// usage and returns errUsage or errHelp.
func subcommandFlags(group, summary, usage string, args []string, getenv func(string) string, stderr io.Writer) (string, *flag.FlagSet, *string, error) {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return "", nil, nil, errUsage
		}
		return "", nil, nil, errHelp
	}
	fs := flags(group+" "+args[0], summary, stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	return args[0], fs, dsn, nil
}

func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return errHelp
	case err != nil:
		return errUsage
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "多余的参数：%v\n", fs.Args())
		return errUsage
	}
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// areaArg checks a command's --area value before the database is opened:
// a division code or a prefix of one (digits only, at most 12; "" where the
// command allows all). The store checks the level a subcommand needs.
func areaArg(area string) error {
	if len(area) > 12 || strings.Trim(area, "0123456789") != "" {
		return errors.New("--area 应为统计用区划代码或其前缀（只含数字，至多 12 位）")
	}
	return nil
}

// openQuiet is openDB without start-up logging, for one-shot commands.
func openQuiet(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	return openDB(ctx, dsn, slog.New(slog.NewJSONHandler(io.Discard, nil)))
}

// leadingArg splits off a command's positional argument (FILE, NAME, ID),
// which may come before, between or after the flags ("fupin import
// --dry-run FILE", "fupin import FILE --dry-run"); fs tells flags that take
// a value from boolean ones. A second positional argument is left in the
// flags, where parse reports it.
func leadingArg(fs *flag.FlagSet, args []string) (string, []string) {
	pos, rest := "", make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			tail := args[i+1:]
			if pos == "" && len(tail) > 0 {
				pos, tail = tail[0], tail[1:]
			}
			if len(tail) > 0 {
				rest = append(rest, "--")
			}
			return pos, append(rest, tail...)
		case len(a) > 1 && a[0] == '-':
			rest = append(rest, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
				rest = append(rest, args[i+1])
				i++
			}
		case pos == "":
			pos = a
		default:
			rest = append(rest, a)
		}
	}
	return pos, rest
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// openDB opens and migrates the database named by --db.
func openDB(ctx context.Context, dsn string, log *slog.Logger) (*sqlstore.DB, error) {
	return openWith(ctx, sqlstore.Open, dsn, log)
}

// openBatch is openQuiet for a one-shot command that reads each page about
// once (assess, export; demo opens the same way): small read caches
// (sqlstore.OpenBatch).
func openBatch(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	return openWith(ctx, sqlstore.OpenBatch, dsn, slog.New(slog.NewJSONHandler(io.Discard, nil)))
}

// openWith opens dsn with open, takes a backup before pending migrations,
// migrates and seals the audit log.
func openWith(ctx context.Context, open func(context.Context, string) (*sqlstore.DB, error), dsn string, log *slog.Logger) (*sqlstore.DB, error) {
	db, err := open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := backupBeforeMigrations(ctx, db, dsn, log); err != nil {
		db.Close()
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("数据库迁移失败：%w", err)
	}
	seal, err := auditSealFor(dsn, envFrom(ctx))
	if err == nil {
		err = db.SealAudit(ctx, seal)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("审计日志：%w", err)
	}
	log.Info("database ready", "engine", db.Dialect(), "migrations_applied", n, "audit_checkpoints", seal.Checkpoints)
	return db, nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("serve", "启动 HTTP 服务；启动时自动执行数据库迁移。", stderr)
	addr := fs.String("addr", envOr(getenv, "FUPIN_ADDR", "127.0.0.1:8080"), "监听地址（FUPIN_ADDR）")
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）；PostgreSQL 主备时写多个主机并加 target_session_attrs=read-write")
	dbRead := fs.String("db-read", envOr(getenv, "FUPIN_DB_READ", ""), "只读副本的 postgres:// 连接串：统计总览从副本读取（落后主库复制延迟）；空则都读主库（FUPIN_DB_READ）")
	failoverWait := fs.Duration("failover-wait", sqlstore.DefaultFailoverWait, "PostgreSQL 主库切换时，进行中的写事务等待新主库、断开的读取等待数据库恢复的最长时间，之后重做一次（应长于切换所需时间；pg_auto_failover 默认约 50 秒）")
	withDemo := fs.Bool("demo", false, "数据库为空时写入演示乡镇（奉节县平安乡）")
	households := fs.Int("households", 3000, "演示数据户数（与 --demo 一起用）")
	seed := fs.Int64("seed", 1, "演示数据随机种子（与 --demo 一起用）")
	tlsCert := fs.String("tls-cert", envOr(getenv, "FUPIN_TLS_CERT", ""), "TLS 证书文件（PEM），与 --tls-key 一起启用 HTTPS")
	tlsKey := fs.String("tls-key", envOr(getenv, "FUPIN_TLS_KEY", ""), "TLS 私钥文件（PEM）")
	idle := fs.Duration("session-idle", 30*time.Minute, "会话空闲超时")
	absolute := fs.Duration("session-max", 12*time.Hour, "会话最长有效期")
	proxies := fs.String("trusted-proxies", envOr(getenv, "FUPIN_TRUSTED_PROXIES", ""), "前置反向代理的 IP 或网段（逗号分隔，如 127.0.0.1,10.0.0.0/8）：来自这些地址的请求按 X-Forwarded-For 中最右一个非代理地址计算登录限制和自主申报的每地址限额；空则不信任该头（FUPIN_TRUSTED_PROXIES）")
	metricsAddr := fs.String("metrics-addr", envOr(getenv, "FUPIN_METRICS_ADDR", ""), "Prometheus 指标监听地址（如 127.0.0.1:9090，只应对监控网络开放；空则不开启）（FUPIN_METRICS_ADDR）\n/livez、/readyz 在主地址上；/debug/pprof/ 在主地址上，仅管理员")
	fs.String("config", envOr(getenv, "FUPIN_CONFIG", ""), "配置文件（TOML，设置项与选项同名，如 addr = \"0.0.0.0:8080\"）；命令行选项和环境变量优先（FUPIN_CONFIG）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if path := configPath(args, getenv); path != "" {
		env := map[string]string{"addr": "FUPIN_ADDR", "db": "FUPIN_DB", "db-read": "FUPIN_DB_READ", "tls-cert": "FUPIN_TLS_CERT", "tls-key": "FUPIN_TLS_KEY", "metrics-addr": "FUPIN_METRICS_ADDR", "trusted-proxies": "FUPIN_TRUSTED_PROXIES"}
		if err := applyConfig(fs, path, env, getenv); err != nil {
			return err
		}
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fmt.Errorf("--tls-cert 和 --tls-key 须同时提供")
	}
	trusted, err := httpapi.ParseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	if getenv("GOMEMLIMIT") == "" {
		// An upload's import keeps a live heap under 100 MB plus the file's
		// shared strings (at most 24 MiB in memory; a larger table is read
		// from a temporary file through 10 MiB of caches); without a soft
		// limit the collector let the heap grow to twice its high-water
		// mark. A serving process needs far less.
		debug.SetMemoryLimit(160 << 20)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	unlock, err := lockDatabase(*dsn, false)
	if err != nil {
		return err
	}
	defer unlock()
	db, err := openDB(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if *failoverWait < time.Second || *failoverWait > 10*time.Minute {
		return fmt.Errorf("--failover-wait 应在 1s 到 10m 之间")
	}
	db.FailoverWait = *failoverWait
	if *dbRead != "" {
		if err := db.UseReplica(ctx, *dbRead); err != nil {
			return err
		}
		log.Info("dashboard reads go to the replica (--db-read)")
	}
	if *withDemo {
		restore := demoMemoryLimit(getenv)
		err := loadDemo(ctx, db, *households, *seed, log, stdout, false)
		restore()
		if err != nil {
			return err
		}
		if err := demoUsers(ctx, db, stdout); err != nil {
			return err
		}
	}
	if n, err := db.CountUsers(ctx); err != nil {
		return err
	} else if n == 0 {
		fmt.Fprintln(stdout, "尚无任何用户，无法登录。请先创建管理员：\n  fupin user add admin --role admin --area \"\"\n（密码在提示时输入，或用 --password-stdin 从标准输入读取）")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%w", *addr, err)
	}
	if n, err := db.FailInterruptedImports(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Warn("imports interrupted by a restart marked failed", "count", n)
	}
	wake := make(chan struct{}, 1)
	go db.RunRecomputeQueue(ctx, log, 30*time.Second, wake)
	watchOtherServers(ctx, db, log, wake)
	secure := *tlsCert != ""
	metrics := httpapi.NewMetrics()
	db.WriteWait = metrics.ObserveWriteWait
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("无法监听 %s（--metrics-addr）：%w", *metricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics.Handler())
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
		fmt.Fprintf(stdout, "Prometheus 指标：http://%s/metrics\n", mln.Addr())
	}
	srv := &http.Server{Handler: httpapi.New(db, log, httpapi.Options{Wake: wake, Secure: secure, IdleTimeout: *idle, AbsoluteTimeout: *absolute, Metrics: metrics, TrustedProxies: trusted}),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	scheme := map[bool]string{false: "http", true: "https"}[secure]
	fmt.Fprintf(stdout, "Fupin 已启动：%s://%s/  （API 文档 /api/v1/openapi.json，Ctrl+C 停止）\n", scheme, ln.Addr())
	errc := make(chan error, 1)
	go func() {
		if secure {
			errc <- srv.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: waiting for requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("关闭服务：%w", err)
	}
	log.Info("stopped")
	return nil
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("migrate", "执行尚未执行的数据库迁移；SQLite 文件在迁移前自动备份为 DB.before-NNNN_名称.bak。\n每个迁移在自己的事务中执行，失败时该迁移不留下任何改动。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	plan := fs.Bool("plan", false, "只列出将要执行的迁移，不执行")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *plan {
		p, err := db.PlanMigrations(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已执行 %d 个迁移（%s）\n", len(p.Applied), db.Dialect())
		if len(p.Unknown) > 0 {
			fmt.Fprintf(stdout, "数据库中有本程序不认识的迁移（由更新版本执行）：%s\n", strings.Join(p.Unknown, "、"))
		}
		if len(p.Pending) == 0 {
			fmt.Fprintln(stdout, "没有待执行的迁移")
			return nil
		}
		fmt.Fprintf(stdout, "将执行 %d 个迁移：\n", len(p.Pending))
		for _, name := range p.Pending {
			fmt.Fprintf(stdout, "  %s\n", name)
		}
		if !sqlstore.IsPostgres(*dsn) && len(p.Applied) > 0 {
			fmt.Fprintf(stdout, "执行前将备份为 %s.before-%s.bak\n", *dsn, strings.TrimSuffix(p.Pending[0], ".sql"))
		}
		return nil
	}
	if err := backupBeforeMigrations(ctx, db, *dsn, slog.New(slog.NewJSONHandler(stderr, nil))); err != nil {
		return err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("数据库迁移失败：%w", err)
	}
	fmt.Fprintf(stdout, "迁移完成：本次执行 %d 个（%s）\n", n, db.Dialect())
	return nil
}

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("demo", "向空数据库写入生成的演示乡镇：重庆市奉节县平安乡的 12 个村。同一 --seed 生成相同数据。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	households := fs.Int("households", 3000, "户数（约 3.3 人/户）")
	seed := fs.Int64("seed", 1, "随机种子")
	out := fs.String("out", "", "不写数据库，而把演示农户按国家格式写成 .xlsx 或 .csv 文件（导入测试与基准用）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *households < 1 || *households > 5_000_000 {
		return fmt.Errorf("--households 应在 1–5000000 之间")
	}
	if *out != "" {
		return demoFile(*out, demo.Options{Households: *households, Seed: *seed, Today: fupin.DateOf(time.Now())}, stdout)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	db, err := openWith(ctx, sqlstore.OpenBatch, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	defer demoMemoryLimit(getenv)()
	return loadDemo(ctx, db, *households, *seed, log, stdout, true)
}

// demoMemoryLimit sets the soft memory limit of a demo load (unless
// GOMEMLIMIT is set) and returns what restores the previous one. The load
// keeps a live heap of about 35 MB (batches on their way to the database,
// the aid dataset); without a limit the collector let the heap grow to 131
// MB at 300,000 households, most of the 191 MB resident peak.
func demoMemoryLimit(getenv func(string) string) (restore func()) {
	return batchMemoryLimit(getenv)
}

// batchMemoryLimit sets the 80 MiB soft memory limit of a batch command
// whose live heap does not grow with the data (demo, export, assess:
// 26–35 MB), unless GOMEMLIMIT is set, and returns what restores the
// previous limit. Without it the collector lets the heap grow to twice its
// high-water mark: an xlsx export of a million people peaked at 98 MB in
// one run and 130 MB in the next.
func batchMemoryLimit(getenv func(string) string) (restore func()) {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetMemoryLimit(80 << 20)
	return func() { debug.SetMemoryLimit(old) }
}

// loadDemo fills an empty database; on a non-empty one it does nothing,
// or fails when strict.
func loadDemo(ctx context.Context, db *sqlstore.DB, households int, seed int64, log *slog.Logger, stdout io.Writer, strict bool) error {
	page, err := db.ListHouseholds(ctx, fupin.SystemActor("demo"), fupin.HouseholdFilter{Limit: 1})
	if err != nil {
		return err
	}
	if page.Total > 0 {
		if strict {
			return fmt.Errorf("数据库中已有 %d 户，演示数据只写入空库", page.Total)
		}
		log.Info("demo skipped: database not empty", "households", page.Total)
		return nil
	}
	start := time.Now()
	opts := demo.Options{Households: households, Seed: seed, Today: fupin.DateOf(time.Now())}
	st, err := db.BulkLoad(ctx, fupin.SystemActor("演示数据生成"), "demo.load", func(emit func(*fupin.Household) error) error {
		return demo.Generate(opts, emit)
	})
	if err != nil {
		return fmt.Errorf("写入演示数据：%w", err)
	}
	secs := time.Since(start).Seconds()
	// BulkLoad assesses new households on the way in (default year).
	fmt.Fprintf(stdout, "演示数据已写入并按两不愁三保障+饮水核查（%d 年度）：%d 户，%d 人，%d 条年度收入，用时 %.2f 秒（%.0f 人/秒）\n",
		fupin.AssessmentYear(opts.Today), st.Households, st.Members, st.Incomes, secs, float64(st.Members)/secs)
	// Monitoring first: the households it identifies then get helpers.
	if err := loadMonitorDemo(ctx, db, opts, stdout); err != nil {
		return err
	}
	if err := loadAidDemo(ctx, db, opts, stdout); err != nil {
		return err
	}
	if err := loadLedgerDemo(ctx, db, opts, stdout); err != nil {
		return err
	}
	return loadProjectDemo(ctx, db, opts, stdout)
}

// demoUsers creates one user per role for the demo township when there are
// no users yet and prints their generated passwords once.
func demoUsers(ctx context.Context, db *sqlstore.DB, stdout io.Writer) error {
	if n, err := db.CountUsers(ctx); err != nil || n > 0 {
		return err
	}
	fmt.Fprintln(stdout, "演示用户（密码只显示这一次）：")
	for _, u := range []struct {
		name, display string
		role          auth.Role
		area          string
	}{
		{"admin", "系统管理员", auth.RoleAdmin, ""},
		{"fengjie", "奉节县扶贫办", auth.RoleCounty, "500236"},
		{"pingan", "平安乡指挥部办公室", auth.RoleTownship, demo.TownshipCode},
		{"tiantai", "天台村第一书记", auth.RoleVillage, "500236266200"},
		{"waiban", "市政府外办（帮扶茨竹村）", auth.RoleAidUnit, "500236266208"},
		{"inspector", "督查组", auth.RoleInspector, demo.TownshipCode},
	} {
		pw, err := auth.NewToken("Fp-")
		if err != nil {
			return err
		}
		pw = pw[:19]
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		if _, err := db.CreateUser(ctx, fupin.SystemActor("演示数据生成"), sqlstore.User{Username: u.name,
			DisplayName: u.display, Role: string(u.role), Areas: []string{u.area}}, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %-10s %-22s 区域 %-13q 密码 %s\n", u.name, u.role.Label(), u.area, pw)
	}
	return nil
}

// watchOtherServers follows the servers sharing a PostgreSQL database: a recomputation
// queued on any of them (or a reconnection, after which notifications may have been missed)
// wakes this one's recompute worker, and every minute jobs whose server is gone are marked
// interrupted. On SQLite it does nothing.
func watchOtherServers(ctx context.Context, db *sqlstore.DB, log *slog.Logger, wake chan struct{}) {
	if db.Dialect() != sqlstore.Postgres {
		return
	}
	go db.Listen(ctx, log, func(kind string) {
		if kind == sqlstore.EventRecompute || kind == sqlstore.EventReconnect {
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	})
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if n, err := db.FailInterruptedImports(ctx); err != nil && ctx.Err() == nil {
				log.Error("interrupted imports", "err", err)
			} else if n > 0 {
				log.Warn("imports of a server that is gone marked interrupted", "count", n)
			}
		}
	}()
}
