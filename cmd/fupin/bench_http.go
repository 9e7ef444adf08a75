package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// cmdBench runs load tools: `fupin bench http` (mixed traffic) and `fupin bench writes`
// (the failover drill's writer).
func cmdBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "writes" {
		return cmdBenchWrites(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "http" {
		fmt.Fprint(stderr, "用法：fupin bench http --url URL --token T --area CODE [--rate 200] [--duration 10m] [--heavy-exports N] [--metrics URL]\n"+
			"      fupin bench writes --url URL --token T --acked FILE [--duration 1m] [--seed N]\n")
		return errUsage
	}
	fs := flags("bench http", "以固定到达率向运行中的 Fupin 发送混合请求：70% 读（列表、详情、总览）、25% 带版本号的写、5% 导出；\n"+
		"导出是乡镇、村干部日常所下载的，每次一个村（随机选自 --area 的村），五种各占 1%：农户台账（脱贫户）、问题清单、\n"+
		"近 90 天走访记录、结对帮扶的导出 Excel，以及国家格式台账（xlsx）。--heavy-exports N 另外每分钟发 N 次整个 --area 的\n"+
		"国家格式导出（导出全域，单独统计；服务器一次只做一个，其余排队，队满答 429）。\n"+
		"报告每类请求的 p50/p95/p99、错误数（429 也算错误），以及服务器内存（每 10 秒读取 --metrics 的 process_resident_memory_bytes）。\n"+
		"令牌用 fupin token add 创建（需要写权限的角色，例如乡镇）。写请求一半改农户的联系电话（在两个号码之间切换，不影响任何统计），一半切换“通宽带”（不在免重算的字段之列，所在村的总览、列表合计和待办要重算）。", stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "服务地址")
	token := fs.String("token", envOr(getenv, "FUPIN_TOKEN", ""), "API 令牌（FUPIN_TOKEN）")
	rate := fs.Int("rate", 200, "每秒请求数（固定到达率）")
	duration := fs.Duration("duration", time.Minute, "测量时长")
	warmup := fs.Duration("warmup", 10*time.Second, "预热时长（不计入统计）")
	area := fs.String("area", "", "乡镇（9 位）或村（12 位）区划代码：只访问该区域的农户，导出按其下的村进行（必填）")
	heavy := fs.Int("heavy-exports", 0, "每分钟另发几次整个 --area 的国家格式导出（0–60）")
	only := fs.String("only", "", "只发这一类请求（列表、详情、总览、写入、导出台账…），用于测量每类请求的服务器 CPU")
	metrics := fs.String("metrics", "", "Prometheus 指标地址（如 http://127.0.0.1:9090/metrics），用于记录服务器内存")
	maxInFlight := fs.Int("max-in-flight", 512, "同时进行的请求上限，超出的到达记为错误")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *token == "" {
		fmt.Fprintln(stderr, "缺少 --token（或 FUPIN_TOKEN）")
		return errUsage
	}
	if *rate < 1 || *rate > 100000 || *maxInFlight < 1 || *maxInFlight > 100000 {
		fmt.Fprintln(stderr, "--rate 和 --max-in-flight 应在 1 到 100000 之间")
		return errUsage
	}
	if *only != "" && !slices.ContainsFunc(benchMix, func(m benchKind) bool { return m.kind == *only }) {
		fmt.Fprintln(stderr, "--only 应为报告中的一个类别，如 详情")
		return errUsage
	}
	if *heavy < 0 || *heavy > 60 {
		fmt.Fprintln(stderr, "--heavy-exports 应在 0 到 60 之间")
		return errUsage
	}
	if len(*area) != 9 && len(*area) != 12 {
		fmt.Fprintln(stderr, "--area 应为乡镇（9 位）或村（12 位）的区划代码")
		return errUsage
	}
	b := &httpBench{base: strings.TrimRight(*base, "/"), token: *token, area: *area, only: *only,
		client: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *maxInFlight}}}
	if *heavy > 0 {
		b.heavyEvery = time.Minute / time.Duration(*heavy)
	}
	if err := b.loadIDs(ctx); err != nil {
		return err
	}
	if err := b.loadVillages(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "农户 %d 户，导出选自 %d 个村；预热 %v，测量 %v，%d 请求/秒，整体导出每分钟 %d 次\n",
		len(b.ids), len(b.villages), *warmup, *duration, *rate, *heavy)
	rss := &rssSampler{url: *metrics, client: b.client}
	b.run(ctx, *rate, *warmup, *maxInFlight, false)
	rss.sample(ctx)
	stop := rss.every(ctx, 10*time.Second)
	rep := b.run(ctx, *rate, *duration, *maxInFlight, true)
	stop()
	rss.sample(ctx)
	rep.print(stdout, *duration)
	rss.print(stdout, len(rep.results))
	return nil
}

