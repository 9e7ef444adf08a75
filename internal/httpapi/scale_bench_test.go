package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// BenchmarkScale measures the HTTP rows of the county-scale table (issue
// 14) against their floors in the same run, through the real handler on a
// loopback server: /me against a village's first list page at c=64, the
// dashboard at c=8 with and without household views in the background,
// county-wide name and ID search, and every sort the console offers. It
// needs a large database made beforehand and prints one line per row:
//
//	go run ./cmd/fupin demo --db /tmp/big.db --households 300000
//	FUPIN_BENCH_DB=/tmp/big.db go test -run '^$' -bench Scale -benchtime 1x ./internal/httpapi
//
// FUPIN_BENCH_SECONDS sets each load phase's length (default 5);
// FUPIN_BENCH_ONLY=page runs the first row only (for profiling). The
// database is migrated first and gets an API token. List pages are kept
// once answered (sqlstore.ListHouseholdsEncoded) until the data changes,
// so after its first request a search or sort row measures a kept page;
// each row also shows its slowest request, the first, which ran the query
// and counted. BenchmarkListScale (internal/sqlstore) measures the
// queries themselves.
func BenchmarkScale(b *testing.B) {
	dsn := os.Getenv("FUPIN_BENCH_DB")
	if dsn == "" {
		b.Skip("FUPIN_BENCH_DB not set: see the doc comment")
	}
	secs, _ := strconv.Atoi(os.Getenv("FUPIN_BENCH_SECONDS"))
	if secs <= 0 {
		secs = 5
	}
	phase := time.Duration(secs) * time.Second
	db, err := sqlstore.Open(ctx(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{}))
	defer srv.Close()
	plain, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.CreateToken(ctx(), fupin.SystemActor("bench"), sqlstore.APIToken{Name: "bench-" + plain[len(plain)-6:],
		Role: "admin", Areas: []string{""}}, auth.HashToken(plain)); err != nil {
		b.Fatal(err)
	}
	l := &loader{base: srv.URL, token: plain, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}}
	county, village := demo.TownshipCode[:6], demo.Villages()[0].Code
	for i := 0; i < b.N; i++ {
		me := l.run(b, 64, phase, func(int) string { return "/api/v1/me" })
		page := l.run(b, 64, phase, func(int) string { return "/api/v1/households?limit=20&area=" + village })
		row(b, "village first page c=64", page, "/me c=64", me)
		if os.Getenv("FUPIN_BENCH_ONLY") == "page" {
			continue
		}

		dash := func(int) string { return "/api/v1/dashboard?area=" + county }
		quiet := l.run(b, 8, phase, dash)
		stop := l.background(b, 5, "/api/v1/households/", 1, 300000)
		busy := l.run(b, 8, phase, dash)
		views := stop()
		row(b, fmt.Sprintf("dashboard c=8, %d household views in the background", views), busy, "dashboard c=8 without views", quiet)

		floor := l.run(b, 1, phase/2, func(int) string { return "/api/v1/households?limit=20&area=" + village })
		for _, q := range []string{"龚刚", "龚", "刚强", "0012", "500236"} {
			r := l.run(b, 1, phase/2, func(int) string { return "/api/v1/households?limit=20&area=" + county + "&q=" + url.QueryEscape(q) })
			row(b, "county q="+q, r, "village first page c=1", floor)
		}
		for _, s := range fupin.HouseholdSorts {
			for _, dir := range []string{"", "-"} {
				for _, area := range []string{county, village} {
					r := l.run(b, 1, phase/5, func(int) string { return "/api/v1/households?limit=20&area=" + area + "&sort=" + dir + s })
					row(b, "area="+area+" sort="+dir+s, r, "village first page c=1", floor)
				}
			}
		}
	}
}

// loader drives the server with concurrent keep-alive clients.
type loader struct {
	base, token string
	client      *http.Client
}

// result is one load phase: completed requests, their latencies, time.
type result struct {
	n       int
	lat     []time.Duration
	elapsed time.Duration
	cpu     time.Duration // process CPU time (client and server) during the phase
}

// cpuPer is the process CPU time per request in ms: on a shared machine
// the phases' throughput mostly measures the wait for a core.
func (r result) cpuPer() float64 {
	if r.n == 0 {
		return 0
	}
	return float64(r.cpu.Microseconds()) / 1000 / float64(r.n)
}

// processCPU is the process's CPU time so far (user and system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (r result) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

func (r result) pct(p int) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[(len(r.lat)-1)*p/100]
}

func (l *loader) get(path string) (int, error) {
	req, err := http.NewRequest("GET", l.base+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+l.token)
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// run sends requests from c workers for d and fails on any answer but 200.
func (l *loader) run(b *testing.B, c int, d time.Duration, path func(i int) string) result {
	b.Helper()
	var mu sync.Mutex
	var all []time.Duration
	var failed atomic.Value
	var wg sync.WaitGroup
	cpu0, start := processCPU(), time.Now()
	deadline := start.Add(d)
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var lat []time.Duration
			for i := w; time.Now().Before(deadline); i += c {
				t := time.Now()
				status, err := l.get(path(i))
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("%s: status %d", path(i), status)
				}
				if err != nil {
					failed.Store(err)
					return
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return result{n: len(all), lat: all, elapsed: time.Since(start), cpu: processCPU() - cpu0}
}

// background opens perSecond household pages per second (ids spread over
// [lo, hi]), each of which audits a person.view, until the returned stop
// is called; stop returns how many were opened.
func (l *loader) background(b *testing.B, perSecond int, prefix string, lo, hi int64) func() int {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		n := 0
		tick := time.NewTicker(time.Second / time.Duration(perSecond))
		defer tick.Stop()
		for id := lo; ; id += 9973 {
			select {
			case <-ctx.Done():
				done <- n
				return
			case <-tick.C:
			}
			if id > hi {
				id = lo + id%hi
			}
			if status, err := l.get(prefix + strconv.FormatInt(id, 10)); err == nil && status == http.StatusOK {
				n++
			}
		}
	}()
	return func() int { cancel(); return <-done }
}

// row prints one line of the table: the path, its floor and the ratio.
func row(b *testing.B, name string, r result, floorName string, floor result) {
	b.Helper()
	fmt.Printf("%-52s %7.0f req/s  p50 %6.1f  p95 %6.1f  p99 %6.1f  max %7.1f ms  CPU %.2f ms/req | floor %-28s %7.0f req/s  p99 %6.1f ms  CPU %.2f ms/req | ratio %.3f, CPU ratio %.3f\n",
		name, r.rate(), ms(r.pct(50)), ms(r.pct(95)), ms(r.pct(99)), ms(r.pct(100)), r.cpuPer(), floorName, floor.rate(), ms(floor.pct(99)), floor.cpuPer(),
		r.rate()/floor.rate(), floor.cpuPer()/r.cpuPer())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
