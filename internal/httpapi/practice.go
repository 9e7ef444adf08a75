package httpapi

import (
	"net/http"
	"strconv"

	"fupin/internal/fupin"
	"fupin/internal/practice"
	"fupin/internal/sqlstore"
)

// Request and response shapes of the case library (典型案例) API.
type (
	practiceListIn struct {
		areaParam
		Theme  string `query:"theme" enum:"industry,employment,relocation,education,health,housing,water,monitoring,rectification,forces,assets,consumption,governance,other" description:"帮扶领域"`
		Status string `query:"status" enum:"proposed,published,withdrawn"`
		Q      string `query:"q" maxLength:"50" description:"检索：名称、问题、做法、成效中的文字，或名称的拼音首字母（如 GFCY）"`
		pageParams
	}
	practiceDraftIn struct {
		Source   string `query:"source" required:"true" enum:"finding,rotation" description:"finding 已销号的整改问题、rotation 已完成的轮换"`
		SourceID int64  `query:"source_id" required:"true" minimum:"1" description:"来源记录编号"`
	}
	practiceUpdateIn struct {
		ID int64 `path:"id"`
		practice.Practice
	}
	practiceActionIn struct {
		ID int64 `path:"id"`
		sqlstore.PracticeAction
	}
	practiceDocumentIn struct {
		ID   int64  `path:"id" description:"案例编号"`
		File string `formData:"file" format:"binary" required:"true" description:"案例材料：JPEG/PNG 图片（不超过 5 MB）或 PDF（不超过 10 MB），每个案例最多 10 个"`
	}
	practiceCodesBody struct {
		Themes   fupin.CodeList `json:"themes"`
		Statuses fupin.CodeList `json:"statuses"`
		Sources  fupin.CodeList `json:"sources"`
	}
)

func (s *Server) practiceCodes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, practiceCodesBody{practice.Themes, practice.Statuses, practice.Sources})
}

func (s *Server) listPractices(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in practiceListIn) (any, error) {
		return s.db.ListPractices(r.Context(), a, sqlstore.PracticeFilter{Area: in.Area, Theme: in.Theme, Status: in.Status, Query: in.Q,
			Offset: in.Offset, Limit: in.Limit})
	})
}

func (s *Server) practiceDraft(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in practiceDraftIn) (any, error) {
		return s.db.PracticeDraft(r.Context(), a, in.Source, in.SourceID)
	})
}

func (s *Server) createPractice(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in practice.Practice) (any, error) {
		return s.db.CreatePractice(r.Context(), a, roleOf(r), in)
	})
}

func (s *Server) getPractice(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.Practice(r.Context(), a, id)
	})
}

func (s *Server) updatePractice(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in practice.Practice) (any, error) {
		return s.db.UpdatePractice(r.Context(), a, roleOf(r), id, in)
	})
}

func (s *Server) actOnPractice(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.PracticeAction) (any, error) {
		return s.db.ActOnPractice(r.Context(), a, roleOf(r), id, in)
	})
}

func (s *Server) addPracticeDocument(w http.ResponseWriter, r *http.Request) {
	defer removeUpload(r)
	data, filename, err := readDocument(w, r, "案例材料")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.withID(w, r, http.StatusCreated, func(a fupin.Actor, id int64) (any, error) {
		return s.db.AddPracticeDocument(r.Context(), a, roleOf(r), id, filename, data)
	})
}

// getPracticeDocument answers a case document as an attachment.
func (s *Server) getPracticeDocument(w http.ResponseWriter, r *http.Request) {
	s.fileByID(w, r, func(a fupin.Actor, id int64) (*file, error) {
		d, err := s.db.PracticeDocument(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		return &file{contentType: d.ContentType, data: d.Data, asciiName: "practice-" + strconv.FormatInt(d.ID, 10) + fileExt(d.ContentType), name: d.FileName}, nil
	})
}
