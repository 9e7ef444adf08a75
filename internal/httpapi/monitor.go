package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
	"fupin/internal/xlsx"
)

// maxDeptUpload bounds a department list upload (2,000,000 rows of CSV fit).
const maxDeptUpload = 256 << 20

type (
	caseListIn struct {
		areaParam
		Stage   string `query:"stage" maxLength:"30" description:"环节"`
		Open    bool   `query:"open" description:"只列未结案（未消除、未否决）的案件"`
		Overdue bool   `query:"overdue" description:"只列超期的"`
		pageParams
	}
	caseActionIn struct {
		ID int64 `path:"id"`
		sqlstore.CaseAction
	}
	eligibilityIn struct {
		ID               int64 `path:"id"`
		SpendingResolved bool  `query:"spending_resolved" description:"大额刚性支出已稳定解决"`
	}
	objectionIn struct {
		ID      int64 `path:"id"`
		Version int64 `json:"version" required:"true"`
		sqlstore.NewObjection
	}
	objectionBody struct {
		Version int64 `json:"version" required:"true"`
		sqlstore.NewObjection
	}
	resolveIn struct {
		ID          int64  `path:"id"`
		ObjectionID int64  `path:"objection_id"`
		Version     int64  `json:"version" required:"true"`
		Resolution  string `json:"resolution" required:"true"`
	}
	resolveBody struct {
		Version    int64  `json:"version"`
		Resolution string `json:"resolution"`
	}
	measureIn struct {
		ID      int64 `path:"id"`
		Version int64 `json:"version" required:"true" description:"案件版本"`
		sqlstore.MonitorMeasure
	}
	measureBody struct {
		Version int64 `json:"version"`
		sqlstore.MonitorMeasure
	}
	measureUpdateIn struct {
		ID        int64 `path:"id"`
		MeasureID int64 `path:"measure_id"`
		Version   int64 `json:"version" required:"true" description:"案件版本"`
		sqlstore.MonitorMeasure
	}
	measuresBody struct {
		Items []sqlstore.MonitorMeasure `json:"items"`
	}
	alertListIn struct {
		areaParam
		Open bool `query:"open" description:"只列待核实的"`
		pageParams
	}
	alertVerifyIn struct {
		ID int64 `path:"id"`
		sqlstore.AlertVerdict
	}
	deptUploadIn struct {
		Department string `formData:"department" required:"true" description:"预警部门：medical 医保、disability 残联、education 教育、civil 民政、housing 住建、emergency 应急"`
		File       string `formData:"file" format:"binary" required:"true" description:".xlsx 或 .csv，含身份证号、情况、日期列"`
	}
	deptUploadBody struct {
		sqlstore.DeptLoad
		BadRows  int                  `json:"bad_rows" description:"无法使用的行数"`
		Problems []monitor.RowProblem `json:"problems" description:"前 200 个问题行"`
	}
	uncoveredIn struct {
		areaParam
		pageParams
	}
	unmatchedBody struct {
		Items []sqlstore.UnmatchedID `json:"items"`
	}
	calendarBody struct {
		Years []monitor.Year `json:"years"`
	}
	calendarIn struct {
		PathYear int `path:"year"`
		monitor.Year
	}
	monitorCodesBody struct {
		Lists []fupin.CodeList `json:"lists"`
	}
)

// monitorWriter refuses roles that do not edit registry data: opening
// cases, objections, plans, alerts and department lists are village and
// township work. Stage actions are checked per stage by the store instead,
// because the county approves without editing households.
func monitorWriter(r *http.Request) error {
	if p := principalOf(r); p == nil || !p.role.CanWrite() {
		return fupin.Errorf(fupin.EForbidden, "您的角色无权办理监测业务")
	}
	return nil
}

func (s *Server) monitorCodes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, monitorCodesBody{Lists: []fupin.CodeList{monitor.Paths, monitor.Departments,
		monitor.Measures, monitor.MeasureStatuses, monitor.AlertOutcomes, monitor.Stages, monitor.Actions,
		monitor.Risks, fupin.MonitorTypes, fupin.EliminationModes}})
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in caseListIn) (any, error) {
		return s.db.MonitorCases(r.Context(), a, sqlstore.CaseFilter{Area: in.Area, Stage: in.Stage,
			Open: in.Open, Overdue: in.Overdue, Offset: in.Offset, Limit: in.Limit})
	})
}