type httpBench struct {
	base, token, area string
	client            *http.Client
	ids               []int64
	villages          []string      // the exports' villages (loadVillages)
	only              string        // the one kind sent, "" for the mix
	heavyEvery        time.Duration // between whole-area exports; 0: none
}

// loadIDs reads up to 2,000 household ids of the area to pick from.
func (b *httpBench) loadIDs(ctx context.Context) error {
	q := "/api/v1/households?limit=200"
	if b.area != "" {
		q += "&area=" + b.area
	}
	for offset := 0; offset < 2000; offset += 200 {
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		status, body, err := b.do(ctx, "GET", q+"&offset="+strconv.Itoa(offset), nil)
		if err != nil {
			return fmt.Errorf("读取农户列表：%w", err)
		}
		if status != 200 {
			return fmt.Errorf("读取农户列表：HTTP %d %s", status, body)
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return fmt.Errorf("读取农户列表：%w", err)
		}
		for _, it := range page.Items {
			b.ids = append(b.ids, it.ID)
		}
		if len(page.Items) < 200 {
			break
		}
	}
	if len(b.ids) == 0 {
		return errors.New("该区域没有农户，无法压测")
	}
	return nil
}

func (b *httpBench) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// request kinds and their shares of the traffic (per 100). The 5 % of
// exports are what a township or village user downloads in a day, each of
// one village: the 导出 Excel of 农户台账 (filtered to 脱贫户), 问题清单,
// 走访记录 (the last 90 days) and 结对帮扶, and the national-layout file
// (exportKinds).
var benchMix = []benchKind{{"列表", 40}, {"详情", 20}, {"总览", 10}, {"写入", 25},
	{"导出台账", 1}, {"导出问题", 1}, {"导出走访", 1}, {"导出结对", 1}, {"导出国家", 1}}

type benchKind struct {
	kind  string
	share int
}

// heavyKind is the national-layout export of the whole --area (a township's
// 30,000 households), sent only with --heavy-exports, beside the mix.
const heavyKind = "导出全域"

type benchResult struct {
	kind     string
	latency  time.Duration
	err      bool
	conflict bool
}

