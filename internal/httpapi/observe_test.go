package httpapi_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// syncBuffer is a log sink the server may write from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Every answer names its request id (header, and error bodies); the log line of the request
// carries it; the metrics count requests by route pattern (never by raw path, which would
// grow without bound) and status; liveness and readiness answer; profiles are for admin only.
func TestObservability(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var logs syncBuffer
		m := httpapi.NewMetrics()
		db.WriteWait = m.ObserveWriteWait
		t.Cleanup(func() { db.WriteWait = nil })
		srv := httptest.NewServer(httpapi.New(db, slog.New(slog.NewJSONHandler(&logs, nil)), httpapi.Options{Metrics: m}))
		t.Cleanup(srv.Close)
		admin := newToken(t, db, "观测管理员", "admin", "")
		county := newToken(t, db, "观测县级", "county", "500236")
		get := func(token, path string, hdr ...string) (*http.Response, string) {
			t.Helper()
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			for i := 0; i+1 < len(hdr); i += 2 {
				req.Header.Set(hdr[i], hdr[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}

		// Request ids: generated, or the caller's when it is plain; never a hostile one.
		resp, body := get(admin, "/api/v1/households/987654321")
		rid := resp.Header.Get("X-Request-Id")
		if resp.StatusCode != 404 || len(rid) != 16 || !strings.Contains(body, `"request_id":"`+rid+`"`) {
			t.Errorf("404 answer: %d id=%q body=%s", resp.StatusCode, rid, body)
		}
		if !strings.Contains(logs.String(), `"request_id":"`+rid+`"`) {
			t.Errorf("log has no line with request id %s:\n%s", rid, logs.String())
		}
		resp, _ = get(admin, "/api/v1/households?limit=1", "X-Request-Id", "lb-trace.42")
		if got := resp.Header.Get("X-Request-Id"); got != "lb-trace.42" {
			t.Errorf("caller's request id not kept: %q", got)
		}
		resp, _ = get(admin, "/api/v1/households?limit=1", "X-Request-Id", "bad id\" injected")
		if got := resp.Header.Get("X-Request-Id"); got == "" || strings.ContainsAny(got, "\" ") {
			t.Errorf("hostile request id echoed: %q", got)
		}

		// Liveness and readiness.
		if resp, body := get("", "/livez"); resp.StatusCode != 200 || !strings.Contains(body, `"ok"`) {
			t.Errorf("livez: %d %s", resp.StatusCode, body)
		}
		if resp, body := get("", "/readyz"); resp.StatusCode != 200 || !strings.Contains(body, `"ok"`) {
			t.Errorf("readyz: %d %s", resp.StatusCode, body)
		}

		// Profiles: admin only, whatever the role's area and whichever profile is asked.
		for _, c := range []struct {
			who, token string
			want       int
		}{
			{"anonymous", "", 401},
			{"county", county, 403},
			{"township", newToken(t, db, "观测乡镇", "township", "500236266"), 403},
			{"village", newToken(t, db, "观测村级", "village", "500236266001"), 403},
			{"aid_unit", newToken(t, db, "观测帮扶单位", "aid_unit", "500236266001"), 403},
			{"inspector", newToken(t, db, "观测督查", "inspector", "500236"), 403},
			{"admin", admin, 200},
		} {
			for _, path := range []string{"/debug/pprof/goroutine?debug=1", "/debug/pprof/", "/debug/pprof/cmdline", "/debug/pprof/symbol"} {
				if resp, _ := get(c.token, path); resp.StatusCode != c.want {
					t.Errorf("%s as %s: %d, want %d", path, c.who, resp.StatusCode, c.want)
				}
			}
		}

		// A write, so that the write-wait histogram has an observation.
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/households", strings.NewReader(household(id("500236", "19800101", 1), id("500236", "19820101", 2), "500236266001")))
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
			t.Fatalf("create household: %v %v", resp.StatusCode, err)
		}

		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		text := rec.Body.String()
		for _, want := range []string{
			`fupin_http_requests_total{code="404",method="GET",route="GET /api/v1/households/{id}"} 1`,
			`fupin_http_requests_total{code="201",method="POST",route="POST /api/v1/households"} 1`,
			`fupin_http_request_duration_seconds_count{method="GET",route="GET /api/v1/households"} 2`,
			`fupin_http_requests_total{code="401",method="GET",route="GET /debug/pprof/{name}"} 3`,
			"fupin_db_write_wait_seconds_count",
			`go_sql_open_connections{db_name="write"}`,
			"fupin_import_jobs_running 0",
			"fupin_recompute_queue_depth",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(text, "987654321") {
			t.Error("a raw path (with an id) became a metric label")
		}
		if strings.Contains(text, "fupin_db_write_wait_seconds_count 0\n") {
			t.Error("no write transaction was timed")
		}
	})
}