func (s *Server) openCase(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, in sqlstore.NewCase) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		return withActions(r)(s.db.OpenCase(r.Context(), a, in))
	})
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return withActions(r)(s.db.MonitorCase(r.Context(), a, id))
	})
}

func (s *Server) actOnCase(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.CaseAction) (any, error) {
		return withActions(r)(s.db.ActOnCase(r.Context(), a, string(principalOf(r).role), id, in))
	})
}

// withActions fills a case answer's actions for the caller's role, so the
// console shows only the buttons the server would accept.
func withActions(r *http.Request) func(*sqlstore.MonitorCase, error) (any, error) {
	return func(c *sqlstore.MonitorCase, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		if p := principalOf(r); p != nil {
			c.Actions = monitor.Allowed(string(p.role), c.Stage)
		}
		return c, nil
	}
}

func (s *Server) caseEligibility(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in eligibilityIn) (any, error) {
		return s.db.MonitorEligibility(r.Context(), a, in.ID, in.SpendingResolved)
	})
}

func (s *Server) addObjection(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusCreated, func(a fupin.Actor, id int64, in objectionBody) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		return withActions(r)(s.db.AddObjection(r.Context(), a, id, in.Version, in.NewObjection))
	})
}

func (s *Server) resolveObjection(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in resolveBody) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		oid, err := pathID(r, "objection_id")
		if err != nil {
			return nil, err
		}
		return withActions(r)(s.db.ResolveObjection(r.Context(), a, id, in.Version, oid, in.Resolution))
	})
}

func (s *Server) addMeasure(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusCreated, func(a fupin.Actor, id int64, in measureBody) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		return withActions(r)(s.db.AddMeasure(r.Context(), a, id, in.Version, in.MonitorMeasure))
	})
}

func (s *Server) updateMeasure(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in measureBody) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		mid, err := pathID(r, "measure_id")
		if err != nil {
			return nil, err
		}
		return withActions(r)(s.db.UpdateMeasure(r.Context(), a, id, in.Version, mid, in.MonitorMeasure))
	})
}

func (s *Server) householdMeasures(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		items, err := s.db.HouseholdMeasures(r.Context(), a, id)
		return measuresBody{Items: items}, err
	})
}

func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in alertListIn) (any, error) {
		return s.db.MonitorAlerts(r.Context(), a, sqlstore.AlertFilter{Area: in.Area, Open: in.Open,
			Offset: in.Offset, Limit: in.Limit})
	})
}

func (s *Server) verifyAlert(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.AlertVerdict) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		return s.db.VerifyAlert(r.Context(), a, id, in)
	})
}

// loadDepartmentList reads an uploaded department list into a temporary
// file, checks every row and matches the good ones in one transaction.
func (s *Server) loadDepartmentList(w http.ResponseWriter, r *http.Request) {
	if err := monitorWriter(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDeptUpload)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.writeError(w, r, decodeUpload(err))
		return
	}
	defer file.Close()
	ext := strings.ToLower(filepath.Ext(hdr.Filename))
	if ext != ".xlsx" && ext != ".csv" {
		s.writeError(w, r, field("file", "只支持 .xlsx 和 .csv 文件"))
		return
	}
	tmp, err := os.CreateTemp("", "fupin-dept-*"+ext)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, file)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.writeError(w, r, decodeError(err))
		return
	}
	dept := r.FormValue("department")
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) {
		today := fupin.DateOf(time.Now().In(time.FixedZone("CST", 8*3600)))
		f, err := monitor.ReadDeptFile(tmp.Name(), today)
		if err != nil {
			return nil, err
		}
		if len(f.Rows) == 0 {
			return nil, field("file", "名单中没有可用的行（共 "+strconv.Itoa(f.Bad)+" 行有误）")
		}
		load, err := s.db.LoadDepartmentList(r.Context(), a, dept, hdr.Filename, f.SHA256, f.Rows)
		return deptUploadBody{DeptLoad: load, BadRows: f.Bad, Problems: f.Problems}, err
	})
}

func decodeUpload(err error) error {
	if e := decodeError(err); fupin.ErrorCode(e) == fupin.ETooLarge {
		return e
	}
	return field("file", "请上传文件（表单字段 file）")
}

func field(path, msg string) error {
	return &fupin.Error{Code: fupin.EInvalid, Message: msg, Fields: map[string]string{path: msg}}
}

