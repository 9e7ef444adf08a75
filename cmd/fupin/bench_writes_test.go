package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// fupin bench writes records every household the server acknowledged, and only those: each
// recorded id is a stored household, and the count matches the households stored.
func TestBenchWrites(t *testing.T) {
	ctx := withEnv(context.Background(), noEnv)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "drill.db")
	db, err := openQuiet(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(httpapi.New(db, slog.New(slog.DiscardHandler), httpapi.Options{}))
	defer srv.Close()
	plain, _ := auth.NewToken(auth.APITokenPrefix)
	if _, err := db.CreateToken(ctx, fupin.SystemActor("test"), sqlstore.APIToken{Name: "drill", Role: "township", Areas: []string{"500236266"}}, auth.HashToken(plain)); err != nil {
		t.Fatal(err)
	}
	acked := filepath.Join(dir, "acked.txt")
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"bench", "writes", "--url", srv.URL, "--token", plain, "--duration", "1s", "--acked", acked}, noEnv, nil, &out, &errOut); code != 0 {
		t.Fatalf("bench writes: %d %s %s", code, out.String(), errOut.String())
	}
	raw, err := os.ReadFile(acked)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	stored := countRows(t, dbPath, "households")
	if len(lines) == 0 || lines[0] == "" || len(lines) != stored {
		t.Fatalf("%d acknowledged, %d stored\n%s", len(lines), stored, out.String())
	}
	for _, l := range lines {
		f := strings.Fields(l)
		id, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || len(f) != 2 {
			t.Fatalf("line %q", l)
		}
		if n := countRows(t, dbPath, "households WHERE id = "+strconv.FormatInt(id, 10)); n != 1 {
			t.Errorf("acknowledged household %d stored %d times", id, n)
		}
	}
	if !strings.Contains(out.String(), "已确认 "+strconv.Itoa(stored)+"，失败 0") {
		t.Errorf("report:\n%s", out.String())
	}
	if code := run(ctx, []string{"bench", "writes", "--url", srv.URL, "--token", plain}, noEnv, nil, &out, &errOut); code != 2 {
		t.Errorf("without --acked: exit %d, want 2", code)
	}
}
