package main

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// fupin bench http drives a real server with the mix: reads, versioned writes that change
// the server's data, and exports; it reports each kind with its percentiles and errors.
func TestBenchHTTP(t *testing.T) {
	ctx := withEnv(context.Background(), noEnv)
	dbPath := filepath.Join(t.TempDir(), "bench.db")
	db, err := openQuiet(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var demoOut bytes.Buffer
	if err := loadDemo(ctx, db, 60, 1, slog.New(slog.DiscardHandler), &demoOut, true); err != nil {
		t.Fatal(err)
	}
	m := httpapi.NewMetrics()
	srv := httptest.NewServer(httpapi.New(db, slog.New(slog.DiscardHandler), httpapi.Options{Metrics: m}))
	defer srv.Close()
	metrics := httptest.NewServer(m.Handler())
	defer metrics.Close()
	plain, _ := auth.NewToken(auth.APITokenPrefix)
	if _, err := db.CreateToken(ctx, fupin.SystemActor("test"), sqlstore.APIToken{Name: "bench", Role: "township", Areas: []string{"500236266"}}, auth.HashToken(plain)); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, dbPath, "audit_log WHERE action = 'household.update'")
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"bench", "http", "--url", srv.URL, "--token", plain, "--rate", "40", "--duration", "3s",
		"--warmup", "200ms", "--area", "500236266", "--heavy-exports", "60", "--metrics", metrics.URL + "/metrics"}, noEnv, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("bench: %d %s %s", code, out.String(), errOut.String())
	}
	report := out.String()
	for _, kind := range []string{"列表", "详情", "总览", "写入", "导出台账", "导出问题", "导出走访", "导出结对", "导出国家", "全部", "导出全域"} {
		m := regexp.MustCompile(`(?m)^` + kind + `\s+(\d+)\s+\S+ms\s+\S+ms\s+\S+ms\s+\S+ms\s+(\d+)\s+(\d+)$`).FindStringSubmatch(report)
		if m == nil {
			t.Fatalf("no %s line in\n%s", kind, report)
		}
		if m[1] == "0" {
			t.Errorf("%s: no requests\n%s", kind, report)
		}
		if m[2] != "0" {
			t.Errorf("%s: %s errors\n%s", kind, m[2], report)
		}
	}
	t.Log(report)
	if !strings.Contains(report, "服务器常驻内存") {
		t.Errorf("no memory line:\n%s", report)
	}
	if after := countRows(t, dbPath, "audit_log WHERE action = 'household.update'"); after <= before {
		t.Errorf("the writes changed nothing on the server (%d → %d household.update entries)", before, after)
	}
	// Both kinds of write: a phone number (no count reads it) and 通宽带 (counted).
	for what, field := range map[string]string{"phone": "$.phone", "broadband": "$.living.broadband"} {
		if n := countRows(t, dbPath, "audit_log WHERE action = 'household.update' AND json_extract(before_json, '"+field+
			"') IS NOT json_extract(after_json, '"+field+"')"); n == 0 {
			t.Errorf("no write changed %s", what)
		}
	}
	if code := run(ctx, []string{"bench", "http", "--url", srv.URL}, noEnv, nil, &out, &errOut); code != 2 {
		t.Errorf("without a token: exit %d, want 2", code)
	}
	if code := run(ctx, []string{"bench", "http", "--url", srv.URL, "--token", plain, "--area", "500236"}, noEnv, nil, &out, &errOut); code != 2 {
		t.Errorf("with a county for --area: exit %d, want 2", code)
	}
}

// TestMemTrend: a level that swings between collections has no trend and
// equal ends; a steady climb shows in both.
func TestMemTrend(t *testing.T) {
	var flat, climb []memSample
	for i := 0; i <= 60; i++ { // 10 minutes, a sample every 10 s
		at := time.Duration(i) * 10 * time.Second
		swing := []float64{-20e6, 15e6, 0, 5e6}[i%4] // around 120 MB
		flat = append(flat, memSample{at: at, rss: 120e6 + swing, heap: 40e6})
		climb = append(climb, memSample{at: at, rss: 100e6 + 3e6*at.Minutes(), heap: 30e6 + 2e6*at.Minutes()})
	}
	f, ok := memTrendOf(flat)
	if !ok || f.window != time.Minute {
		t.Fatalf("flat: %+v %v", f, ok)
	}
	if d := (f.rssTail - f.rssHead) / f.rssHead; math.Abs(d) > 0.05 || math.Abs(f.slope) > 0.5e6 {
		t.Errorf("flat series: ends %.1f → %.1f MB, slope %.2f MB/min; want no trend", f.rssHead/1e6, f.rssTail/1e6, f.slope/1e6)
	}
	c, _ := memTrendOf(climb)
	if math.Abs(c.slope-3e6) > 1e3 {
		t.Errorf("climb: slope %.3f MB/min, want 3", c.slope/1e6)
	}
	// The first minute's samples average 101.5 MB, the last minute's 128.5 MB (heap 49 MB).
	if math.Abs(c.rssHead-101.5e6) > 1e3 || math.Abs(c.rssTail-128.5e6) > 1e3 || math.Abs(c.heapTail-49e6) > 1e3 {
		t.Errorf("climb ends: %+v", c)
	}
	short, ok := memTrendOf(climb[:13]) // two minutes: thirds of 40 s
	if !ok || short.window != 40*time.Second {
		t.Errorf("two minutes: window %v", short.window)
	}
	if _, ok := memTrendOf(climb[:2]); ok {
		t.Error("two samples gave a trend")
	}
}
