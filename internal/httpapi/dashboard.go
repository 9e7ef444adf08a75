package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

type dashboardIn struct {
	Area string `query:"area" required:"true" description:"区划代码：2/4/6/9/12 位；空为全国（仅全国权限）"`
	Year int    `query:"year" description:"年度，默认上一年（最近一个完整收入年度）"`
}

// dashboardRoutes lists the console's dashboard API.
func (s *Server) dashboardRoutes() []route {
	return []route{
		{"GET", "/api/v1/dashboard", "总览：户数、人数、脱贫户、监测户（按下级区域）、两不愁三保障+饮水核查汇总、收入分布", permRead, s.dashboard, dashboardIn{}, sqlstore.Dashboard{}, 200},
	}
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	errs := fupin.FieldErrors{}
	year := yearParam(r, errs)
	if err := errs.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) {
		return s.db.Dashboard(r.Context(), a, r.URL.Query().Get("area"), year)
	})
}
