package httpapi

import (
	"bytes"
	"net/http"
	"regexp"

	"fupin/internal/redact"
)

// Roles that may not see identities get identities masked in every answer
// (the rule is package redact's). The masking works on the encoded JSON so
// that nothing escapes it, audit before/after documents included: values
// of the keys id_number, phone and birth_date are masked whatever they
// hold; ID and mobile numbers are masked wherever they occur, free text
// included; and every spelling of the birth date of an ID number in the
// answer is cut to its year.
var identityKey = regexp.MustCompile(`"(id_number|phone|birth_date)":"([^"\\]*)"`)

func maskJSON(b []byte) []byte {
	dates := map[string]bool{}
	redact.BirthDates(string(b), dates)
	b = identityKey.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := identityKey.FindSubmatch(m)
		v := string(sub[2])
		switch string(sub[1]) {
		case "id_number":
			v = redact.ID(v)
		case "phone":
			v = redact.Phone(v)
		default:
			if v != "" {
				v = redact.Date(v)
			}
		}
		return []byte(`"` + string(sub[1]) + `":"` + v + `"`)
	})
	return []byte(redact.Dates(redact.Text(string(b)), dates))
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
