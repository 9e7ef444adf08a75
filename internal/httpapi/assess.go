package httpapi

import (
	"net/http"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

type (
	assessmentIn struct {
		ID int64 `path:"id"`
		yearParam
	}
	// yearParam is ?year=: absent is the last complete income year (year()).
	yearParam struct {
		Year int `query:"year" minimum:"2010" maximum:"2100" description:"年度，默认上一年（最近一个完整收入年度）"`
	}
	summaryIn struct {
		Area string `query:"area" required:"true" pattern:"^[0-9]{0,12}$" description:"区划代码：2/4/6/9/12 位"`
		yearParam
	}
	problemsIn struct {
		Area string `query:"area" required:"true" pattern:"^[0-9]{0,12}$"`
		yearParam
		Item   string `query:"item" enum:"food,clothing,education,medical,housing,water,standard,income" description:"空为任一核心项目"`
		Status string `query:"status" enum:"fail,unknown" description:"默认 fail"`
		pageParams
		formatParam
	}
	policyIn struct {
		Area string `query:"area" pattern:"^[0-9]{0,12}$" description:"区划代码前缀，空为全国"`
		yearParam
	}
	policyBody struct {
		Area        string                 `json:"area"`
		Year        int                    `json:"year"`
		Version     string                 `json:"version" description:"该区域该年度参数集的版本号"`
		Resolved    []criteria.ParamUse    `json:"resolved" description:"该区域该年度实际生效的参数及来源"`
		Rows        []sqlstore.PolicyParam `json:"rows" description:"管理员录入的全部参数"`
		Definitions []criteria.Def         `json:"definitions"`
	}
	policySetIn struct {
		Area  string `json:"area" description:"区划代码前缀，空为全国"`
		Year  int    `json:"year" required:"true" description:"自该年度起生效"`
		Key   string `json:"key" required:"true"`
		Value string `json:"value" description:"空字符串表示删除该行，回到上级区域或默认值"`
	}
)

// year is the bound ?year=, or the last complete income year when absent.
func (p yearParam) year() int {
	if p.Year == 0 {
		return fupin.AssessmentYear(fupin.DateOf(time.Now()))
	}
	return p.Year
}

func (s *Server) householdAssessment(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in assessmentIn) (any, error) {
		return s.db.AssessHousehold(r.Context(), a, in.ID, in.year())
	})
}

func (s *Server) assessmentSummary(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in summaryIn) (any, error) {
		return s.db.AssessmentSummary(r.Context(), a, in.Area, in.year())
	})
}

func (s *Server) assessmentProblems(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in problemsIn) (any, error) {
		f := sqlstore.ProblemFilter{Area: in.Area, Year: in.year(), Item: in.Item, Status: in.Status, Offset: in.Offset, Limit: in.Limit}
		if in.Format == "xlsx" {
			s.exportProblems(w, r, a, f)
			return nil, errAnswered
		}
		return s.db.AssessmentProblems(r.Context(), a, f)
	})
}

func (s *Server) policyParams(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in policyIn) (any, error) {
		return s.policyView(r, in.Area, in.year())
	})
}

func (s *Server) policyView(r *http.Request, area string, year int) (policyBody, error) {
	rows, err := s.db.PolicyParams(r.Context())
	if err != nil {
		return policyBody{}, err
	}
	p, err := s.db.ResolvedParams(r.Context(), area, year)
	if err != nil {
		return policyBody{}, err
	}
	return policyBody{Area: area, Year: year, Version: p.Version(), Resolved: p.All(), Rows: rows, Definitions: criteria.Defs()}, nil
}

func (s *Server) setPolicyParam(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusOK, func(a fupin.Actor, in policySetIn) (any, error) {
		row := criteria.ParamRow{Area: in.Area, Year: in.Year, Key: in.Key, Value: in.Value}
		if err := s.db.SetPolicyParam(r.Context(), a, row); err != nil {
			return nil, err
		}
		s.kick()
		return s.policyView(r, in.Area, in.Year)
	})
}

// kick wakes the background recomputation after a parameter change.
func (s *Server) kick() {
	select {
	case s.opts.Wake <- struct{}{}:
	default:
	}
}
