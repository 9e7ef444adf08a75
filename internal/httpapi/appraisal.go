package httpapi

import (
	"net/http"
	"strconv"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Request and response shapes of the appraisal (成效考核) API.
type (
	snapshotsBody struct {
		Items []appraisal.Snapshot `json:"items"`
	}
	snapshotHouseholdIn struct {
		ID          int64 `path:"id"`
		HouseholdID int64 `path:"household_id"`
	}
	compareIn struct {
		From int64 `query:"from" required:"true" minimum:"1" description:"前一快照编号"`
		To   int64 `query:"to" required:"true" minimum:"1" description:"后一快照编号（须与前一快照同一区域）"`
	}
)

func (s *Server) listSnapshots(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.Snapshots(r.Context(), a, area)
		return snapshotsBody{items}, err
	})
}

func (s *Server) createSnapshot(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in appraisal.Snapshot) (any, error) {
		return s.db.CreateSnapshot(r.Context(), a, in)
	})
}

func (s *Server) getSnapshot(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.Snapshot(r.Context(), a, id)
	})
}

func (s *Server) getSnapshotHousehold(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		hid, err := pathID(r, "household_id")
		if err != nil {
			return nil, err
		}
		return s.db.SnapshotHousehold(r.Context(), a, id, hid)
	})
}

func (s *Server) compareSnapshots(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in compareIn) (any, error) {
		return s.db.CompareSnapshots(r.Context(), a, in.From, in.To)
	})
}

// Sampling rounds (抽查轮次).
type (
	roundsBody struct {
		Items []appraisal.Round `json:"items"`
	}
	roundSheetBody struct {
		Round *appraisal.Round    `json:"round"`
		Items []sqlstore.SheetRow `json:"items"`
	}
	roundsIn struct {
		areaParam
		formatParam
	}
	roundIn struct {
		ID int64 `path:"id"`
		formatParam
	}
	resultIn struct {
		ID          int64 `path:"id"`
		HouseholdID int64 `path:"household_id"`
		sqlstore.ResultIn
	}
)

func (s *Server) listRounds(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in roundsIn) (any, error) {
		items, err := s.db.Rounds(r.Context(), a, in.Area)
		if err == nil && in.Format == "xlsx" {
			s.sendBook(w, r, "抽查轮次", in.Area, []appraisal.Sheet{appraisal.RoundsSheet(items)})
			return nil, errAnswered
		}
		return roundsBody{items}, err
	})
}

func (s *Server) createRound(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in appraisal.Round) (any, error) {
		return s.db.CreateRound(r.Context(), a, in)
	})
}

func (s *Server) getRound(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in roundIn) (any, error) {
		if in.Format == "xlsx" {
			round, book, err := s.db.RoundBook(r.Context(), a, in.ID)
			if err != nil {
				return nil, err
			}
			s.sendBook(w, r, "抽查轮次"+strconv.FormatInt(in.ID, 10), round.AreaCode, book)
			return nil, errAnswered
		}
		round, err := s.db.Round(r.Context(), a, in.ID)
		if err != nil {
			return nil, err
		}
		items, err := s.db.RoundSheet(r.Context(), a, in.ID)
		return roundSheetBody{round, items}, err
	})
}

func (s *Server) recordResult(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.ResultIn) (any, error) {
		hid, err := pathID(r, "household_id")
		if err != nil {
			return nil, err
		}
		return s.db.RecordResult(r.Context(), a, id, hid, in)
	})
}

func (s *Server) roundRates(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.RoundRates(r.Context(), a, id)
	})
}

// Rate thresholds (考核阈值).
type (
	thresholdsIn struct {
		areaParam
		Year int `query:"year" minimum:"2010" maximum:"2100" description:"年度，默认今年"`
	}
	thresholdsBody struct {
		Effective []appraisal.Threshold    `json:"effective" description:"该区域该年度生效的阈值"`
		Rows      []appraisal.ThresholdRow `json:"rows" description:"已设置的阈值"`
	}
)

func (s *Server) thresholds(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in thresholdsIn) (any, error) {
		year := in.Year
		if year == 0 {
			year = s.db.Now().Year()
		}
		rows, err := s.db.ThresholdRows(r.Context(), a)
		return thresholdsBody{appraisal.ResolveThresholds(rows, in.Area, year), rows}, err
	})
}

func (s *Server) setThreshold(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusOK, func(a fupin.Actor, in appraisal.ThresholdRow) (any, error) {
		if err := s.db.SetThreshold(r.Context(), a, in); err != nil {
			return nil, err
		}
		rows, err := s.db.ThresholdRows(r.Context(), a)
		return thresholdsBody{appraisal.ResolveThresholds(rows, in.Area, in.Year), rows}, err
	})
}

// Satisfaction surveys (群众认可度).
type (
	surveyIn struct {
		ID int64 `path:"id"`
		appraisal.Survey
	}
	surveyResponsesBody struct {
		Items []sqlstore.SurveyResponse `json:"items"`
	}
	responseIn struct {
		Answers map[string]string `json:"answers" required:"true" description:"问题代码 → 选项：认可量表 approve 认可、basic 基本认可、disapprove 不认可、unsure 说不清；五分量表 1–5"`
	}
	responseRouteIn struct {
		ID          int64 `path:"id"`
		HouseholdID int64 `path:"household_id"`
		responseIn
	}
)

func (s *Server) getSurvey(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.Survey(r.Context(), a, id)
	})
}

func (s *Server) putSurvey(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in appraisal.Survey) (any, error) {
		return s.db.PutSurvey(r.Context(), a, id, in)
	})
}

func (s *Server) surveyResponses(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		items, err := s.db.SurveyResponses(r.Context(), a, id)
		return surveyResponsesBody{items}, err
	})
}

func (s *Server) recordResponse(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in responseIn) (any, error) {
		hid, err := pathID(r, "household_id")
		if err != nil {
			return nil, err
		}
		return s.db.RecordResponse(r.Context(), a, id, hid, in.Answers)
	})
}

func (s *Server) surveyApproval(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.SurveyApproval(r.Context(), a, id)
	})
}
