package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

type dashboardIn struct {
	Area string `query:"area" required:"true" pattern:"^[0-9]{0,12}$" description:"区划代码：2/4/6/9/12 位；空为全国（仅全国权限）"`
	yearParam
}

// dashboardRoutes lists the console's dashboard API.
func (s *Server) dashboardRoutes() []route {
	return []route{
		{"GET", "/api/v1/dashboard", "总览：户数、人数、脱贫户、监测户（按下级区域）、两不愁三保障+饮水核查汇总、收入分布", permRead, s.dashboard, dashboardIn{}, sqlstore.Dashboard{}, 200},
	}
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in dashboardIn) (any, error) {
		return s.db.Dashboard(r.Context(), a, in.Area, in.year())
	})
}
