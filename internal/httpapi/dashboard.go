package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
)

type dashboardIn struct {
	Area string `query:"area" required:"true" pattern:"^[0-9]{0,12}$" description:"区划代码：2/4/6/9/12 位；空为全国（仅全国权限）"`
	yearParam
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in dashboardIn) (any, error) {
		return s.db.Dashboard(r.Context(), a, in.Area, in.year())
	})
}
