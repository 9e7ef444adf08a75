package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/sqlstore"
)

// Request and response shapes of the rectification ledger API.
type (
	ledgerCodesBody struct {
		Sources    []ledger.Code `json:"sources"`
		Categories []ledger.Code `json:"categories"`
		Kinds      []ledger.Code `json:"kinds"`
		Statuses   []ledger.Code `json:"statuses"`
		Buckets    []ledger.Code `json:"buckets"`
	}
	inspectionsBody struct {
		Items []ledger.Inspection `json:"items"`
	}
	findingIn struct {
		ledger.Finding
		HouseholdIDs []int64 `json:"household_ids" description:"涉及的农户编号（最多 5000 户，须在问题所在区域内）"`
	}
	findingListIn struct {
		Area         string `query:"area"`
		InspectionID int64  `query:"inspection_id"`
		Status       string `query:"status" description:"状态，或 open 表示未销号"`
		Bucket       string `query:"bucket" description:"overdue、within_10、within_20、later"`
		Category     string `query:"category"`
		Offset       int    `query:"offset"`
		Limit        int    `query:"limit" description:"1–500，默认 50"`
	}
	findingActionIn struct {
		ID int64 `path:"id"`
		sqlstore.FindingAction
	}
	recheckIn struct {
		ID int64 `path:"id"`
		sqlstore.RecheckIn
	}
	findingsBody struct {
		Items []ledger.Finding `json:"items"`
	}
	recurrencesBody struct {
		Items []ledger.Recurrence `json:"items"`
	}
)

func (s *Server) ledgerCodes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, ledgerCodesBody{ledger.Sources, ledger.Categories, ledger.Kinds, ledger.Statuses, ledger.Buckets})
}

func (s *Server) listInspections(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.Inspections(r.Context(), a, area)
		return inspectionsBody{items}, err
	})
}

func (s *Server) createInspection(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in ledger.Inspection) (any, error) {
		return s.db.CreateInspection(r.Context(), a, in)
	})
}

func (s *Server) getInspection(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) { return s.db.Inspection(r.Context(), a, id) })
}

func (s *Server) listFindings(w http.ResponseWriter, r *http.Request) {
	q, errs := r.URL.Query(), fupin.FieldErrors{}
	f := sqlstore.FindingFilter{InspectionID: queryID(r, "inspection_id", errs), Status: q.Get("status"),
		Bucket: q.Get("bucket"), Category: q.Get("category")}
	f.Offset, f.Limit = queryPage(r, errs)
	if err := errs.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		f.Area = area
		return s.db.Findings(r.Context(), a, f)
	})
}

func (s *Server) createFinding(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in findingIn) (any, error) {
		return s.db.CreateFinding(r.Context(), a, in.Finding, in.HouseholdIDs)
	})
}

func (s *Server) getFinding(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) { return s.db.Finding(r.Context(), a, id) })
}

// actOnFinding is open to every signed-in role: which role may take which
// step of the 销号 chain (the county closes county-level findings, though
// it edits no registry data) is the ledger's rule, checked by the store.
func (s *Server) actOnFinding(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.FindingAction) (any, error) {
		return s.db.ActOnFinding(r.Context(), a, string(principalOf(r).role), id, in)
	})
}

func (s *Server) recheckFinding(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.RecheckIn) (any, error) {
		return s.db.RecheckFinding(r.Context(), a, string(principalOf(r).role), id, in)
	})
}

func (s *Server) findingsFromProblems(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in sqlstore.FromProblemsIn) (any, error) {
		items, err := s.db.FindingsFromProblems(r.Context(), a, in)
		return findingsBody{items}, err
	})
}

func (s *Server) recurrences(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.Recurrences(r.Context(), a, area)
		return recurrencesBody{items}, err
	})
}

func (s *Server) householdFindings(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		items, err := s.db.HouseholdFindings(r.Context(), a, id)
		return findingsBody{items}, err
	})
}