func (s *Server) listUnmatched(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in pageParams) (any, error) {
		items, err := s.db.MonitorUnmatched(r.Context(), a, in.Offset, in.Limit)
		return unmatchedBody{Items: items}, err
	})
}

func (s *Server) listUncovered(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in uncoveredIn) (any, error) {
		return s.db.MonitorUncovered(r.Context(), a, in.Area, in.Offset, in.Limit)
	})
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, http.StatusOK, func(fupin.Actor) (any, error) {
		years, err := s.db.CalendarYears(r.Context())
		return calendarBody{Years: years}, err
	})
}

func (s *Server) putCalendar(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusOK, func(a fupin.Actor, y monitor.Year) (any, error) {
		year, err := strconv.Atoi(r.PathValue("year"))
		if err != nil || year != y.Year {
			return nil, field("year", "路径中的年份与请求体不一致")
		}
		if err := s.db.SaveCalendarYear(r.Context(), a, y); err != nil {
			return nil, err
		}
		years, err := s.db.CalendarYears(r.Context())
		return calendarBody{Years: years}, err
	})
}

type noticeIn struct {
	Village string `query:"village" required:"true" maxLength:"12" description:"村级区划代码"`
	Format  string `query:"format" enum:"json,xlsx" description:"json（默认）或 xlsx"`
}

// monitorNotice answers a village's public notice as JSON (the console's
// A4 print view) or as .xlsx; it names households, never ID numbers.
func (s *Server) monitorNotice(w http.ResponseWriter, r *http.Request) {
	var in noticeIn
	if err := bind(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	format := in.Format
	a, err := actorOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := s.db.MonitorNotice(r.Context(), a, in.Village)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if format != "xlsx" {
		writeJSON(w, http.StatusOK, n)
		return
	}
	var buf bytes.Buffer
	if err := NoticeSheet(&buf, n); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", `attachment; filename="notice-`+n.VillageCode+`.xlsx"; filename*=UTF-8''`+url.PathEscape(n.Title+".xlsx"))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// NoticeSheet writes a village's public notice as a one-sheet workbook:
// title, the list, the objection channel and the signature and seal lines.
func NoticeSheet(w io.Writer, n *sqlstore.VillageNotice) error {
	x := xlsx.NewWriter(w, nil)
	rows := [][]string{{n.Title}, {}, {"序号", "户主姓名", "家庭人口", "事项", "类别", "风险类型", "公示起", "公示止"}}
	for i, e := range n.Entries {
		rows = append(rows, []string{strconv.Itoa(i + 1), e.HeadName, strconv.Itoa(e.Size), e.Kind, e.Category,
			strings.Join(e.Risks, "、"), e.StartsOn.String(), e.EndsOn.String()})
	}
	rows = append(rows, []string{}, []string{n.Channel}, []string{}, []string{n.Committee + "（盖章）", "", "", "", "负责人签字：", "", "日期："})
	for _, r := range rows {
		if err := x.WriteRow("公示", r); err != nil {
			return err
		}
	}
	return x.Close()
}

type todoIn struct {
	areaParam
}

func (s *Server) monitorTodo(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.MonitorTodo(r.Context(), a, area) })
}

func (s *Server) monitorStats(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.MonitorStats(r.Context(), a, area) })
}

func (s *Server) monitorLimits(w http.ResponseWriter, r *http.Request) {
	s.withArea(w, r, func(a fupin.Actor, area string) (any, error) { return s.db.MonitorLimitsFor(r.Context(), a, area) })
}

func (s *Server) setMonitorLimit(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusOK, func(a fupin.Actor, in monitor.LimitRow) (any, error) {
		if err := s.db.SetMonitorLimit(r.Context(), a, in); err != nil {
			return nil, err
		}
		return s.db.MonitorLimitsFor(r.Context(), a, in.Area)
	})
}

type categoriesIn struct {
	areaParam
	Year int `query:"year" minimum:"2021" maximum:"2100" description:"年度，默认今年（2021 年起）"`
}

func (s *Server) monitorCategories(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in categoriesIn) (any, error) {
		return s.db.MonitorCategoriesFor(r.Context(), a, in.Area, in.Year)
	})
}

func (s *Server) setMonitorCategories(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusOK, func(a fupin.Actor, in monitor.CategoryRow) (any, error) {
		if err := s.db.SetMonitorCategories(r.Context(), a, in); err != nil {
			return nil, err
		}
		return s.db.MonitorCategoriesFor(r.Context(), a, in.Area, in.Year)
	})
}
