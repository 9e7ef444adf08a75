package httpapi

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/redact"
	"fupin/internal/sqlstore"
	"fupin/internal/xlsx"
)

// Request and response shapes of the rectification ledger API.
type (
	ledgerCodesBody struct {
		Sources    []ledgerCode `json:"sources"`
		Categories []ledgerCode `json:"categories"`
		Kinds      []ledgerCode `json:"kinds"`
		Statuses   []ledgerCode `json:"statuses"`
		Buckets    []ledgerCode `json:"buckets"`
	}
	// ledgerCode is an entry of /ledger/codes as the route has always
	// answered it, {key, name}; its fields are fupin.CodeItem's, so an item
	// converts to it (codeEntries).
	ledgerCode struct {
		Code  string `json:"key"`
		Label string `json:"name"`
	}
	inspectionsBody struct {
		Items []ledger.Inspection `json:"items"`
	}
	findingIn struct {
		ledger.Finding
		HouseholdIDs []int64 `json:"household_ids" description:"涉及的农户编号（最多 5000 户，须在问题所在区域内）"`
	}
	findingListIn struct {
		areaParam
		InspectionID int64  `query:"inspection_id" minimum:"1"`
		Status       string `query:"status" maxLength:"20" description:"状态，或 open 表示未销号"`
		Bucket       string `query:"bucket" maxLength:"20" description:"overdue、within_10、within_20、later"`
		Category     string `query:"category" maxLength:"20"`
		CadreID      int64  `query:"cadre_id" minimum:"1" description:"责任人（干部编号）"`
		pageParams
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
	c := codeEntries[ledgerCode]
	writeJSON(w, http.StatusOK, ledgerCodesBody{c(ledger.Sources), c(ledger.Categories), c(ledger.Kinds), c(ledger.Statuses), c(ledger.Buckets)})
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
	withIn(s, w, r, func(a fupin.Actor, in findingListIn) (any, error) {
		return s.db.Findings(r.Context(), a, sqlstore.FindingFilter{Area: in.Area, InspectionID: in.InspectionID,
			Status: in.Status, Bucket: in.Bucket, Category: in.Category, CadreID: in.CadreID, Offset: in.Offset, Limit: in.Limit})
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

type ledgerSheetsIn struct {
	areaParam
	InspectionID int64 `query:"inspection_id" minimum:"1" description:"只导出某次巡视（检查）的问题"`
}

// ledgerSheets answers the 三单 (.xlsx: 问题清单、责任清单、整改清单). Free
// text is masked for roles that may not see identities, as every export is.
func (s *Server) ledgerSheets(w http.ResponseWriter, r *http.Request) {
	var in ledgerSheetsIn
	actor, err := actorOf(r)
	if err == nil {
		err = bind(r, &in)
	}
	area, inspection := in.Area, in.InspectionID
	var rows []ledger.SheetRow
	if err == nil {
		rows, err = s.db.FindingSheetRows(r.Context(), actor, area, inspection)
	}
	var buf bytes.Buffer
	if err == nil {
		if !principalOf(r).role.SeesIdentity() {
			maskSheetRows(rows)
		}
		err = ledger.WriteSheets(&buf, rows, s.db.Now(), s.db.WorkingDays)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	name := "三单"
	if area != "" {
		name += "-" + area
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Disposition", attachment("ledger.xlsx", name+".xlsx"))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

func maskSheetRows(rows []ledger.SheetRow) {
	for i := range rows {
		f := &rows[i].Finding
		for _, p := range []*string{&f.Description, &f.Measures, &f.Evidence, &f.Opinion, &f.RejectReason, &f.Person} {
			*p = redact.Text(*p)
		}
	}
}

type (
	tasksBody struct {
		Items []ledger.Task `json:"items"`
	}
	milestoneIn struct {
		ID          int64 `path:"id"`
		MilestoneID int64 `path:"milestone_id"`
		sqlstore.MilestoneDone
	}
)

func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) {
		items, err := s.db.Tasks(r.Context(), a, area)
		return tasksBody{items}, err
	})
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, t ledger.Task) (any, error) {
		return s.db.CreateTask(r.Context(), a, t)
	})
}

func (s *Server) getTask(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) { return s.db.Task(r.Context(), a, id) })
}