// one performs one request of kind; a write reads the household and writes it back with its
// version, so a 409 (another writer won) is a conflict, not an error.
func (b *httpBench) one(ctx context.Context, kind string, rnd *rand.Rand) benchResult {
	start := time.Now()
	id := b.ids[rnd.IntN(len(b.ids))]
	var status int
	var err error
	area := ""
	if b.area != "" {
		area = "&area=" + b.area
	}
	switch kind {
	case "列表":
		sorts := []string{"", "&sort=-updated_at", "&sort=head_name"}
		status, _, err = b.do(ctx, "GET", fmt.Sprintf("/api/v1/households?limit=20&offset=%d%s%s", rnd.IntN(10)*20, sorts[rnd.IntN(len(sorts))], area), nil)
	case "详情":
		status, _, err = b.do(ctx, "GET", fmt.Sprintf("/api/v1/households/%d", id), nil)
	case "总览":
		status, _, err = b.do(ctx, "GET", "/api/v1/dashboard?area="+b.area, nil) // area is required; "" is the whole country
	case "导出台账", "导出问题", "导出走访", "导出结对", "导出国家":
		status, _, err = b.do(ctx, "GET", b.exportPath(kind, b.villages[rnd.IntN(len(b.villages))]), nil)
	case heavyKind:
		status, _, err = b.do(ctx, "GET", "/api/v1/exports?format=xlsx&area="+b.area, nil)
	case "写入":
		var body []byte
		status, body, err = b.do(ctx, "GET", fmt.Sprintf("/api/v1/households/%d", id), nil)
		if err == nil && status == 200 {
			var h map[string]any
			if err = json.Unmarshal(body, &h); err == nil {
				// Half the writes change what no count reads (the village's
				// counts are kept), half a field that makes its village recount.
				living, _ := h["living"].(map[string]any)
				if rnd.IntN(2) == 0 || living == nil {
					phone := "13900001111"
					if h["phone"] == phone {
						phone = "13900002222"
					}
					h["phone"] = phone
				} else {
					living["broadband"] = living["broadband"] != true
				}
				body, _ = json.Marshal(h)
				status, _, err = b.do(ctx, "PUT", fmt.Sprintf("/api/v1/households/%d", id), body)
			}
		}
	}
	r := benchResult{kind: kind, latency: time.Since(start)}
	switch {
	case err != nil:
		r.err = true
	case status == 409:
		r.conflict = true
	case status >= 300:
		r.err = true
	}
	return r
}

// exportPath is the download of one kind of export for a village.
func (b *httpBench) exportPath(kind, village string) string {
	switch kind {
	case "导出台账":
		return "/api/v1/households?format=xlsx&household_type=ex_poor&area=" + village
	case "导出问题":
		return "/api/v1/assessments/problems?format=xlsx&area=" + village
	case "导出走访":
		from := time.Now().AddDate(0, 0, -90).Format(time.DateOnly)
		return "/api/v1/aid/visits?format=xlsx&from=" + from + "&area=" + village
	case "导出结对":
		return "/api/v1/aid/pairings?format=xlsx&area=" + village
	}
	return "/api/v1/exports?format=xlsx&area=" + village
}

