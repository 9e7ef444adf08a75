package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"fupin/internal/demo"
	"fupin/internal/fupin"
)

// cmdBenchWrites is `fupin bench writes`: one writer creating households one after another
// through the API, each acknowledged one (201) recorded with its id, for the failover drill
// (scripts/failover-drill.sh), which compares the record with the database afterwards.
// Each line of the record is the id and the Unix time in milliseconds of its answer.
func cmdBenchWrites(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("bench writes", "逐个新增演示农户（POST /api/v1/households），把每个已确认（201）的农户 id 记入 --acked 文件；\n报告确认数、失败数（按原因）和最长的无确认间隔（故障切换演练用，见 scripts/failover-drill.sh）。\n令牌须能写奉节县平安乡（500236266），例如 fupin token add drill --role township --area 500236266。", stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "服务地址")
	token := fs.String("token", envOr(getenv, "FUPIN_TOKEN", ""), "API 令牌（FUPIN_TOKEN）")
	duration := fs.Duration("duration", time.Minute, "写入时长")
	acked := fs.String("acked", "", "已确认写入的记录文件（每行：农户 id、确认时刻的 Unix 毫秒）")
	seed := fs.Int64("seed", 1, "演示数据随机种子（同一数据库每次用不同的种子，户编号不重复）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *token == "" || *acked == "" {
		fmt.Fprintln(stderr, "缺少 --token（或 FUPIN_TOKEN）或 --acked")
		return errUsage
	}
	if *duration <= 0 || *duration > 24*time.Hour {
		fmt.Fprintln(stderr, "--duration 应在 0 到 24h 之间")
		return errUsage
	}
	out, err := os.Create(*acked)
	if err != nil {
		return err
	}
	defer out.Close()
	w := &drillWriter{end: time.Now().Add(*duration), b: &httpBench{base: strings.TrimRight(*base, "/"), token: *token,
		client: &http.Client{Timeout: 90 * time.Second}}, acked: bufio.NewWriter(out), failures: map[string]int{}}
	err = w.run(ctx, *seed)
	if ferr := w.acked.Flush(); err == nil {
		err = ferr
	}
	w.print(stdout)
	return err
}

type drillWriter struct {
	end      time.Time // no write starts after it; the one in flight is waited for
	b        *httpBench
	acked    *bufio.Writer
	attempts int
	ok       int
	failures map[string]int
	lastOK   time.Time
	gap      time.Duration // longest time between two acknowledgements
	gapEnd   time.Time
}

// run writes until the end (or ctx's) or the generated households run out.
func (w *drillWriter) run(ctx context.Context, seed int64) error {
	errStop := errors.New("stop")
	err := demo.Generate(demo.Options{Households: 200000, Seed: seed, Today: fupin.DateOf(time.Now())}, func(h *fupin.Household) error {
		if ctx.Err() != nil || time.Now().After(w.end) {
			return errStop
		}
		body, err := json.Marshal(h)
		if err != nil {
			return err
		}
		w.one(ctx, body)
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

func (w *drillWriter) one(ctx context.Context, body []byte) {
	w.attempts++
	status, resp, err := w.b.do(ctx, "POST", "/api/v1/households", body)
	now := time.Now()
	if err == nil && status == http.StatusCreated {
		var created struct{ ID int64 }
		if json.Unmarshal(resp, &created) == nil && created.ID > 0 {
			fmt.Fprintf(w.acked, "%d %d\n", created.ID, now.UnixMilli())
			w.acked.Flush() // acknowledged means recorded, even if the drill stops here
			w.ok++
			if !w.lastOK.IsZero() && now.Sub(w.lastOK) > w.gap {
				w.gap, w.gapEnd = now.Sub(w.lastOK), now
			}
			w.lastOK = now
			return
		}
	}
	if ctx.Err() != nil {
		w.attempts-- // interrupted (Ctrl+C), not a failure
		return
	}
	reason := fmt.Sprintf("HTTP %d", status)
	if err != nil {
		reason = "连接错误"
	} else {
		var e struct {
			Error struct{ Message string }
		}
		if json.Unmarshal(resp, &e) == nil && e.Error.Message != "" {
			reason += " " + e.Error.Message
		}
	}
	w.failures[reason]++
	time.Sleep(100 * time.Millisecond) // a server that is down is not hammered
}

func (w *drillWriter) print(out io.Writer) {
	fmt.Fprintf(out, "写入尝试 %d，已确认 %d，失败 %d\n", w.attempts, w.ok, w.attempts-w.ok)
	reasons := make([]string, 0, len(w.failures))
	for r := range w.failures {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(out, "  失败 %d 次：%s\n", w.failures[r], r)
	}
	if w.gap > 0 {
		fmt.Fprintf(out, "最长无确认间隔 %.1f 秒（结束于 %s）\n", w.gap.Seconds(), w.gapEnd.UTC().Format("15:04:05.000"))
	}
}
