package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// leavingClient is a response writer whose client goes away as soon as
// the first byte of the answer arrives; it notes how many unmasked views
// were audited at that moment.
type leavingClient struct {
	*httptest.ResponseRecorder
	db                 *sqlstore.DB
	t                  *testing.T
	leave              context.CancelFunc
	auditedAtFirstByte int
	sent               bool
}

func (c *leavingClient) WriteHeader(code int) { c.first(); c.ResponseRecorder.WriteHeader(code) }
func (c *leavingClient) Write(b []byte) (int, error) {
	c.first()
	return c.ResponseRecorder.Write(b)
}

func (c *leavingClient) first() {
	if !c.sent {
		c.sent = true
		c.auditedAtFirstByte = auditActions(c.t, c.db)["person.view"]
		c.leave()
	}
}

// TestPersonViewAuditedBeforeSending: the person.view row of an unmasked
// view is written before the first byte of the answer, and a client that
// leaves at once does not undo it (the row was written after the answer,
// with the request's context).
func TestPersonViewAuditedBeforeSending(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		admin := &client{t: t, srv: srv, token: adminToken}
		mustDo(t, admin, 201, "POST", "/api/v1/households", household(id("512226", "19600101", 11), id("512226", "19620202", 22), "500236266200"))
		town := newToken(t, db, "平安乡", "township", "500236266")
		h := httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{})
		for i, path := range []string{"/api/v1/households/1", "/api/v1/households/1/members", "/api/v1/households/1/history"} {
			ctx, cancel := context.WithCancel(context.Background())
			req := httptest.NewRequestWithContext(ctx, "GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+town)
			w := &leavingClient{ResponseRecorder: httptest.NewRecorder(), db: db, t: t, leave: cancel}
			h.ServeHTTP(w, req)
			cancel()
			if w.Code != http.StatusOK || w.auditedAtFirstByte != i+1 {
				t.Errorf("GET %s = %d; person.view rows when the first byte left: %d, want %d", path, w.Code, w.auditedAtFirstByte, i+1)
			}
		}
		if n := auditActions(t, db)["person.view"]; n != 3 {
			t.Errorf("person.view rows after three views by leaving clients: %d, want 3", n)
		}
	})
}
