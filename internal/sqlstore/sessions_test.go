package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"fupin/internal/auth"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestSessionReadsDoNotWaitForWriter holds a write transaction open, as a
// running import does, and checks that a cookie session and an API token
// due for a last-use refresh are still recognised while the writer is
// held: reading who is calling never waits for the writer. (It used to:
// such a request wrote the session's last-seen time first.)
func TestSessionReadsDoNotWaitForWriter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, fupin.SystemActor("test"), sqlstore.User{Username: "pingan", Role: "township", Areas: []string{"500236266"}}, "x")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, u, "hash-1", "csrf", "127.0.0.1", time.Hour); err != nil {
			t.Fatal(err)
		}
		tok := auth.HashToken("fpt_test")
		if _, err := db.CreateToken(ctx, fupin.SystemActor("test"), sqlstore.APIToken{Name: "t", Role: "inspector", Areas: []string{"500236"}}, tok); err != nil {
			t.Fatal(err)
		}
		// Two minutes later: both last-use times are due for a refresh.
		db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		release := db.HoldWriter(t)
		done := make(chan error, 1)
		go func() {
			for i := 0; i < 20; i++ {
				if _, err := db.SessionByHash(ctx, "hash-1", time.Hour); err != nil {
					done <- err
					return
				}
				if _, err := db.TokenByHash(ctx, tok); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("session read while the writer is held: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("reading a session waited for the held writer")
		}
		release()
	})
}

// BenchmarkSessionByHash reads a cookie session with the writer free and
// while a write transaction holds it (as an import does), on SQLite and,
// when configured, PostgreSQL: the two should cost the same.
func BenchmarkSessionByHash(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			db := map[string]func(testing.TB) *sqlstore.DB{"sqlite": dbtest.SQLite, "postgres": dbtest.Postgres}[engine](b)
			ctx := context.Background()
			u, err := db.CreateUser(ctx, fupin.SystemActor("test"), sqlstore.User{Username: "pingan", Role: "township", Areas: []string{"500236266"}}, "x")
			if err != nil {
				b.Fatal(err)
			}
			if err := db.CreateSession(ctx, u, "hash-1", "csrf", "127.0.0.1", time.Hour); err != nil {
				b.Fatal(err)
			}
			for _, held := range []bool{false, true} {
				b.Run(map[bool]string{false: "writer-free", true: "writer-held"}[held], func(b *testing.B) {
					if held {
						defer db.HoldWriter(b)()
					}
					for i := 0; i < b.N; i++ {
						if _, err := db.SessionByHash(ctx, "hash-1", time.Hour); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
