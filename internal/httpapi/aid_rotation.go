package httpapi

import (
	"bytes"
	"fmt"
	"net/http"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

type (
	rotationListIn struct {
		areaParam
		Status string `query:"status" enum:"planned,completed,cancelled"`
	}
	rotationsBody struct {
		Items []aid.Rotation `json:"items"`
	}
	entryIn struct {
		ID int64 `path:"id"`
		aid.NewHandoverEntry
	}
	confirmIn struct {
		ID int64 `path:"id"`
		aid.Confirmation
	}
	versionIn struct {
		ID      int64 `path:"id"`
		Version int64 `json:"version" required:"true" description:"轮换当前版本号"`
	}
)

func (s *Server) listRotations(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in rotationListIn) (any, error) {
		items, err := s.db.ListRotations(r.Context(), a, in.Area, in.Status)
		return rotationsBody{Items: items}, err
	})
}

func (s *Server) planRotation(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, p aid.RotationPlan) (any, error) {
		return s.db.PlanRotation(r.Context(), a, p)
	})
}

func (s *Server) getRotation(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) { return s.db.Rotation(r.Context(), a, id) })
}

func (s *Server) addEntry(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusCreated, func(a fupin.Actor, id int64, e aid.NewHandoverEntry) (any, error) {
		return s.db.AddHandoverEntry(r.Context(), a, id, e)
	})
}

func (s *Server) confirmRotation(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, c aid.Confirmation) (any, error) {
		return s.db.ConfirmRotation(r.Context(), a, id, c)
	})
}

func (s *Server) completeRotation(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in versionIn) (any, error) {
		return s.db.CompleteRotation(r.Context(), a, id, in.Version)
	})
}

func (s *Server) cancelRotation(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in versionIn) (any, error) {
		return s.db.CancelRotation(r.Context(), a, id, in.Version)
	})
}

// rotationSheet answers the printable handover list as .xlsx.
func (s *Server) rotationSheet(w http.ResponseWriter, r *http.Request) {
	s.fileByID(w, r, func(a fupin.Actor, id int64) (*file, error) {
		rot, err := s.db.Rotation(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		if !principalOf(r).role.SeesIdentity() {
			redactRotation(rot)
		}
		var buf bytes.Buffer
		if err := HandoverSheet(&buf, rot); err != nil {
			return nil, err
		}
		return &file{contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			asciiName: fmt.Sprintf("handover-%d.xlsx", rot.ID), name: fmt.Sprintf("交接清单-%d.xlsx", rot.ID), data: buf.Bytes()}, nil
	})
}
