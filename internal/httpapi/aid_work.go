package httpapi

import (
	"errors"
	"io"
	"net/http"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

type (
	pairingListIn struct {
		areaParam
		CadreID int64 `query:"cadre_id" minimum:"1" description:"帮扶责任人"`
		pageParams
		formatParam
	}
	pairingsBody struct {
		Items []aid.Pairing `json:"items"`
	}
	workloadBody struct {
		Items []aid.HelperLoad `json:"items"`
	}
	helperIn struct {
		ID int64 `path:"id"`
		aid.PairingChange
	}
	helperEndIn struct {
		ID     int64  `path:"id"`
		Reason string `json:"reason" required:"true" description:"解除原因"`
	}
	visitListIn struct {
		areaParam
		HouseholdID int64  `query:"household_id" minimum:"1"`
		CadreID     int64  `query:"cadre_id" minimum:"1"`
		From        string `query:"from" format:"date" description:"走访日期起 YYYY-MM-DD"`
		To          string `query:"to" format:"date" description:"走访日期止 YYYY-MM-DD"`
		pageParams
		formatParam
	}
	visitIn struct {
		ID int64 `path:"id" description:"农户编号"`
		aid.Visit
	}
	photoIn struct {
		ID   int64  `path:"id" description:"走访记录编号"`
		File string `formData:"file" format:"binary" required:"true" description:"JPEG 或 PNG，不超过 5 MB"`
	}
	overdueIn struct {
		areaParam
		pageParams
	}
	overdueBody struct {
		Items []aid.OverdueVisit `json:"items"`
		Total int                `json:"total" description:"超期未走访的户数（全部，不只本页）"`
	}
	checkInListIn struct {
		areaParam
		Month   string `query:"month" required:"true" format:"month" description:"YYYY-MM"`
		CadreID int64  `query:"cadre_id" minimum:"1"`
	}
	checkInsBody struct {
		Items []aid.CheckIn `json:"items"`
	}
	monthIn struct {
		areaParam
		Month string `query:"month" format:"month" description:"YYYY-MM（考勤月报必填；请销假可空）"`
	}
	attendanceIn struct {
		monthIn
		formatParam
	}
	leavesBody struct {
		Items []aid.Leave `json:"items"`
	}
	leaveActionIn struct {
		ID int64 `path:"id"`
		aid.LeaveAction
	}
)

func (s *Server) listPairings(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in pairingListIn) (any, error) {
		if in.Format == "xlsx" {
			s.exportPairings(w, r, a, in.Area, in.CadreID)
			return nil, errAnswered
		}
		return s.db.ListActivePairings(r.Context(), a, in.Area, in.CadreID, in.Offset, in.Limit)
	})
}

func (s *Server) unpaired(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.Unpaired(r.Context(), a, area) })
}

func (s *Server) workload(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.ListWorkload(r.Context(), a, area)
		return workloadBody{Items: items}, err
	})
}

func (s *Server) householdPairings(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		items, err := s.db.ListHouseholdPairings(r.Context(), a, id)
		return pairingsBody{Items: items}, err
	})
}

func (s *Server) setHelper(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, c aid.PairingChange) (any, error) {
		return s.db.PairHousehold(r.Context(), a, id, c)
	})
}

