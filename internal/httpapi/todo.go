package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// todo answers the 待办 panel of 总览 for the caller's area: every role may
// read it; approvals and confirmations count only for roles that may act.
func (s *Server) todo(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	who := sqlstore.TodoCaller{Role: string(p.role), CanWrite: p.role.CanWrite(), Principal: principalID(p)}
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.Todo(r.Context(), a, area, who) })
}
