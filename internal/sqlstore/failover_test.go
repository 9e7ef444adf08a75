package sqlstore_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Which errors met before COMMIT say the primary changed (retry once on the new one) and
// which would fail the same way again.
func TestPrimaryChanged(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"read-only transaction (demoted primary)", &pgconn.PgError{Code: "25006"}, true},
		{"admin shutdown", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"bad connection", driver.ErrBadConn, true},
		{"unexpected EOF", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, false},
		{"check violation", &pgconn.PgError{Code: "23514"}, false},
		{"plain error", errors.New("户编号重复"), false},
		{"nil", nil, false},
	} {
		if got := sqlstore.PrimaryChanged(tc.err); got != tc.want {
			t.Errorf("%s: primaryChanged = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A write transaction that meets a read-only server (as on a primary demoted by failover)
// runs once more and commits; one that fails for its own reasons runs once. (On SQLite,
// which has no primary, the first run is an ordinary write.)
func TestWriteRetriedOnceAfterPrimaryChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if err := db.Exec(`CREATE TABLE failover_probe (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		runs := 0
		err := db.Update(ctx, func(tx *sqlstore.Tx) error {
			runs++
			if runs == 1 && db.Dialect() == sqlstore.Postgres {
				if _, err := tx.ExecContext(ctx, `SET TRANSACTION READ ONLY`); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO failover_probe (id) VALUES (1)`)
			return err
		})
		wantRuns := map[sqlstore.Dialect]int{sqlstore.SQLite: 1, sqlstore.Postgres: 2}[db.Dialect()]
		if err != nil || runs != wantRuns {
			t.Fatalf("write on a read-only server: runs %d (want %d), err %v", runs, wantRuns, err)
		}
		runs = 0
		err = db.Update(ctx, func(tx *sqlstore.Tx) error {
			runs++
			_, err := tx.ExecContext(ctx, `INSERT INTO failover_probe (id) VALUES (1)`)
			return err
		})
		if err == nil || runs != 1 {
			t.Errorf("duplicate key: runs %d, err %v; want one run and an error", runs, err)
		}
	})
}

// A read transaction whose connection is lost (as when the primary is shut down by a
// failover) runs once more on a new connection and answers; one that fails for its own
// reasons runs once. (On SQLite no connection is lost: the first run answers.)
func TestReadRetriedOnceAfterLostConnection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		runs, got := 0, 0
		err := db.View(ctx, func(tx *sqlstore.Tx) error {
			runs++
			if runs == 1 && db.Dialect() == sqlstore.Postgres {
				// The server ends this connection (57P01), as a shutting-down primary does.
				if _, err := tx.ExecContext(ctx, `SELECT pg_terminate_backend(pg_backend_pid())`); err != nil {
					return err
				}
			}
			return tx.QueryRowContext(ctx, `SELECT COUNT(*) + 7 FROM households`).Scan(&got)
		})
		wantRuns := map[sqlstore.Dialect]int{sqlstore.SQLite: 1, sqlstore.Postgres: 2}[db.Dialect()]
		if err != nil || runs != wantRuns || got != 7 {
			t.Fatalf("read on a lost connection: runs %d (want %d), got %d, err %v", runs, wantRuns, got, err)
		}
		runs = 0
		err = db.View(ctx, func(tx *sqlstore.Tx) error {
			runs++
			return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM no_such_table`).Scan(&got)
		})
		if err == nil || runs != 1 {
			t.Errorf("missing table: runs %d, err %v; want one run and an error", runs, err)
		}
	})
}

// While no server answers (the primary gone, the standby not yet promoted), a household
// list waits for one, up to FailoverWait, and then answers; when none comes back in time it
// answers with an error instead of waiting longer. The outage is a TCP proxy in front of
// PostgreSQL that drops every connection and refuses new ones.
func TestListWaitsForServerDuringFailover(t *testing.T) {
	direct := dbtest.Postgres(t)
	ctx := context.Background()
	if _, err := direct.ListHouseholds(ctx, fupin.SystemActor("test"), fupin.HouseholdFilter{Limit: 20}); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(direct.DSN())
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.addr
	db, err := sqlstore.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.FailoverWait = 20 * time.Second
	list := func() error {
		_, err := db.ListHouseholds(ctx, fupin.SystemActor("test"), fupin.HouseholdFilter{Limit: 20})
		return err
	}
	if err := list(); err != nil {
		t.Fatalf("list through the proxy: %v", err)
	}

	// Every API request first looks up its token: that read waits too.
	token := func() error {
		_, err := db.TokenByHash(ctx, "no-such-token")
		if fupin.ErrorCode(err) == fupin.EUnauthorized {
			return nil
		}
		return fmt.Errorf("want unauthorized, got %w", err)
	}
	const outage = 1500 * time.Millisecond
	for _, read := range []struct {
		name string
		run  func() error
	}{{"list", list}, {"token", token}} {
		p.setDown(true)
		time.AfterFunc(outage, func() { p.setDown(false) })
		start := time.Now()
		if err := read.run(); err != nil {
			t.Fatalf("%s during a %s outage (FailoverWait %s): %v", read.name, outage, db.FailoverWait, err)
		}
		if waited := time.Since(start); waited < outage/2 {
			t.Errorf("%s answered after %s: it cannot have met the outage", read.name, waited)
		}
	}

	db.FailoverWait = time.Second
	p.setDown(true)
	start := time.Now()
	err = list()
	if err == nil {
		t.Fatal("list with no server at all answered without an error")
	}
	if waited := time.Since(start); waited < db.FailoverWait {
		t.Errorf("list gave up after %s, before FailoverWait (%s): %v", waited, db.FailoverWait, err)
	}
}

// proxy forwards TCP connections to a server; while down it drops them all and refuses new ones.
type proxy struct {
	addr  string
	mu    sync.Mutex
	down  bool
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{addr: ln.Addr().String()}
	t.Cleanup(func() { ln.Close(); p.setDown(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			down := p.down
			p.mu.Unlock()
			if down {
				c.Close()
				continue
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

// When the replica behind --db-read goes away, the dashboard reads the primary instead of
// answering with an error (or waiting for the replica).
func TestDashboardFallsBackToPrimaryWithoutReplica(t *testing.T) {
	db := dbtest.Postgres(t)
	replica := dbtest.Postgres(t)
	for i := 0; i < 2; i++ {
		if _, err := replica.CreateHousehold(ctx, admin, cleanFamily(t, 300+10*i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CreateHousehold(ctx, admin, cleanFamily(t, 200)); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(replica.DSN())
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.addr
	if err := db.UseReplica(ctx, u.String()); err != nil {
		t.Fatal(err)
	}
	db.FailoverWait = 20 * time.Second
	dash := func() int {
		t.Helper()
		d, err := db.Dashboard(ctx, admin, "500236266", 2025)
		if err != nil {
			t.Fatalf("dashboard: %v", err)
		}
		return d.Total.Households
	}
	if got := dash(); got != 2 {
		t.Fatalf("dashboard households = %d, want the replica's 2", got)
	}
	p.setDown(true)
	if got := dash(); got != 1 {
		t.Errorf("dashboard without the replica = %d, want the primary's 1", got)
	}
}
