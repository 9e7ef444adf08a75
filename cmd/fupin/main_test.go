package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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
	addr := waitForAddress(t, pr)
	go io.Copy(io.Discard, pr)
	resp, err := http.Get("http://" + addr + "/api/v1/households?limit=1")
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

func waitForAddress(t *testing.T, r io.Reader) string {
	t.Helper()
	re := regexp.MustCompile(`http://([0-9.:]+)/`)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	t.Fatal("server printed no address")
	return ""
}
