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
	projectCodesBody struct {
		Types    []project.Choice `json:"types"`
		Subtypes []project.Choice `json:"subtypes"`
		Sources  []project.Choice `json:"sources"`
		Statuses []project.Choice `json:"statuses"`
	}
)

func (f projectFilterIn) filter() sqlstore.ProjectFilter {
	return sqlstore.ProjectFilter{Area: f.Area, Village: f.Village, Year: f.Year, Status: f.Status, Type: f.Type}
}

func roleOf(r *http.Request) string { return string(principalOf(r).role) }

func (s *Server) projectCodes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, projectCodesBody{project.Types, project.Subtypes, project.Sources, project.Statuses})
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