func (s *Server) completeMilestone(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.MilestoneDone) (any, error) {
		mid, err := pathID(r, "milestone_id")
		if err != nil {
			return nil, err
		}
		return s.db.CompleteMilestone(r.Context(), a, id, mid, in)
	})
}

func (s *Server) responsibility(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.Responsibility(r.Context(), a, area) })
}

// maxFeedbackBytes bounds an uploaded feedback list (a list of 10,000
// findings is about 2 MB as .xlsx).
const maxFeedbackBytes = 20 << 20

type feedbackIn struct {
	ID   int64  `path:"id" description:"巡视（检查）编号"`
	File string `formData:"file" format:"binary" required:"true" description:"问题清单 .xlsx 或 .csv，不超过 20 MB、10000 行"`
}

// importFeedback creates an inspection's findings from its uploaded
// feedback list, all or nothing, naming every bad cell.
func (s *Server) importFeedback(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFeedbackBytes+64<<10)
	defer removeUpload(r)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = fupin.Errorf(fupin.ETooLarge, "问题清单不能超过 %d MB", maxFeedbackBytes>>20)
		} else {
			err = &fupin.Error{Code: fupin.EInvalid, Message: "请以 multipart/form-data 上传问题清单（字段 file）", Fields: map[string]string{"file": "缺少文件"}}
		}
		s.writeError(w, r, err)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFeedbackBytes+1))
	if err == nil && len(data) > maxFeedbackBytes {
		err = fupin.Errorf(fupin.ETooLarge, "问题清单不能超过 %d MB", maxFeedbackBytes>>20)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.withID(w, r, http.StatusCreated, func(a fupin.Actor, id int64) (any, error) {
		var rd xlsx.Reader
		var err error
		if strings.HasSuffix(strings.ToLower(hdr.Filename), ".csv") {
			rd, err = xlsx.OpenCSV(bytes.NewReader(data))
		} else {
			rd, err = xlsx.OpenXLSX(bytes.NewReader(data), int64(len(data)))
		}
		if err != nil {
			return nil, &fupin.Error{Code: fupin.EInvalid, Message: "无法读取问题清单：" + err.Error(), Fields: map[string]string{"file": "文件格式有误"}}
		}
		defer rd.Close()
		return s.db.ImportFeedback(r.Context(), a, id, rd)
	})
}

type evidenceIn struct {
	ID   int64  `path:"id" description:"问题编号"`
	File string `formData:"file" format:"binary" required:"true" description:"佐证材料：JPEG/PNG 图片（不超过 5 MB）或 PDF（不超过 10 MB），每个问题最多 20 个"`
}

// addEvidence stores an evidence file of a finding. The body is bounded
// before it is read.
func (s *Server) addEvidence(w http.ResponseWriter, r *http.Request) {
	defer removeUpload(r)
	data, filename, err := readDocument(w, r, "佐证材料")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.withID(w, r, http.StatusCreated, func(a fupin.Actor, id int64) (any, error) {
		return s.db.AddEvidence(r.Context(), a, id, filename, data)
	})
}

// getEvidence answers an evidence file as an attachment with its checked type.
func (s *Server) getEvidence(w http.ResponseWriter, r *http.Request) {
	s.fileByID(w, r, func(a fupin.Actor, id int64) (*file, error) {
		e, err := s.db.EvidenceData(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		ext := fileExt(e.ContentType)
		return &file{contentType: e.ContentType, data: e.Data, asciiName: "evidence-" + strconv.FormatInt(e.ID, 10) + ext, name: e.FileName}, nil
	})
}
