package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"fupin/internal/fupin"
)

// Exports take CPU for as long as they stream (a township's national-layout
// file of 30,000 households is seconds of both cores), so they queue for
// slots and the other requests keep the rest of the machine. Two queues:
//   - heavy: the national-layout export of more than one village; one runs
//     at a time, so it holds at most one of the store's two scan slots and
//     a village's export always finds the other;
//   - light: a village's national-layout export and the lists' 导出 Excel
//     (at most DefaultListExportMax rows, built in memory, so the bound
//     also bounds that memory).
//
// An export waits for its slot while its client waits; it is refused at
// once, with 429 and Retry-After, only when its queue is full.
const (
	heavyExportRunning = 1
	heavyExportWaiting = 8
	heavyRetryAfter    = 30 // seconds
	lightExportRunning = 2
	lightExportWaiting = 64
	lightRetryAfter    = 5
)

// exportQueue is a bounded queue in front of a few running slots.
type exportQueue struct {
	once    sync.Once
	running chan struct{} // one value per running export
	tickets chan struct{} // one value per running or waiting export
	run     int
	wait    int
	retry   int // Retry-After, seconds, when full
	full    string
}

// exportQueues are the server's two export queues (zero value ready).
type exportQueues struct {
	heavy, light exportQueue
}

func (q *exportQueue) init(run, wait, retry int, full string) {
	q.once.Do(func() {
		q.run, q.wait, q.retry, q.full = run, wait, retry, full
		q.running = make(chan struct{}, run)
		q.tickets = make(chan struct{}, run+wait)
	})
}

// acquire waits for a running slot; it fails at once with rate_limited when
// run+wait exports are already running or waiting, and with the context's
// error when the client goes away first. release gives the slot back.
func (q *exportQueue) acquire(ctx context.Context) (release func(), err error) {
	select {
	case q.tickets <- struct{}{}:
	default:
		return nil, &fupin.Error{Code: fupin.ERateLimited, Message: q.full}
	}
	select {
	case q.running <- struct{}{}:
		return func() { <-q.running; <-q.tickets }, nil
	case <-ctx.Done():
		<-q.tickets
		return nil, ctx.Err()
	}
}

// exportSlot takes a slot of the heavy or light export queue for r, or
// answers (429 with Retry-After when the queue is full) and returns false.
func (s *Server) exportSlot(w http.ResponseWriter, r *http.Request, heavy bool) (release func(), ok bool) {
	q := &s.exports.light
	q.init(lightExportRunning, lightExportWaiting, lightRetryAfter,
		"同时进行的导出过多（"+strconv.Itoa(lightExportRunning+lightExportWaiting)+" 个正在进行或排队），请 "+strconv.Itoa(lightRetryAfter)+" 秒后再试")
	if heavy {
		q = &s.exports.heavy
		q.init(heavyExportRunning, heavyExportWaiting, heavyRetryAfter,
			"多村的整体导出正在排队（"+strconv.Itoa(heavyExportRunning+heavyExportWaiting)+" 个正在进行或排队），请 "+strconv.Itoa(heavyRetryAfter)+" 秒后再试，或按村导出")
	}
	release, err := q.acquire(r.Context())
	if err != nil {
		if r.Context().Err() != nil {
			return nil, false // the client has gone; nobody reads an answer
		}
		w.Header().Set("Retry-After", strconv.Itoa(q.retry))
		s.writeError(w, r, err)
		return nil, false
	}
	return release, true
}
