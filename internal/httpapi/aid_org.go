package httpapi

import (
	"net/http"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// Request and response shapes of the aid API (for the OpenAPI document).
type (
	aidAreaIn struct {
		areaParam
	}
	aidIDIn struct {
		ID int64 `path:"id"`
	}
	aidGroupsBody struct {
		Items []aid.Group `json:"items"`
	}
	aidGroupUpdateIn struct {
		ID int64 `path:"id"`
		aid.Group
	}
	aidUnitIn struct {
		ID int64 `path:"id" description:"帮扶集团编号"`
		aid.Unit
	}
	aidUnitUpdateIn struct {
		ID     int64 `path:"id" description:"帮扶集团编号"`
		UnitID int64 `path:"unit_id"`
		aid.Unit
	}
	teamsBody struct {
		Items []aid.WorkTeam `json:"items"`
	}
	cadreListIn struct {
		areaParam
		Q      string `query:"q" maxLength:"50" description:"姓名包含"`
		Role   string `query:"role" description:"有该在岗岗位（code list aid_role）"`
		UnitID int64  `query:"unit_id" minimum:"1" description:"派出单位"`
		pageParams
	}
	cadreUpdateIn struct {
		ID int64 `path:"id"`
		aid.Cadre
	}
	postingListIn struct {
		areaParam
		All bool `query:"all" description:"含已离任"`
	}
	postingsBody struct {
		Items []aid.Posting `json:"items"`
	}
	postingChangeIn struct {
		ID int64 `path:"id"`
		aid.PostingChange
	}
	alertsBody struct {
		Items []aid.TermAlert `json:"items"`
	}
)

func (s *Server) aidCodes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, codesBody{Lists: aid.CodeLists(), Ethnicities: []string{}})
}

func (s *Server) aidSettings(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.AidSettingsFor(r.Context(), a, area) })
}

func (s *Server) setAidSetting(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusOK, func(a fupin.Actor, in aid.SettingRow) (any, error) {
		if err := s.db.SetAidSetting(r.Context(), a, in); err != nil {
			return nil, err
		}
		return s.db.AidSettingsFor(r.Context(), a, in.Area)
	})
}

func (s *Server) aidSummary(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.AidSummaryOf(r.Context(), a, area) })
}

func (s *Server) listAidGroups(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.ListAidGroups(r.Context(), a, area)
		return aidGroupsBody{Items: items}, err
	})
}

func (s *Server) createAidGroup(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, g aid.Group) (any, error) {
		return s.db.CreateAidGroup(r.Context(), a, g)
	})
}

func (s *Server) getAidGroup(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) { return s.db.AidGroup(r.Context(), a, id) })
}

func (s *Server) updateAidGroup(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, g aid.Group) (any, error) {
		return s.db.UpdateAidGroup(r.Context(), a, id, g)
	})
}

func (s *Server) addAidUnit(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusCreated, func(a fupin.Actor, id int64, u aid.Unit) (any, error) {
		return s.db.CreateAidUnit(r.Context(), a, id, u)
	})
}

func (s *Server) updateAidUnit(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, u aid.Unit) (any, error) {
		uid, err := pathID(r, "unit_id")
		if err != nil {
			return nil, err
		}
		return s.db.UpdateAidUnit(r.Context(), a, id, uid, u)
	})
}

func (s *Server) workTeams(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.ListWorkTeams(r.Context(), a, area)
		return teamsBody{Items: items}, err
	})
}

func (s *Server) listCadres(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in cadreListIn) (any, error) {
		if in.Role != "" && !aid.Roles.Has(in.Role) {
			return nil, field("role", "岗位不在代码表中")
		}
		return s.db.ListCadres(r.Context(), a, aid.CadreFilter{Area: in.Area, Query: in.Q, Role: in.Role,
			UnitID: in.UnitID, Offset: in.Offset, Limit: in.Limit})
	})
}

func (s *Server) createCadre(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, c aid.Cadre) (any, error) {
		return s.db.CreateCadre(r.Context(), a, c)
	})
}

func (s *Server) getCadre(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) { return s.db.Cadre(r.Context(), a, id) })
}

func (s *Server) updateCadre(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, c aid.Cadre) (any, error) {
		return s.db.UpdateCadre(r.Context(), a, id, c)
	})
}

func (s *Server) listPostings(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in postingListIn) (any, error) {
		items, err := s.db.ListPostings(r.Context(), a, in.Area, in.All)
		return postingsBody{Items: items}, err
	})
}

func (s *Server) createPosting(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, p aid.Posting) (any, error) {
		return s.db.CreatePosting(r.Context(), a, p)
	})
}

func (s *Server) changePosting(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, c aid.PostingChange) (any, error) {
		return s.db.ChangePosting(r.Context(), a, id, c)
	})
}

func (s *Server) termAlerts(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.ListTermAlerts(r.Context(), a, area)
		return alertsBody{Items: items}, err
	})
}
