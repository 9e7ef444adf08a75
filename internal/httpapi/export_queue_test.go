package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// Heavy exports queue behind one running slot: while it runs, up to
// heavyExportWaiting more wait (they are not refused); the next is refused
// at once with 429, a Chinese message and Retry-After; a village's export
// still starts at once, and a waiting export starts when the running one ends.
func TestExportQueueBoundsHeavyExports(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	take := func(ctx context.Context, heavy bool) (*httptest.ResponseRecorder, func(), bool) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/api/v1/exports", nil).WithContext(ctx)
		release, ok := s.exportSlot(w, r, heavy)
		return w, release, ok
	}
	_, first, ok := take(context.Background(), true)
	if !ok {
		t.Fatal("the first heavy export was refused")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan func(), heavyExportWaiting)
	for range heavyExportWaiting {
		go func() {
			if _, release, ok := take(ctx, true); ok {
				started <- release
			}
		}()
	}
	// Wait until all of them hold a ticket (they wait for the running slot).
	for deadline := time.Now().Add(10 * time.Second); len(s.exports.heavy.tickets) < heavyExportRunning+heavyExportWaiting; {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d heavy exports queued", len(s.exports.heavy.tickets), heavyExportRunning+heavyExportWaiting)
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case <-started:
		t.Fatal("a queued heavy export started while the first one runs")
	default:
	}
	w, _, ok := take(context.Background(), true)
	if ok || w.Code != 429 {
		t.Fatalf("heavy export beyond the queue: ok %v, status %d, want 429", ok, w.Code)
	}
	if got := w.Header().Get("Retry-After"); got != strconv.Itoa(heavyRetryAfter) {
		t.Errorf("Retry-After %q, want %d", got, heavyRetryAfter)
	}
	var body ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code != "rate_limited" || body.Error.Message == "" {
		t.Errorf("refusal body %s (%v)", w.Body, err)
	}
	if _, release, ok := take(context.Background(), false); !ok {
		t.Error("a village export waited behind the heavy queue")
	} else {
		release()
	}
	first()
	select {
	case release := <-started:
		release()
	case <-time.After(10 * time.Second):
		t.Fatal("no queued heavy export started after the running one ended")
	}
	cancel() // the rest give up, as a client that goes away does
	for deadline := time.Now().Add(10 * time.Second); len(s.exports.heavy.tickets) > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d tickets left after every waiting export gave up", len(s.exports.heavy.tickets))
		}
		time.Sleep(time.Millisecond)
		select {
		case release := <-started:
			release()
		default:
		}
	}
}
