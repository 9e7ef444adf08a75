package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// clientGone reports whether a request failed because its client went away: its context
// ended (the server cancels it when the connection closes), whatever the error the driver or
// the writer made of that.
func clientGone(r *http.Request) bool {
	return r.Context().Err() != nil
}

// logFailure logs an error that is not the caller's fault at the level it deserves: a client
// that disconnected is ordinary (info), a full disk is named as such, anything else is an
// error with msg.
func (s *Server) logFailure(r *http.Request, msg string, err error) {
	switch {
	case clientGone(r):
		s.log.InfoContext(r.Context(), "client disconnected", "method", r.Method, "path", r.URL.Path, "err", err)
	case sqlstore.IsDiskFull(err):
		s.log.ErrorContext(r.Context(), "disk full", "method", r.Method, "path", r.URL.Path, "err", err)
	default:
		s.log.ErrorContext(r.Context(), msg, "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// internalError is the answer for an error without a code: the disk-full message when the
// disk is full, the generic one otherwise (the cause is only logged).
func internalError(err error) *fupin.Error {
	if sqlstore.IsDiskFull(err) {
		return &fupin.Error{Code: fupin.EInternal, Message: sqlstore.DiskFullMessage}
	}
	return &fupin.Error{Code: fupin.EInternal, Message: fupin.ErrorMessage(err)}
}