// loadVillages finds the villages of the area the exports pick from: the
// area itself when it is a village, else the villages with households that
// its dashboard lists (a township's).
func (b *httpBench) loadVillages(ctx context.Context) error {
	if len(b.area) == 12 {
		b.villages = []string{b.area}
		return nil
	}
	if len(b.area) != 9 {
		return errors.New("--area 应为乡镇（9 位）或村（12 位）的区划代码：导出按村进行")
	}
	status, body, err := b.do(ctx, "GET", "/api/v1/dashboard?area="+b.area, nil)
	if err != nil || status != 200 {
		return fmt.Errorf("读取总览：HTTP %d %s %v", status, body, err)
	}
	var d struct {
		Children []struct {
			Code       string `json:"code"`
			Households int    `json:"households"`
		} `json:"children"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		return fmt.Errorf("读取总览：%w", err)
	}
	for _, c := range d.Children {
		if c.Households > 0 {
			b.villages = append(b.villages, c.Code)
		}
	}
	if len(b.villages) == 0 {
		return errors.New("该区域没有有农户的村，无法压测导出")
	}
	return nil
}

type benchReport struct {
	results  []benchResult
	dropped  int64
	attempts int64
}

// run sends requests at a fixed arrival rate for d: each arrival starts at its own time
// whether or not earlier ones have finished (open model), so slow answers show as latency
// rather than as a lower rate.
func (b *httpBench) run(ctx context.Context, rate int, d time.Duration, maxInFlight int, keep bool) benchReport {
	var mu sync.Mutex
	var rep benchReport
	var inFlight atomic.Int64
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	send := func(seed int64, kind string) {
		inFlight.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer inFlight.Add(-1)
			r := b.one(ctx, kind, rand.New(rand.NewPCG(uint64(seed), 42)))
			if keep {
				mu.Lock()
				rep.results = append(rep.results, r)
				mu.Unlock()
			}
		}()
	}
	if b.heavyEvery > 0 {
		// Whole-area exports at their own fixed rate, beside the mix.
		heavyCtx, stop := context.WithTimeout(ctx, d)
		defer stop()
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(b.heavyEvery)
			defer t.Stop()
			for {
				select {
				case <-heavyCtx.Done():
					return
				case <-t.C:
					send(0, heavyKind)
				}
			}
		}()
	}
	for i := int64(0); ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Until(at))
		rep.attempts++
		if inFlight.Load() >= int64(maxInFlight) {
			rep.dropped++
			continue
		}
		pick, kind := int(i*7919%100), ""
		for _, m := range benchMix {
			if pick < m.share {
				kind = m.kind
				break
			}
			pick -= m.share
		}
		if b.only != "" {
			kind = b.only
		}
		send(i, kind)
	}
	wg.Wait()
	return rep
}

func (rep benchReport) print(w io.Writer, d time.Duration) {
	byKind := map[string][]time.Duration{}
	errs, conflicts := map[string]int{}, map[string]int{}
	var all []time.Duration
	for _, r := range rep.results {
		byKind[r.kind] = append(byKind[r.kind], r.latency)
		if r.kind != heavyKind {
			all = append(all, r.latency)
		}
		if r.err {
			errs[r.kind]++
		}
		if r.conflict {
			conflicts[r.kind]++
		}
	}
	fmt.Fprintf(w, "%-8s %8s %9s %9s %9s %9s %6s %6s\n", "类别", "请求数", "p50", "p95", "p99", "最慢", "错误", "冲突")
	line := func(name string, ls []time.Duration, e, c int) {
		slices.Sort(ls)
		q := func(p float64) time.Duration {
			if len(ls) == 0 {
				return 0
			}
			return ls[min(len(ls)-1, int(p*float64(len(ls))))]
		}
		fmt.Fprintf(w, "%-8s %8d %9s %9s %9s %9s %6d %6d\n", name, len(ls), ms(q(.5)), ms(q(.95)), ms(q(.99)), ms(q(1)), e, c)
	}
	totalErr, totalConf := 0, 0
	for _, m := range benchMix {
		line(m.kind, byKind[m.kind], errs[m.kind], conflicts[m.kind])
		totalErr += errs[m.kind]
		totalConf += conflicts[m.kind]
	}
	line("全部", all, totalErr+int(rep.dropped), totalConf)
	if h := byKind[heavyKind]; len(h) > 0 {
		line(heavyKind, h, errs[heavyKind], conflicts[heavyKind])
	}
	fmt.Fprintf(w, "到达 %d 次，完成 %d 次（%.1f 请求/秒），因同时进行的请求超过上限而放弃 %d 次（“全部”不含导出全域）\n",
		rep.attempts, len(all), float64(len(all))/d.Seconds(), rep.dropped)
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + "ms"
}

// rssSampler reads the server's resident memory, Go heap and CPU time from
// its Prometheus metrics.
type rssSampler struct {
	url     string
	client  *http.Client
	start   time.Time
	samples []memSample
	cpu     []float64 // process_cpu_seconds_total, one per sample
}

// memSample is one reading of the server's memory.
type memSample struct {
	at        time.Duration // since the first sample
	rss, heap float64       // resident bytes; Go heap in use (go_memstats_heap_inuse_bytes)
}

func (s *rssSampler) sample(ctx context.Context) {
	if s.url == "" {
		return
	}
	req, err := http.NewRequestWithContext(ctx, "GET", s.url, nil)
	if err != nil {
		return
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	now := time.Now()
	if s.start.IsZero() {
		s.start = now
	}
	m := memSample{at: now.Sub(s.start)}
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 8<<20))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	value := func(line, name string) (float64, bool) {
		v, ok := strings.CutPrefix(line, name+" ")
		if !ok {
			return 0, false
		}
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	for sc.Scan() {
		if f, ok := value(sc.Text(), "process_resident_memory_bytes"); ok {
			m.rss = f
		}
		if f, ok := value(sc.Text(), "go_memstats_heap_inuse_bytes"); ok {
			m.heap = f
		}
		if f, ok := value(sc.Text(), "process_cpu_seconds_total"); ok {
			s.cpu = append(s.cpu, f)
		}
	}
	if m.rss > 0 {
		s.samples = append(s.samples, m)
	}
}

func (s *rssSampler) every(ctx context.Context, period time.Duration) (stop func()) {
	if s.url == "" {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.sample(ctx)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func (s *rssSampler) print(w io.Writer, requests int) {
	if len(s.samples) < 2 {
		if s.url != "" {
			fmt.Fprintln(w, "未能读取服务器内存（检查 --metrics 地址）")
		}
		return
	}
	first, last := s.samples[0].rss, s.samples[len(s.samples)-1].rss
	peak := slices.MaxFunc(s.samples, func(a, b memSample) int { return cmp.Compare(a.rss, b.rss) }).rss
	fmt.Fprintf(w, "服务器常驻内存：预热后 %.1f MB，最高 %.1f MB，结束时 %.1f MB（增长 %+.1f%%，%d 次采样）\n",
		first/1e6, peak/1e6, last/1e6, (last-first)/first*100, len(s.samples))
	if t, ok := memTrendOf(s.samples); ok {
		fmt.Fprintf(w, "内存趋势：常驻内存前 %v 均值 %.1f MB，最后 %v 均值 %.1f MB（%+.1f%%），线性趋势 %+.2f MB/分钟；Go 堆（使用中）同期均值 %.1f → %.1f MB\n",
			t.window, t.rssHead/1e6, t.window, t.rssTail/1e6, (t.rssTail-t.rssHead)/t.rssHead*100, t.slope/1e6, t.heapHead/1e6, t.heapTail/1e6)
	}
	if len(s.cpu) >= 2 && requests > 0 {
		// From the sample after warm-up to the last one: the measured run.
		used := s.cpu[len(s.cpu)-1] - s.cpu[0]
		fmt.Fprintf(w, "服务器 CPU：%.1f 秒，每个请求 %.2f 毫秒（按 2 核计，CPU 上限约 %.0f 请求/秒）\n",
			used, used/float64(requests)*1000, 2*float64(requests)/used)
	}
}

// memTrend compares a run's first and last stretch of memory samples.
type memTrend struct {
	window             time.Duration // the stretch averaged at each end
	rssHead, rssTail   float64       // mean resident bytes
	heapHead, heapTail float64       // mean Go heap in use
	slope              float64       // least-squares trend of resident bytes, per minute
}

// memTrendOf averages the first and last minute (a third of the run when
// that is shorter than three minutes) and fits a line through all samples.
// One sample at each end says little: resident memory swings by a fifth
// between collections while the level stays the same.
func memTrendOf(samples []memSample) (memTrend, bool) {
	if len(samples) < 3 {
		return memTrend{}, false
	}
	span := samples[len(samples)-1].at - samples[0].at
	t := memTrend{window: time.Minute}
	if span < 3*time.Minute {
		t.window = (span / 3).Round(time.Second)
	}
	if t.window <= 0 {
		return memTrend{}, false
	}
	var nh, nt float64
	var sx, sy, sxx, sxy float64
	for _, m := range samples {
		if m.at-samples[0].at <= t.window {
			t.rssHead, t.heapHead, nh = t.rssHead+m.rss, t.heapHead+m.heap, nh+1
		}
		if samples[len(samples)-1].at-m.at <= t.window {
			t.rssTail, t.heapTail, nt = t.rssTail+m.rss, t.heapTail+m.heap, nt+1
		}
		x := m.at.Minutes()
		sx, sy, sxx, sxy = sx+x, sy+m.rss, sxx+x*x, sxy+x*m.rss
	}
	t.rssHead, t.heapHead, t.rssTail, t.heapTail = t.rssHead/nh, t.heapHead/nh, t.rssTail/nt, t.heapTail/nt
	n := float64(len(samples))
	if d := n*sxx - sx*sx; d > 0 {
		t.slope = (n*sxy - sx*sy) / d
	}
	return t, true
}
