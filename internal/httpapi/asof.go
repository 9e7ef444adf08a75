package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
)

// As-of reads (按日期回看): a household and the dashboard (a village's is
// its village summary) as they stood at the end of a date, rewound from the
// audit history (sqlstore/asof.go). Same scope and masking as live reads:
// the identity filter masks the household's people for roles without
// identity rights.
type (
	householdAsOfIn struct {
		ID   int64  `path:"id" description:"农户编号"`
		Date string `query:"date" required:"true" format:"date" description:"截至日期 YYYY-MM-DD（含当日，北京时间），不晚于今天"`
	}
	dashboardAsOfIn struct {
		dashboardIn
		Date string `query:"date" required:"true" format:"date" description:"截至日期 YYYY-MM-DD（含当日，北京时间），不晚于今天"`
	}
)

func (s *Server) householdAsOf(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in householdAsOfIn) (any, error) {
		return s.db.HouseholdAsOf(r.Context(), a, in.ID, boundDate(in.Date))
	})
}

func (s *Server) dashboardAsOf(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in dashboardAsOfIn) (any, error) {
		return s.db.DashboardAsOf(r.Context(), a, in.Area, in.year(), boundDate(in.Date))
	})
}
