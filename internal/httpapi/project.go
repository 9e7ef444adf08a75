package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// Request and response shapes of the projects-and-funds (帮扶项目) API.
type (
	projectFilterIn struct {
		areaParam
		Village string `query:"village" pattern:"^[0-9]{0,12}$" description:"受益村（12 位区划代码）：实施地为该村或受益村含该村的项目"`
		Year    int    `query:"year" minimum:"2013" maximum:"2100" description:"资金年度；不填为全部"`
		Status  string `query:"status" enum:"plan,approved,building,accepted"`
		Type    string `query:"type" enum:"infrastructure,industry,employment,other"`
	}
	projectListIn struct {
		projectFilterIn
		pageParams
	}
	projectUpdateIn struct {
		ID int64 `path:"id"`
		project.Project
	}
	projectActionIn struct {
		ID int64 `path:"id"`
		sqlstore.ProjectAction
	}
	disbursementIn struct {
		ID int64 `path:"id" description:"项目编号"`
		project.Disbursement
	}
	assetUpdateIn struct {
		ID int64 `path:"id"`
		project.Asset
	}
	assetCheckIn struct {
		ID   int64 `path:"id" description:"资产编号"`
		Year int   `path:"year" minimum:"2013" maximum:"2100" description:"核查年度"`
		project.AssetCheck
	}
	assetsIn struct {
		areaParam
		Year int `query:"year" required:"true" minimum:"2013" maximum:"2100" description:"核查年度"`
	}
	projectCodesBody struct {
		Types    []projectChoice `json:"types"`
		Subtypes []projectChoice `json:"subtypes"`
		Sources  []projectChoice `json:"sources"`
		Statuses []projectChoice `json:"statuses"`
		// The codes of 帮扶项目资产.
		AssetKinds    []projectChoice `json:"asset_kinds"`
		AssetOwners   []projectChoice `json:"asset_owners"`
		AssetStatuses []projectChoice `json:"asset_statuses"`
	}
	// projectChoice is an entry of /projects/codes as the route has always
	// answered it, {value, label}; its fields are fupin.CodeItem's, so an
	// item converts to it (codeEntries).
	projectChoice struct {
		Code  string `json:"value"`
		Label string `json:"label"`
	}
)

func (f projectFilterIn) filter() sqlstore.ProjectFilter {
	return sqlstore.ProjectFilter{Area: f.Area, Village: f.Village, Year: f.Year, Status: f.Status, Type: f.Type}
}

func roleOf(r *http.Request) string { return string(principalOf(r).role) }

func (s *Server) projectCodes(w http.ResponseWriter, r *http.Request) {
	c := codeEntries[projectChoice]
	writeJSON(w, http.StatusOK, projectCodesBody{c(project.Types), c(project.Subtypes), c(project.Sources), c(project.Statuses),
		c(project.AssetKinds), c(project.AssetOwners), c(project.AssetStatuses)})
}

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in projectListIn) (any, error) {
		f := in.filter()
		f.Offset, f.Limit = in.Offset, in.Limit
		if f.Limit == 0 {
			f.Limit = 50
		}
		return s.db.Projects(r.Context(), a, f)
	})
}

func (s *Server) projectRollup(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in projectFilterIn) (any, error) {
		return s.db.ProjectRollup(r.Context(), a, in.filter())
	})
}

func (s *Server) createProject(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in project.Project) (any, error) {
		return s.db.CreateProject(r.Context(), a, roleOf(r), in)
	})
}

func (s *Server) getProject(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.Project(r.Context(), a, id)
	})
}

func (s *Server) updateProject(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in project.Project) (any, error) {
		return s.db.UpdateProject(r.Context(), a, roleOf(r), id, in)
	})
}

func (s *Server) actOnProject(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.ProjectAction) (any, error) {
		return s.db.ActOnProject(r.Context(), a, roleOf(r), id, in)
	})
}

func (s *Server) addDisbursement(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusCreated, func(a fupin.Actor, id int64, in project.Disbursement) (any, error) {
		return s.db.AddDisbursement(r.Context(), a, roleOf(r), id, in)
	})
}

func (s *Server) projectNotice(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.Notice(r.Context(), a, id)
	})
}

func (s *Server) listAssets(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in assetsIn) (any, error) {
		return s.db.Assets(r.Context(), a, in.Area, in.Year)
	})
}

func (s *Server) createAsset(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in project.Asset) (any, error) {
		return s.db.CreateAsset(r.Context(), a, roleOf(r), in)
	})
}

func (s *Server) getAsset(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.Asset(r.Context(), a, id)
	})
}

func (s *Server) updateAsset(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in project.Asset) (any, error) {
		return s.db.UpdateAsset(r.Context(), a, roleOf(r), id, in)
	})
}

func (s *Server) checkAsset(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in project.AssetCheck) (any, error) {
		year, err := pathID(r, "year")
		if err != nil {
			return nil, err
		}
		in.Year = int(year)
		return s.db.CheckAsset(r.Context(), a, roleOf(r), id, in)
	})
}
