package httpapi

import (
	"net/http"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// Request and response shapes of the aid API (for the OpenAPI document).
type (
	aidAreaIn struct {
		Area string `query:"area" description:"区划代码前缀，如 500236266（平安乡）；空为全部管辖区域"`
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
		Area   string `query:"area"`
		Q      string `query:"q" description:"姓名包含"`
		Role   string `query:"role" description:"有该在岗岗位（code list aid_role）"`
		UnitID int64  `query:"unit_id" description:"派出单位"`
		Offset int    `query:"offset"`
		Limit  int    `query:"limit" description:"1–500，默认 50"`
	}
	cadreUpdateIn struct {
		ID int64 `path:"id"`
		aid.Cadre
	}
	postingListIn struct {
		Area string `query:"area"`
		All  bool   `query:"all" description:"含已离任"`
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

func digitsOnly(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
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
	q, errs := r.URL.Query(), fupin.FieldErrors{}
	f := aid.CadreFilter{Query: q.Get("q"), Role: q.Get("role"), UnitID: queryID(r, "unit_id", errs)}
	f.Offset, f.Limit = queryPage(r, errs)
	if f.Role != "" && !aid.Roles.Has(f.Role) {
		errs.Add("role", "岗位不在代码表中")
	}
	if err := errs.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		f.Area = area
		return s.db.ListCadres(r.Context(), a, f)
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
	errs := fupin.FieldErrors{}
	all := queryBool(r, "all", errs)
	if err := errs.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.ListPostings(r.Context(), a, area, all)
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

// queryID parses an optional positive id query parameter into errs.
func queryID(r *http.Request, name string, errs fupin.FieldErrors) int64 {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		errs.Add(name, "应为正整数编号")
	}
	return n
}
