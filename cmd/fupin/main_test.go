package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func noEnv(string) string { return "" }

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"migrate", "--help"}, {"demo", "--help"}, {"help"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, noEnv, nil, &out, &errOut); code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
		if !strings.Contains(out.String()+errOut.String(), "用法") {
			t.Errorf("%v: no usage text in %q", args, out.String()+errOut.String())
		}
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"version"}, noEnv, nil, &out, io.Discard); code != 0 || !strings.HasPrefix(out.String(), "fupin ") {
		t.Errorf("version: exit %d, %q", code, out.String())
	}
	if code := run(context.Background(), []string{"frobnicate"}, noEnv, nil, io.Discard, io.Discard); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestDemoThenRefuseNonEmpty(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	var out bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--db", db, "--households", "40", "--seed", "7"}, noEnv, nil, &out, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	if !strings.Contains(out.String(), "40 户") {
		t.Errorf("demo output %q lacks the household count", out.String())
	}
	var errOut bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--db", db}, noEnv, nil, io.Discard, &errOut); code != 1 || !strings.Contains(errOut.String(), "已有 40 户") {
		t.Errorf("second demo: exit %d, %q", code, errOut.String())
	}
}

// TestServeAndShutdown starts the server with demo data from the
// environment variables, queries it, and stops it as SIGTERM would.
func TestServeAndShutdown(t *testing.T) {
	env := map[string]string{"FUPIN_ADDR": "127.0.0.1:0", "FUPIN_DB": filepath.Join(t.TempDir(), "s.db")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--households", "30"}, func(k string) string { return env[k] }, nil, pw, io.Discard)
		pw.Close()
	}()
	addr, printed := waitForAddress(t, pr)
	go io.Copy(io.Discard, pr)
	if resp, err := http.Get("http://" + addr + "/api/v1/households?limit=1"); err != nil || resp.StatusCode != 401 {
		t.Fatalf("list without signing in: %v %v, want 401", resp.StatusCode, err)
	}
	m := regexp.MustCompile(`(?m)^\s+pingan\s.*密码 (\S+)$`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("no demo password for pingan in:\n%s", printed)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Post("http://"+addr+"/api/v1/session", "application/json",
		strings.NewReader(`{"username":"pingan","password":"`+m[1]+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("sign in: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	resp, err = client.Get("http://" + addr + "/api/v1/households?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Total int }
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if page.Total != 30 {
		t.Errorf("total = %d, want 30 demo households", page.Total)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d after shutdown", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop within 10 s")
	}
}

// waitForAddress reads the server's output up to the line with its
// address, returning the address and everything printed before it.
func waitForAddress(t *testing.T, r io.Reader) (string, string) {
	t.Helper()
	re := regexp.MustCompile(`http://([0-9.:]+)/`)
	sc := bufio.NewScanner(r)
	var printed strings.Builder
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			return m[1], printed.String()
		}
		printed.WriteString(sc.Text() + "\n")
	}
	t.Fatal("server printed no address")
	return "", ""
}

func TestAssessAndPolicyCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	env := func(k string) string { return map[string]string{"FUPIN_DB": db}[k] }
	ctx := context.Background()
	if code := run(ctx, []string{"demo", "--households", "60"}, env, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"assess", "--area", "500236266", "--year", "2025"}, env, nil, &out, &errOut); code != 0 {
		t.Fatalf("assess: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "合计 平安乡  60") || !strings.Contains(errOut.String(), "核查 60 户") {
		t.Errorf("assess table:\n%s\n%s", out.String(), errOut.String())
	}
	out.Reset()
	if code := run(ctx, []string{"assess", "--area", "500236266", "--year", "2025", "--format", "json"}, env, nil, &out, io.Discard); code != 0 {
		t.Fatalf("assess json: exit %d", code)
	}
	var doc struct {
		Summary struct{ Total struct{ Households int } }
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc.Summary.Total.Households != 60 {
		t.Errorf("assess json: %v %+v", err, doc)
	}
	xlsx := filepath.Join(dir, "核查.xlsx")
	if code := run(ctx, []string{"assess", "--format", "xlsx", "--out", xlsx}, env, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("assess xlsx: exit %d", code)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := f.GetCellValue("问题清单", "F1")
	total, _ := f.GetCellValue("汇总", "C3") // 重庆市, then the total
	if head != "不达标项目" || total != "60" {
		t.Errorf("workbook: 问题清单!F1 %q, 汇总!C3 %q (want 60 households in the total row)", head, total)
	}
	f.Close()
	out.Reset()
	if code := run(ctx, []string{"policy", "set", "--area", "500236266", "--year", "2025", "water_min_lpd", "50"}, env, nil, &out, io.Discard); code != 0 {
		t.Fatalf("policy set: exit %d", code)
	}
	if !strings.Contains(out.String(), "已重算 1 个区域") || !strings.Contains(out.String(), `区域 "500236266" 自 2025 年`) {
		t.Errorf("policy set output:\n%s", out.String())
	}
	errOut.Reset()
	if code := run(ctx, []string{"policy", "set", "--year", "2025", "water_min_lpd", "-1"}, env, nil, io.Discard, &errOut); code != 1 || !strings.Contains(errOut.String(), "错误") {
		t.Errorf("bad policy value: exit %d, %q", code, errOut.String())
	}
}
