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
	"time"

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

// openDB opens and migrates the database named by --db.
func openDB(ctx context.Context, dsn string, log *slog.Logger) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("数据库迁移失败：%w", err)
	}
	log.Info("database ready", "engine", db.Dialect(), "migrations_applied", n)
	return db, nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("serve", "启动 HTTP 服务；启动时自动执行数据库迁移。", stderr)
	addr := fs.String("addr", envOr(getenv, "FUPIN_ADDR", "127.0.0.1:8080"), "监听地址（FUPIN_ADDR）")
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	withDemo := fs.Bool("demo", false, "数据库为空时写入演示乡镇（奉节县平安乡）")
	households := fs.Int("households", 3000, "演示数据户数（与 --demo 一起用）")
	seed := fs.Int64("seed", 1, "演示数据随机种子（与 --demo 一起用）")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	db, err := openDB(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		if err := loadDemo(ctx, db, *households, *seed, log, stdout, false); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%w", *addr, err)
	}
	wake := make(chan struct{}, 1)
	go db.RunRecomputeQueue(ctx, log, 30*time.Second, wake)
	srv := &http.Server{Handler: httpapi.New(db, log, "未登录用户", wake),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "Fupin 已启动：http://%s/  （API 文档 /api/v1/openapi.json，Ctrl+C 停止）\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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
	fs := flags("migrate", "执行尚未执行的数据库迁移。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
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
	if err := parse(fs, args); err != nil {
		return err
	}
	if *households < 1 || *households > 5_000_000 {
		return fmt.Errorf("--households 应在 1–5000000 之间")
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	db, err := openDB(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	return loadDemo(ctx, db, *households, *seed, log, stdout, true)
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
	fmt.Fprintf(stdout, "演示数据已写入：%d 户，%d 人，%d 条年度收入，用时 %.2f 秒（%.0f 人/秒）\n",
		st.Households, st.Members, st.Incomes, secs, float64(st.Members)/secs)
	start = time.Now()
	year := fupin.AssessmentYear(opts.Today)
	as, err := db.Assess(ctx, fupin.SystemActor("演示数据生成"), demo.TownshipCode, year, nil)
	if err != nil {
		return fmt.Errorf("核查演示数据：%w", err)
	}
	fmt.Fprintf(stdout, "已按两不愁三保障+饮水核查 %d 户（%d 年度），用时 %.2f 秒\n", as.Households, year, time.Since(start).Seconds())
	return nil
}
