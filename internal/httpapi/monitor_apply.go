package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

type (
	publicVillagesIn struct {
		Township string `query:"township" required:"true" description:"乡镇（街道）区划代码，9 位"`
	}
	publicVillagesBody struct {
		Township     string          `json:"township"`
		TownshipName string          `json:"township_name"`
		Villages     []region.Region `json:"villages"`
	}
	receiptBody struct {
		Receipt string `json:"receipt" description:"受理回执号"`
		Message string `json:"message"`
	}
	applicationListIn struct {
		areaParam
		Open bool `query:"open" description:"只列待受理的"`
		pageParams
	}
	applicationDecideIn struct {
		ID int64 `path:"id"`
		sqlstore.ApplicationDecision
	}
)

// publicVillages lists a township's villages and communities for the
// public application page (region data, no registry data).
func (s *Server) publicVillages(w http.ResponseWriter, r *http.Request) {
	var in publicVillagesIn
	err := bind(r, &in)
	if err == nil && len(in.Township) != 9 {
		err = &fupin.Error{Code: fupin.EInvalid, Message: "乡镇代码应为 9 位区划代码", Fields: map[string]string{"township": "应为 9 位区划代码"}}
	}
	var t region.Region
	if err == nil {
		if t, err = region.Lookup(in.Township); err != nil || t.Level != region.LevelTownship {
			err = &fupin.Error{Code: fupin.ENotFound, Message: "没有这个乡镇（街道）", Fields: map[string]string{"township": "没有这个乡镇（街道）"}}
		}
	}
	var kids []region.Region
	if err == nil {
		kids, err = region.Children(t.Code)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, publicVillagesBody{Township: t.Code, TownshipName: t.Name, Villages: kids})
}

// submitApplication takes an application from the public page: same-site
// JSON of at most 4 KiB, bounded fields, per-address and daily caps (the
// store's). The answer is the same for anyone, registered or not: a
// receipt number, nothing of the applicant.
func (s *Server) submitApplication(w http.ResponseWriter, r *http.Request) {
	var in monitor.Application
	err := checkSameSiteJSON(r, "申报")
	if err == nil {
		r.Body = http.MaxBytesReader(w, r.Body, monitor.MaxApplyBody)
		err = decode(w, r, &in)
	}
	var receipt string
	if err == nil {
		receipt, err = s.db.SubmitApplication(r.Context(), clientAddr(r), "", in)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, receiptBody{Receipt: receipt,
		Message: "申报已提交，请记下回执号。村（社区）和乡镇工作人员将在核实后与您联系。"})
}

func (s *Server) listApplications(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in applicationListIn) (any, error) {
		return s.db.MonitorApplications(r.Context(), a, sqlstore.ApplicationFilter{Area: in.Area, Open: in.Open,
			Offset: in.Offset, Limit: in.Limit})
	})
}

func (s *Server) decideApplication(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.ApplicationDecision) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		return s.db.DecideApplication(r.Context(), a, id, in)
	})
}
