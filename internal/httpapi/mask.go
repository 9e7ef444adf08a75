package httpapi

import (
	"bytes"
	"net/http"
	"regexp"

	"fupin/internal/auth"
	"fupin/internal/idcard"
)

// Roles that may not see identities get ID numbers and phone numbers
// masked in every answer. The masking works on the encoded JSON so that
// nothing escapes it, audit before/after documents included: a JSON string
// value that is exactly an ID number (18 or 15 characters) or a mobile
// number is replaced.
var (
	idValue    = regexp.MustCompile(`"(\d{17}[\dX]|\d{15})"`)
	phoneValue = regexp.MustCompile(`"(1[3-9]\d{9})"`)
)

func maskJSON(b []byte) []byte {
	b = idValue.ReplaceAllFunc(b, func(m []byte) []byte {
		return []byte(`"` + idcard.Mask(string(m[1:len(m)-1])) + `"`)
	})
	return phoneValue.ReplaceAllFunc(b, func(m []byte) []byte {
		return []byte(`"` + auth.MaskPhone(string(m[1:len(m)-1])) + `"`)
	})
}

// maskingWriter buffers a JSON answer and masks it before sending.
type maskingWriter struct {
	http.ResponseWriter
	buf    bytes.Buffer
	status int
}

func (m *maskingWriter) WriteHeader(code int)        { m.status = code }
func (m *maskingWriter) Write(b []byte) (int, error) { return m.buf.Write(b) }

func (m *maskingWriter) finish() {
	if m.status == 0 {
		m.status = http.StatusOK
	}
	m.ResponseWriter.WriteHeader(m.status)
	m.ResponseWriter.Write(maskJSON(m.buf.Bytes()))
}

// identityFilter masks answers for roles that may not see identities and
// audits each unmasked view of a household's people.
func (s *Server) identityFilter(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principalOf(r)
		if p == nil {
			next(w, r)
			return
		}
		if !p.role.SeesIdentity() && !rawRoute(r.Pattern) {
			mw := &maskingWriter{ResponseWriter: w}
			next(mw, r)
			mw.finish()
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		next(rec, r)
		if id := r.PathValue("id"); id != "" && r.Method == http.MethodGet && rec.status == http.StatusOK && personRoute(r.Pattern) {
			if err := s.db.AuditEvent(r.Context(), p.username, "person.view", "household", id, map[string]string{"path": r.URL.Path}); err != nil {
				s.log.Error("audit view", "err", err)
			}
		}
	}
}

// personRoute reports whether a route shows a household's people unmasked.
func personRoute(pattern string) bool {
	switch pattern {
	case "GET /api/v1/households/{id}", "GET /api/v1/households/{id}/members", "GET /api/v1/households/{id}/history":
		return true
	}
	return false
}

// rawRoute reports whether a route streams a file that masks by itself.
func rawRoute(pattern string) bool {
	return pattern == "GET /api/v1/exports" || pattern == "GET /api/v1/imports/{id}/errors" ||
		pattern == "GET /api/v1/aid/photos/{id}" || pattern == "GET /api/v1/aid/rotations/{id}/sheet"
}
