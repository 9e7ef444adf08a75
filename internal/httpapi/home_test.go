package httpapi_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fupin/internal/dbtest"
)

// TestConsoleServed checks that / is the embedded console (never cached),
// its hashed bundles are cached and gzipped, and unknown API paths stay JSON.
func TestConsoleServed(t *testing.T) {
	srv := newServer(t, dbtest.SQLite(t))
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<div id="app">`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET / = %d %q, Cache-Control %q", resp.StatusCode, body, resp.Header.Get("Cache-Control"))
	}
	i := strings.Index(string(body), "/assets/")
	if i < 0 {
		t.Fatalf("index.html names no bundle: %s", body)
	}
	asset := string(body[i:])
	asset = asset[:strings.IndexByte(asset, '"')]
	req, _ := http.NewRequest("GET", srv.URL+asset, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") ||
		resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET %s = %d, headers %v", asset, resp.StatusCode, resp.Header)
	}
	for _, tt := range []struct {
		path, wantType string
		wantStatus     int
	}{
		{"/assets/nope.js", "text/plain", 404},
		{"/api/v1/nope", "application/json", 404},
	} {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.wantType) {
			t.Errorf("GET %s = %d %s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// TestOpenAPIClientInSync fails when ui/openapi.json, from which the
// console's typed client is generated, differs from the live document.
func TestOpenAPIClientInSync(t *testing.T) {
	srv := newServer(t, dbtest.SQLite(t))
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	saved, err := os.ReadFile(filepath.Join("..", "..", "ui", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(live), bytes.TrimSpace(saved)) {
		t.Fatal("ui/openapi.json differs from GET /api/v1/openapi.json: the API changed, so regenerate the console's client:\n" +
			"  go run ./cmd/fupin openapi --out ui/openapi.json && cd ui && npm run gen:api && npm run build")
	}
}