func (s *Server) endHelper(w http.ResponseWriter, r *http.Request) {
	var in helperEndIn
	if err := decode(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err == nil {
		var a fupin.Actor
		if a, err = actorOf(r); err == nil {
			err = s.db.EndPairing(r.Context(), a, id, in.Reason)
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// boundDate is a date parameter the binder has checked (format "date");
// empty is the zero Date.
func boundDate(v string) fupin.Date {
	d, _ := fupin.ParseDate(v)
	return d
}

func (s *Server) listVisits(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in visitListIn) (any, error) {
		f := aid.VisitFilter{Area: in.Area, HouseholdID: in.HouseholdID, CadreID: in.CadreID,
			From: boundDate(in.From), To: boundDate(in.To), Offset: in.Offset, Limit: in.Limit}
		if err := checkRange(f.From, f.To); err != nil {
			return nil, err
		}
		if in.Format == "xlsx" {
			s.exportVisits(w, r, a, f)
			return nil, errAnswered
		}
		return s.db.ListVisits(r.Context(), a, f)
	})
}

func (s *Server) recordVisit(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusCreated, func(a fupin.Actor, id int64, v aid.Visit) (any, error) {
		return s.db.RecordVisit(r.Context(), a, id, v)
	})
}

func (s *Server) getVisit(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) { return s.db.Visit(r.Context(), a, id) })
}

// addPhoto reads one multipart file of at most MaxPhotoBytes; the store
// checks the bytes are a JPEG or PNG image.
func (s *Server) addPhoto(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, sqlstore.MaxPhotoBytes+64<<10)
	defer removeUpload(r)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.writeError(w, r, photoFormError(err))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, sqlstore.MaxPhotoBytes+1))
	if err != nil {
		s.writeError(w, r, photoFormError(err))
		return
	}
	s.withID(w, r, http.StatusCreated, func(a fupin.Actor, id int64) (any, error) {
		return s.db.AddVisitPhoto(r.Context(), a, id, hdr.Filename, data)
	})
}

func photoFormError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return fupin.Errorf(fupin.ETooLarge, "照片不能超过 %d MB", sqlstore.MaxPhotoBytes>>20)
	}
	return &fupin.Error{Code: fupin.EInvalid, Message: "请以 multipart/form-data 上传照片（字段 file）", Fields: map[string]string{"file": "缺少文件"}}
}

// getPhoto answers the image bytes with their sniffed type.
func (s *Server) getPhoto(w http.ResponseWriter, r *http.Request) {
	s.fileByID(w, r, func(a fupin.Actor, id int64) (*file, error) {
		p, err := s.db.VisitPhotoData(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		return &file{contentType: p.ContentType, data: p.Data}, nil
	})
}

// overdueVisitsPage is the overdue list's page size when none is asked: a
// county of millions has tens of thousands of overdue households, and the
// answer was the whole list (11.6 MB at 36,771 rows).
const overdueVisitsPage = 200

func (s *Server) overdueVisits(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in overdueIn) (any, error) {
		limit := in.Limit
		if limit == 0 {
			limit = overdueVisitsPage
		}
		items, total, err := s.db.OverdueVisitsPage(r.Context(), a, in.Area, in.Offset, limit)
		return overdueBody{Items: items, Total: total}, err
	})
}

func (s *Server) listCheckIns(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in checkInListIn) (any, error) {
		items, err := s.db.ListCheckIns(r.Context(), a, in.Area, in.Month, in.CadreID)
		return checkInsBody{Items: items}, err
	})
}

func (s *Server) checkIn(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, c aid.CheckIn) (any, error) {
		return s.db.RecordCheckIn(r.Context(), a, c)
	})
}

func (s *Server) listLeaves(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in monthIn) (any, error) {
		items, err := s.db.ListLeaves(r.Context(), a, in.Area, in.Month)
		return leavesBody{Items: items}, err
	})
}

func (s *Server) requestLeave(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, l aid.Leave) (any, error) {
		return s.db.RequestLeave(r.Context(), a, l)
	})
}

func (s *Server) actOnLeave(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in aid.LeaveAction) (any, error) {
		return s.db.ActOnLeave(r.Context(), a, id, in)
	})
}

func (s *Server) attendance(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in attendanceIn) (any, error) {
		rep, err := s.db.MonthlyAttendance(r.Context(), a, in.Area, in.Month)
		if err != nil || in.Format != "xlsx" {
			return rep, err
		}
		s.exportAttendance(w, r, *rep)
		return nil, errAnswered
	})
}
