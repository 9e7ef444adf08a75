package httpapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// Two servers on one database, each with its own connection pool and memory, as two
// `fupin serve` processes behind a load balancer: a write through one is in the other's
// dashboard at once (the dashboard memo is keyed on the database's change counter), a token
// made on one works on the other, and an account locked by failures on one is locked on the
// other (the lock-out is read from the database before each attempt).
func TestTwoInstancesOneDatabase(t *testing.T) {
	dbtest.EachPair(t, func(t *testing.T, a, b *sqlstore.DB) {
		ca, cb := twoInstances(t, a, b)

		households := func(c *client) float64 {
			t.Helper()
			s, body := c.do("GET", "/api/v1/dashboard?area=500236266", "")
			if s != 200 {
				t.Fatalf("dashboard: %d %v", s, body)
			}
			return body["total"].(map[string]any)["households"].(float64)
		}
		before := households(cb) // B has memoised its dashboard
		if s, body := ca.do("POST", "/api/v1/households", household(id("500236", "19700101", 1), id("500236", "19720101", 2), "500236266001")); s != 201 {
			t.Fatalf("create on A: %d %v", s, body)
		}
		if after := households(cb); after != before+1 {
			t.Errorf("B's dashboard after a write on A: %v households, want %v", after, before+1)
		}

		hash, err := auth.HashPassword("Pingan-2026-secure")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateUser(ctx(), fupin.SystemActor("test"), sqlstore.User{Username: "pingan", Role: "township", Areas: []string{"500236266"}}, hash); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			if s, _ := signInRaw(t, ca.srv, `{"username":"pingan","password":"wrong-password-`+string(rune('a'+i))+`"}`, nil); s != 401 {
				t.Fatalf("failure %d on A: %d", i+1, s)
			}
		}
		s, body := signInRaw(t, cb.srv, `{"username":"pingan","password":"Pingan-2026-secure"}`, nil)
		if s != 429 || !strings.Contains(body["error"].(map[string]any)["message"].(string), "锁定") {
			t.Errorf("right password on B while A locked the account: %d %v", s, body)
		}
		if a.Dialect() != sqlstore.Postgres {
			return // servers sharing an SQLite file poll; the import's writer is the file's only one
		}
		admin := newToken(t, a, "双实例管理员", "admin", "")
		importSeenOnOther(t, a, &client{t: t, srv: cb.srv, token: admin})
		queuedJobSurvives(t, a, b, &client{t: t, srv: ca.srv, token: admin})
	})
}

// importSeenOnOther runs an import on A (as `fupin import` or A's upload would) and holds it
// after its first 1,000 rows: B shows it running with those rows. Then A's connection is
// killed, as when its process dies: B marks the job interrupted, and not before.
func importSeenOnOther(t *testing.T, a *sqlstore.DB, cb *client) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "台账.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.WriteHouseholds(f, "csv", func(emit func(*fupin.Household) error) error {
		return demo.Generate(demo.Options{Households: 600, Seed: 5, Today: fupin.DateOf(time.Now())}, emit)
	}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	actor := fupin.SystemActor("导入测试")
	job, err := a.CreateImport(ctx(), actor, sqlstore.Import{FileName: "台账.csv"})
	if err != nil {
		t.Fatal(err)
	}
	held, resume := make(chan struct{}), make(chan struct{})
	var once sync.Once
	finished := make(chan error, 1)
	go func() {
		_, err := exchange.Import(ctx(), a, actor, path, exchange.ImportOptions{Progress: func(j *sqlstore.Import) {
			if j.RowsRead >= 1000 && j.State == "running" {
				once.Do(func() { close(held); <-resume })
			}
		}}, job)
		finished <- err
	}()
	<-held
	url := fmt.Sprintf("/api/v1/imports/%d", job.ID)
	var seen map[string]any
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, seen = cb.do("GET", url, ""); seen["rows_read"] != nil && seen["rows_read"].(float64) >= 1000 {
			break
		}
	}
	if seen["state"] != "running" || seen["rows_read"] == nil || seen["rows_read"].(float64) < 1000 {
		t.Errorf("B's view of A's import held at 1,000 rows: %v", seen)
	}
	if n, err := a.FailInterruptedImports(ctx()); err != nil || n != 0 {
		t.Errorf("interrupted imports while A works its job: %d %v", n, err)
	}
	// A's process dies: its connections end (the held job's lock with them).
	raw, err := sql.Open("pgx", a.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx(), `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND classid::int4 = hashtext(current_schema() || ':import') AND objid::int4 = $1`, job.ID); err != nil {
		t.Fatal(err)
	}
	var n int64
	for deadline := time.Now().Add(30 * time.Second); n == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if n, err = a.FailInterruptedImports(ctx()); err != nil {
			t.Fatal(err)
		}
	}
	if _, got := cb.do("GET", url, ""); n != 1 || got["state"] != "interrupted" {
		t.Errorf("after A's job lock ended: %d marked, B sees %v", n, got)
	}
	// Here only the lock's connection died: the load itself goes on, and when it commits the
	// job says so (the final state is written with the data).
	close(resume)
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	if _, got := cb.do("GET", url, ""); got["state"] != "done" || got["written"] != float64(600) {
		t.Errorf("the load that outlived its lock: %v", got)
	}
}

// queuedJobSurvives queues a recomputation through A and kills A before its worker ran: B's
// worker, woken only by the database's notification (no poll), works it.
func queuedJobSurvives(t *testing.T, a, b *sqlstore.DB, ca *client) {
	t.Helper()
	wctx, stop := context.WithCancel(ctx())
	defer stop()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	wake := make(chan struct{}, 1)
	listening := make(chan struct{}, 1)
	go b.Listen(wctx, quiet, func(kind string) {
		if kind == sqlstore.EventReconnect {
			select {
			case listening <- struct{}{}:
			default:
			}
		}
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	<-listening
	<-wake // the start's own wake-up
	done := make(chan struct{})
	go func() { // B's worker as RunRecomputeQueue runs it, but only on wake-ups
		defer close(done)
		for {
			select {
			case <-wctx.Done():
				return
			case <-wake:
				if _, err := b.ProcessRecomputeQueue(wctx, quiet); err != nil && wctx.Err() == nil {
					t.Error(err)
				}
			}
		}
	}()
	if s, body := ca.do("PUT", "/api/v1/policy/params", `{"area":"500236266","year":2025,"key":"water_min_lpd","value":"70"}`); s != 200 {
		t.Fatalf("parameter change on A: %d %v", s, body)
	}
	a.Close() // A is gone; it never ran a worker
	backlog := -1
	for deadline := time.Now().Add(60 * time.Second); backlog != 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if backlog, err = b.RecomputeBacklog(ctx()); err != nil {
			t.Fatal(err)
		}
	}
	if backlog != 0 {
		t.Errorf("recomputations queued on A still waiting on B: %d", backlog)
	}
	stop()
	<-done
}

// twoInstances serves a and b (two handles on one database) as two servers and returns a
// township client of each, signed with one token made through a.
func twoInstances(t *testing.T, a, b *sqlstore.DB) (ca, cb *client) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srvA := httptest.NewServer(httpapi.New(a, quiet, httpapi.Options{}))
	t.Cleanup(srvA.Close)
	srvB := httptest.NewServer(httpapi.New(b, quiet, httpapi.Options{}))
	t.Cleanup(srvB.Close)
	token := newToken(t, a, "双实例", "township", "500236266")
	return &client{t: t, srv: srvA, token: token}, &client{t: t, srv: srvB, token: token}
}
