package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"regexp"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"fupin/internal/fupin"
)

// Metrics are the server's Prometheus metrics. One value serves one process: the command
// makes it, hooks the store's write-wait into it, and passes it to New in Options; New makes
// a private one when none is given (tests).
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	signin    *prometheus.CounterVec
	writeWait prometheus.Histogram
}

// NewMetrics registers the process-wide metrics: requests by route pattern and status,
// latency histograms, sign-in failures, write-transaction wait, Go runtime and process.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fupin_http_requests_total", Help: "HTTP requests by method, route pattern and status code.",
	}, []string{"method", "route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "fupin_http_request_duration_seconds", Help: "HTTP request latency by method and route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route"})
	m.signin = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fupin_signin_failures_total", Help: "Refused sign-ins by reason (password, locked, rate).",
	}, []string{"reason"})
	m.writeWait = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "fupin_db_write_wait_seconds", Help: "Time a write transaction waited to begin (on SQLite: for the single writer).",
		Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 5, 10},
	})
	m.reg.MustRegister(m.requests, m.duration, m.signin, m.writeWait,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveWriteWait records one write transaction's wait; plug it into sqlstore.DB.WriteWait.
func (m *Metrics) ObserveWriteWait(d time.Duration) { m.writeWait.Observe(d.Seconds()) }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// attach adds the metrics that read a server's state: the store's connection pools, running
// imports and the recompute backlog. A second server on the same Metrics keeps the first's.
func (m *Metrics) attach(s *Server) {
	for name, pool := range s.db.Pools() {
		m.register(collectors.NewDBStatsCollector(pool, name))
	}
	m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "fupin_import_jobs_running", Help: "Imports being received or running in this process.",
	}, func() float64 {
		s.slots.mu.Lock()
		defer s.slots.mu.Unlock()
		return float64(s.slots.n)
	}))
	m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "fupin_recompute_queue_depth", Help: "Verdict recomputations waiting (after policy changes); -1 when it cannot be read.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := s.db.RecomputeBacklog(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
}

func (m *Metrics) register(c prometheus.Collector) {
	if err := m.reg.Register(c); err != nil {
		if _, dup := err.(prometheus.AlreadyRegisteredError); !dup {
			panic(err)
		}
	}
}

// signinFailed counts a refused sign-in.
func (m *Metrics) signinFailed(reason string) { m.signin.WithLabelValues(reason).Inc() }

type requestIDKey struct{}

var goodRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID is the id of the request ctx belongs to ("" outside a request).
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// observe gives each request an id (the caller's X-Request-Id when it is short and plain,
// else a new one), answers it in X-Request-Id, logs the request with it, counts it by route
// pattern and status, and turns a panic into a logged 500.
func observe(log *slog.Logger, m *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !goodRequestID.MatchString(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				log.Error("panic", "request_id", id, "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
				if !rec.wrote {
					writeJSON(rec, 500, ErrorBody{Error: fupin.Error{Code: fupin.EInternal, Message: "服务器内部错误"}, RequestID: id})
				}
				rec.status = 500
			}
			elapsed := time.Since(start)
			route := r.Pattern // set by the mux on this request
			if route == "" {
				route = "unmatched"
			}
			m.requests.WithLabelValues(r.Method, route, fmt.Sprint(rec.status)).Inc()
			m.duration.WithLabelValues(r.Method, route).Observe(elapsed.Seconds())
			log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"ms", float64(elapsed.Microseconds())/1000)
		}()
		next.ServeHTTP(rec, r)
	})
}

// requestIDHandler adds the request id to every log record made with a request's context.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := requestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// livez answers while the process serves requests, without touching the database.
func (s *Server) livez(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, statusBody{Status: "ok", Database: string(s.db.Dialect())})
}

// readyz answers 200 when the database answers and has every migration of this program, so
// a load balancer sends traffic only to instances that can serve it.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	plan, err := s.db.PlanMigrations(ctx)
	switch {
	case err != nil:
		s.log.ErrorContext(r.Context(), "readiness", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, statusBody{Status: "数据库不可用", Database: string(s.db.Dialect())})
	case len(plan.Pending) > 0:
		writeJSON(w, http.StatusServiceUnavailable, statusBody{Status: fmt.Sprintf("数据库还有 %d 个迁移未执行", len(plan.Pending)), Database: string(s.db.Dialect())})
	default:
		writeJSON(w, http.StatusOK, statusBody{Status: "ok", Database: string(s.db.Dialect())})
	}
}

// pprofHandler serves Go's profiles (admin only, through the route table's guard).
func (s *Server) pprofHandler(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("name") {
	case "":
		pprof.Index(w, r)
	case "cmdline":
		pprof.Cmdline(w, r)
	case "profile":
		pprof.Profile(w, r)
	case "symbol":
		pprof.Symbol(w, r)
	case "trace":
		pprof.Trace(w, r)
	default:
		pprof.Handler(r.PathValue("name")).ServeHTTP(w, r)
	}
}

type pprofIn struct {
	Name    string `path:"name" description:"剖析名称：profile（CPU）、heap、allocs、goroutine、block、mutex、threadcreate、trace、cmdline、symbol"`
	Debug   int    `query:"debug" minimum:"0" maximum:"2" description:"1 或 2 输出文本而不是 pprof 格式"`
	Seconds int    `query:"seconds" minimum:"0" maximum:"300" description:"profile、trace 的采样秒数"`
	GC      int    `query:"gc" minimum:"0" maximum:"1" description:"heap：先做一次垃圾回收"`
}
