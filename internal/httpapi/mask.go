package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"fupin/internal/fupin"
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
	body := m.buf.Bytes()
	// Only JSON is masked here: a file (an .xlsx built by a handler that
	// masks its own rows) is binary, and rewriting it as text would break
	// it and the Content-Length already set.
	if ct := m.Header().Get("Content-Type"); ct == "" || strings.HasPrefix(ct, "application/json") {
		body = maskJSON(body)
	}
	m.ResponseWriter.WriteHeader(m.status)
	m.ResponseWriter.Write(body)
}

// identityFilter masks answers for roles that may not see identities and
// audits each unmasked view of a household's people. The unmasked answer
// is held back until its person.view row is written — with a context the
// client cannot cancel by going away — and is not sent at all if the row
// cannot be written.
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
		if !personRoute(r.Pattern) || r.Method != http.MethodGet {
			next(w, r)
			return
		}
		held := &heldWriter{ResponseWriter: w}
		next(held, r)
		if held.status == 0 || held.status == http.StatusOK {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
			err := s.db.AuditView(ctx, p.username, "person.view", "household", r.PathValue("id"), map[string]string{"path": r.URL.Path})
			cancel()
			if err != nil {
				s.log.Error("audit view", "err", err)
				s.writeError(w, r, fupin.Errorf(fupin.EInternal, "无法记录查看审计，暂不能显示身份信息，请稍后再试"))
				return
			}
		}
		held.send()
	}
}

// heldWriter holds an answer back until send.
type heldWriter struct {
	http.ResponseWriter
	buf    bytes.Buffer
	status int
}

func (h *heldWriter) WriteHeader(code int)        { h.status = code }
func (h *heldWriter) Write(b []byte) (int, error) { return h.buf.Write(b) }

func (h *heldWriter) send() {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	h.ResponseWriter.WriteHeader(h.status)
	h.ResponseWriter.Write(h.buf.Bytes())
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
